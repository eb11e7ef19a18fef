import { cacheDir } from '../../src/config/paths.js';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { renderTemplates, TemplateFailure, type TemplateCompat } from '../../src/templates/engine.js';

/** One template case of the compatibility corpus (test/fixtures/templates/jinja-cases/*.yaml). */
export interface JinjaCase {
  id: string;
  template: string;
  data?: Record<string, unknown>;
  templates?: Record<string, string>;
  compat?: TemplateCompat;
}

export type Outcome = { output: string } | { error: string };

const CASES_DIR = fileURLToPath(new URL('../fixtures/templates/jinja-cases/', import.meta.url));
const REFERENCE = fileURLToPath(new URL('../jinja-reference.py', import.meta.url));

export function loadCases(dir = CASES_DIR): JinjaCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'known-differences.yaml')
    .sort()
    .flatMap((file) => {
      const cases = parse(readFileSync(join(dir, file), 'utf8')) as Omit<JinjaCase, 'id'>[];
      return cases.map((c, i) => ({ ...c, id: `${file.replace(/\.yaml$/, '')}#${i + 1}` }));
    });
}

/** The known differences: case id -> reason (README "Known differences" lists the same). */
export function knownDifferences(dir = CASES_DIR): Map<string, string> {
  const file = join(dir, 'known-differences.yaml');
  if (!existsSync(file)) return new Map();
  const entries = (parse(readFileSync(file, 'utf8')) ?? []) as { case: string; reason: string }[];
  return new Map(entries.map((e) => [e.case, e.reason]));
}

/** The venv scripts/setup.sh creates under CNCFDEMO_SETUP_TEST (override: CNCFDEMO_JINJA_PYTHON). */
export function referencePython(): string {
  const python = process.env.CNCFDEMO_JINJA_PYTHON ?? join(cacheDir(), 'venv', 'bin', 'python');
  if (!existsSync(python)) {
    throw new Error(
      `no Jinja2 reference interpreter at ${python}: run CNCFDEMO_SETUP_TEST=1 bash scripts/setup.sh`,
    );
  }
  return python;
}

/** Renders every case with real Jinja2 (one Python process). */
export function renderWithJinja2(cases: readonly JinjaCase[]): { version: string; results: Outcome[] } {
  const stdout = execFileSync(referencePython(), [REFERENCE], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as { version: string; results: Outcome[] };
}

export function renderWithEngine(c: JinjaCase): Outcome {
  const partials = Object.entries(c.templates ?? {}).map(([name, source]) => ({ name, source }));
  try {
    return {
      output: renderTemplates({ name: 'main', source: c.template }, partials, c.data ?? {}, {
        compat: c.compat ?? 'jinja2',
      }),
    };
  } catch (err) {
    if (err instanceof TemplateFailure) return { error: err.reason };
    throw err;
  }
}

/** Same output, or both refused the template (the messages may differ). */
export function sameOutcome(a: Outcome, b: Outcome): boolean {
  if ('output' in a && 'output' in b) return a.output === b.output;
  return 'error' in a && 'error' in b;
}
