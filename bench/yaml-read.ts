/**
 * How fast does cncfdemo read big inputs compared with kubectl? Generates two files and reads each with:
 *   cncfdemo  `cncfdemo create --dry-run=client -o name -f FILE` as a process (read, UTF-8 and size checks,
 *             YAML 1.1 parse, duplicate-key and depth checks, object shape; nothing is sent)
 *   kubectl   the pinned `kubectl create --dry-run=client -o name -f FILE` (the same, go-yaml)
 *   library   `readObjects({ filenames: [FILE] })` from src/api/inputs.ts in this process (the read path
 *             alone, no process start-up, no discovery)
 * The files: one ConfigMap of --size-mb MB (a big `data` map: one key per line), and --documents small
 * ConfigMaps in one multi-document file. Alternating rounds; prints the medians of wall time and of CPU
 * time (user + system: steadier than wall time on a busy machine) and cncfdemo / kubectl (target <= 2x).
 *
 * Both command-line tools map kinds through API discovery, so they need a cluster (any: nothing is written).
 * Usage: npm run build && npx tsx bench/yaml-read.ts [--rounds 5] [--size-mb 5] [--documents 20000]
 *        [--kubeconfig FILE] [--context NAME]
 * The default cluster is the integration test cluster (create it with the integration tests, or pass --kubeconfig).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readObjects } from '../src/api/inputs.js';
import { binaryPaths, pinnedVersions } from '../src/cluster/providers/local/toolchain.js';
import { cacheDir } from '../src/config/paths.js';
import { alternatingRounds, median } from './rounds.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    'size-mb': { type: 'string', default: '5' },
    documents: { type: 'string', default: '20000' },
    kubeconfig: { type: 'string', default: join(cacheDir(), 'test-home', 'kubeconfig') },
    context: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const cli = join(root, 'bin', 'cncfdemo');
if (!existsSync(join(root, 'dist', 'bundle', 'main.js'))) {
  console.error('build first: npm run build (the benchmark runs the compiled CLI, as users do)');
  process.exit(2);
}
if (!existsSync(values.kubeconfig)) {
  console.error(`no kubeconfig at ${values.kubeconfig}: pass --kubeconfig FILE of a running cluster`);
  process.exit(2);
}
const kubectl = binaryPaths(await pinnedVersions(), cacheDir()).kubectl;
const kube = ['--kubeconfig', values.kubeconfig, ...(values.context ? ['--context', values.context] : [])];

const dir = await mkdtemp(join(tmpdir(), 'bench-yaml-read-'));
const inputs = [
  { label: `1 document, ${values['size-mb']} MB`, ...(await bigConfigMap(Number(values['size-mb']))) },
  { label: `${values.documents} documents`, ...(await smallConfigMaps(Number(values.documents))) },
];

interface Timing {
  wall: number[];
  cpu: number[];
}
console.log(`node ${process.version}, ${rounds} alternating rounds per file\n`);
const results: { label: string; bytes: number; timings: Record<string, Timing> }[] = [];
for (const input of inputs) {
  const args = ['create', '--dry-run=client', '-o', 'name', '-f', input.file, ...kube];
  // Once outside the rounds: both must print one name per object, or the comparison means nothing.
  for (const [name, command, argv] of [
    ['cncfdemo', cli, [...args]],
    ['kubectl', kubectl, args],
  ] as const) {
    const { stdout } = await timed(command, argv);
    const printed = stdout.trim().split('\n').length;
    if (printed !== input.objects) {
      console.error(`${name} printed ${printed} names for ${input.objects} objects of ${input.file}:`);
      console.error(stdout.slice(0, 500));
      process.exit(1);
    }
  }
  const timings: Record<string, Timing> = {
    cncfdemo: { wall: [], cpu: [] },
    kubectl: { wall: [], cpu: [] },
    library: { wall: [], cpu: [] },
  };
  const record = (name: string, cpu: number): void => {
    timings[name]?.cpu.push(cpu);
  };
  const walls = await alternatingRounds(
    {
      cncfdemo: async () => {
        record('cncfdemo', (await timed(cli, [...args])).cpu);
      },
      kubectl: async () => {
        record('kubectl', (await timed(kubectl, args)).cpu);
      },
      library: async () => {
        const before = process.cpuUsage();
        await readObjects({ filenames: [input.file] });
        const used = process.cpuUsage(before);
        record('library', (used.user + used.system) / 1e6);
      },
    },
    rounds,
    (round, name, seconds) => {
      const cpu = timings[name]?.cpu.at(-1) ?? Number.NaN;
      console.log(
        `${input.label.padEnd(22)} round ${round + 1} ${name.padEnd(9)} ${seconds.toFixed(2)} s wall ${cpu.toFixed(2)} s cpu`,
      );
    },
  );
  for (const [name, wall] of Object.entries(walls)) if (timings[name]) timings[name].wall = wall;
  results.push({ label: input.label, bytes: input.bytes, timings });
}
await rm(dir, { recursive: true, force: true });

console.log(`\nmedian of ${rounds} rounds (wall / cpu), cncfdemo / kubectl (target <= 2x):`);
for (const { label, bytes, timings } of results) {
  const m = (name: string, what: keyof Timing): number => median(timings[name]?.[what] ?? []);
  const ratio = (what: keyof Timing): string => (m('cncfdemo', what) / m('kubectl', what)).toFixed(2);
  console.log(`  ${label} (${(bytes / 1e6).toFixed(1)} MB)`);
  for (const name of Object.keys(timings))
    console.log(`    ${name.padEnd(9)} ${m(name, 'wall').toFixed(3)} s / ${m(name, 'cpu').toFixed(3)} s`);
  console.log(`    cncfdemo / kubectl: ${ratio('wall')}x wall, ${ratio('cpu')}x cpu`);
}

/**
 * Runs a command to its end and returns its output with the CPU seconds it used (user + system of it and
 * its children), from the shell's `times` built-in: Node reports no resource usage of child processes.
 */
