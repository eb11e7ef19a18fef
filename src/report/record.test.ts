import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRecord, writeRecord } from '../cluster/record.js';
import { recordedMachines } from './record.js';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'bench-record-'));
  await writeRecord(home, {
    ...newRecord('demo', 'aws'),
    region: 'eu-west-1',
    machines: [
      { role: 'master', instanceType: 'm5.large', count: 3 },
      { role: 'minion', instanceType: 'c5.xlarge', count: 5 },
    ],
  });
  await writeRecord(home, newRecord('dev', 'local'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe("recordedMachines: what a run learns from the cluster's record", () => {
  it("an aws cluster's provider, region and machines by role", async () => {
    expect(await recordedMachines(home, 'demo')).toEqual({
      provider: 'aws',
      region: 'eu-west-1',
      machines: [
        { role: 'master', instanceType: 'm5.large', count: 3 },
        { role: 'minion', instanceType: 'c5.xlarge', count: 5 },
      ],
    });
  });

  it('nothing for a cluster without machines of its own, one not in this home, or no cluster', async () => {
    expect(await recordedMachines(home, 'dev')).toEqual({});
    expect(await recordedMachines(home, 'elsewhere')).toEqual({});
    expect(await recordedMachines(home, undefined)).toEqual({});
  });
});
