import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';

/** One entry of a bad-input corpus's cases.yaml (test/fixtures/bad-inputs/cases.yaml documents the fields). */
export interface BadInputCase {
  name: string;
  args: string[];
  error: string;
  stdin?: string;
  needsCluster?: boolean;
}

/** The cases of the corpus in `dir`. */
export function loadCases(dir: string): BadInputCase[] {
  return (parse(readFileSync(join(dir, 'cases.yaml'), 'utf8')) as { cases: BadInputCase[] }).cases;
}

/** What every bad input must give: a non-zero exit, one `error:` line naming the problem with a hint, no stack. */
export function expectOneLineError(
  result: { code: number; stdout: string; stderr: string },
  expectedError: string,
): void {
  const lines = result.stderr.split('\n').filter((l) => l.length > 0);
  expect(result.code, result.stderr).not.toBe(0);
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toContain(expectedError);
  expect(lines[0]).toMatch(/\(hint: .+\)$/);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stdout).toBe('');
}
