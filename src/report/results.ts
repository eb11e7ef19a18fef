import type { RunResults } from './types.js';

/** Results before anything was measured: every section present and empty, as the schema wants them. */
export const emptyResults = (): RunResults => ({
  http: null,
  httpSkipped: null,
  measurements: [],
  measurementsSkipped: [],
  slos: [],
  series: { replicas: [], podsByPriority: [], boincWork: [] },
  seriesNotes: [],
});