function timed(command: string, args: readonly string[]): Promise<{ stdout: string; cpu: number }> {
  const script = '"$@" >"$OUT" 2>&1; rc=$?; times >&2; exit $rc';
  const out = join(dir, 'out.txt');
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', script, 'sh', command, ...args], {
      env: { ...process.env, OUT: out },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let times = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (times += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      readFile(out, 'utf8').then((stdout) => {
        if (code !== 0) {
          reject(new Error(`${command} ${args.join(' ')} exited ${String(code)}: ${stdout}`));
          return;
        }
        // The second line is the children's "user system", e.g. "0m1.560s 0m0.260s".
        const seconds = (times.trim().split('\n')[1] ?? '')
          .split(/\s+/)
          .map((t) => /^(\d+)m([\d.]+)s$/.exec(t))
          .reduce((sum, m) => sum + (m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN), 0);
        resolve({ stdout, cpu: seconds });
      }, reject);
    });
  });
}

/** One ConfigMap whose `data` has a key per line, up to `mb` megabytes. */
async function bigConfigMap(mb: number): Promise<{ file: string; bytes: number; objects: number }> {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: bench-big', 'data:'];
  let bytes = lines.join('\n').length + 1;
  for (let i = 0; bytes < mb * 1e6; i++) {
    const line = `  key-${String(i).padStart(7, '0')}: "value ${i} ${'x'.repeat(56)}"`;
    lines.push(line);
    bytes += line.length + 1;
  }
  const file = join(dir, 'big.yaml');
  await writeFile(file, `${lines.join('\n')}\n`);
  return { file, bytes, objects: 1 };
}

/** `count` small ConfigMaps (labels, two data keys, a list) separated by `---`. */
async function smallConfigMaps(count: number): Promise<{ file: string; bytes: number; objects: number }> {
  const docs = Array.from(
    { length: count },
    (_, i) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench-${i}\n  labels:\n    app: bench\n    index: "${i}"\n` +
      `data:\n  mode: "on"\n  config.yaml: |\n    items:\n    - a\n    - b\n`,
  );
  const text = docs.join('---\n');
  const file = join(dir, 'many.yaml');
  await writeFile(file, text);
  return { file, bytes: Buffer.byteLength(text), objects: count };
}
