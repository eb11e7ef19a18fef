import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
