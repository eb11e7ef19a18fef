import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_KINDS, type LogCrossCheck, type RunRecord } from '../../../src/model/run-record.js';
import { runRecordProblems } from '../../../src/report/validate.js';

const fixture = (): RunRecord =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, '../../fixtures/report/valid-cluster-run.json'), 'utf8'),
  ) as RunRecord;

/** What run.json holds after the record is written: JSON, so Infinity becomes null. */
const written = (record: RunRecord): unknown => JSON.parse(JSON.stringify(record));

const crossCheck = (upper: number): LogCrossCheck => ({
  method: 'logs',
  generators: [
    {
      pod: 'wrk-a',
      requests: 10,
      printed: { p50: 0.001, p99: null },
      buckets: { p50: [0, 0.002], p99: [0.5, upper] },
    },
  ],
  requestsLogged: 10,
  requestsRecorded: 10,
  quantiles: [{ quantile: 0.5, fromLogs: 0.001, recorded: 0.001 }],
  problems: [],
  agree: true,
});

describe('run record model and schema agree', () => {
  it('accepts a typed record with a cross-check whose bucket ends at +Inf (null in JSON)', () => {
    const record = fixture();
    if (!record.results.http) throw new Error('the fixture has HTTP results');
    record.results.http.crossCheck = crossCheck(Infinity);
    expect(runRecordProblems(written(record))).toEqual([]);
  });

  it('rejects a cross-check generator with a field the model does not have', () => {
    const record = fixture();
    if (!record.results.http) throw new Error('the fixture has HTTP results');
    record.results.http.crossCheck = crossCheck(1);
    const doc = written(record) as { results: { http: { crossCheck: { generators: object[] } } } };
    doc.results.http.crossCheck.generators[0] = { ...doc.results.http.crossCheck.generators[0], extra: 1 };
    expect(runRecordProblems(doc)).toContain(
      '/results/http/crossCheck/generators/0: must NOT have additional properties',
    );
  });

  it('lists the error kinds the schema requires, in its order', () => {
    expect(ERROR_KINDS).toEqual(['connect', 'read', 'write', 'timeout', 'status', 'dropped']);
  });
});
