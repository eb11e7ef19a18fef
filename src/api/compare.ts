import { UserError } from '../errors/index.js';
import { comparisonHtml, comparisonText } from '../report/compare.js';
import { loadPageAssets } from '../report/page.js';
import { loadRuns } from './bench.js';

export interface Comparison {
  /** The runs side by side as a text table. */
  text: string;
  /** The same as a self-contained HTML page. */
  html: string;
}

/** `compare RUN_A RUN_B...`: two or more recorded runs (ids or run directories) side by side. */
export async function compareRuns(
  runs: readonly string[],
  options: { home?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Comparison> {
  if (runs.length < 2)
    throw new UserError('compare needs at least two runs', 'list runs with: cncfdemo runs');
  const records = await loadRuns(runs, options);
  return { text: comparisonText(records), html: comparisonHtml(records, await loadPageAssets()) };
}
