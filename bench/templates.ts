/**
 * How fast are templates rendered? Plans the demo stack (every template of manifests/ rendered with the
 * default values, then parsed as YAML) `--rounds` times in this process and prints the time per render:
 * the first one (engine start-up included), the median and the fastest of the rest (the fastest is the
 * least disturbed by other work on the machine).
 *
 * Usage: npx tsx bench/templates.ts [--rounds 100]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { stackValues } from '../src/api/stack.js';
import { planStack } from '../src/stack/plan.js';
import { readStackSources } from '../src/stack/sources.js';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '100' } } });
const rounds = Number(args.rounds);

const sources = await readStackSources();
const values = await stackValues();
const times: number[] = [];
let objects = 0;
for (let i = 0; i < rounds; i++) {
  const start = performance.now();
  const plan = planStack(sources, { values });
  times.push(performance.now() - start);
  objects = plan.components.reduce((n, c) => n + c.objects.length, 0);
}
const [first = 0, ...rest] = times;
const sorted = [...rest].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] ?? first;
const templates = [...sources.templates.keys()].filter((t) => !t.split('/').pop()?.startsWith('_')).length;
console.log(`demo stack: ${templates} templates, ${objects} objects, ${rounds} renders`);
console.log(`first render: ${first.toFixed(1)} ms`);
console.log(
  `per render (median of the rest): ${median.toFixed(2)} ms, fastest ${(sorted[0] ?? first).toFixed(2)} ms`,
);
