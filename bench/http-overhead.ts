/**
 * How much does the benchmark pipeline cost the load it measures? Runs, against the same local Countly-like
 * target (its own process), alternately:
 *   bare wrk       the exact wrk command line `benchmark` uses (same Lua script, threads, connections, duration)
 *   benchmark      `benchmark --local-target URL`: the same wrk plus Pushgateway, Prometheus, progress pushes
 * and prints the req/s of each (wrk's own figure for bare runs, the run record's for benchmark runs), the
 * medians and the overhead ratio (target: <= 5 %). Also prints wrk without any script, for the script's cost.
 *
 * Usage: npx tsx bench/http-overhead.ts [--rounds 3] [--seconds 5] [--threads 2] [--connections 16]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runBenchmark } from '../src/api/bench.js';
import { startLocalTarget } from '../src/bench/local/target.js';
import { parseWrkSummary } from '../src/bench/wrk/summary.js';
import { wrkArgs } from '../src/bench/wrk/run.js';
import { exec } from '../src/exec/index.js';

if (process.argv.includes('--serve')) {
  const target = await startLocalTarget();
  process.send?.(target.url);
} else {
  await main();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '5' },
      threads: { type: 'string', default: '2' },
      connections: { type: 'string', default: '16' },
    },
  });
  const rounds = Number(values.rounds);
  const load = {
    threads: Number(values.threads),
    connections: Number(values.connections),
    durationSeconds: Number(values.seconds),
  };
  const { child, url } = await startTargetProcess();
  const home = await mkdtemp(join(tmpdir(), 'cncfdemo-overhead-'));
  const bare: number[] = [];
  const piped: number[] = [];
  try {
    const noScript = wrkArgs({ ...load, url }).filter((a) => !a.startsWith('--script='));
    const plain = parseWrkSummary((await exec('wrk', noScript)).stdout).requestsPerSecond;
    console.log(`wrk without the Lua script (static GET /): ${plain.toFixed(0)} req/s`);
    const runBare = async (): Promise<number> => {
      const env = { ...process.env, CNCFDEMO_METRICS_FILE: join(home, 'metrics.prom') };
      return parseWrkSummary((await exec('wrk', wrkArgs({ ...load, url }), { env })).stdout)
        .requestsPerSecond;
    };
    const runPiped = async (): Promise<number> =>
      (await runBenchmark({ ...load, localTarget: url, home })).record.results.http?.requestsPerSecond ?? 0;
    for (let round = 1; round <= rounds; round++) {
      // Alternate which goes first, so a drift in the machine's load affects both sides alike.
      let b: number;
      let p: number;
      if (round % 2) {
        b = await runBare();
        p = await runPiped();
      } else {
        p = await runPiped();
        b = await runBare();
      }
      bare.push(b);
      piped.push(p);
      console.log(
        `round ${round}: bare wrk ${b.toFixed(0)} req/s, benchmark --local-target ${p.toFixed(0)} req/s`,
      );
    }
  } finally {
    child.kill();
    await rm(home, { recursive: true, force: true });
  }
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
  };
  // Paired: each round's ratio, then the median, which shrugs off rounds disturbed by other work.
  const overhead = 1 - median(piped.map((p, i) => p / (bare[i] ?? NaN)));
  console.log(
    `median: bare wrk ${median(bare).toFixed(0)} req/s, benchmark ${median(piped).toFixed(0)} req/s; ` +
      `overhead (median of paired ratios) ${(overhead * 100).toFixed(1)} % (target <= 5 %)`,
  );
}

function startTargetProcess(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = fork(import.meta.filename, ['--serve'], {
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
    });
    child.once('message', (url) => {
      resolve({ child, url: typeof url === 'string' ? url : '' });
    });
    child.once('error', reject);
  });
}
