import { type TemplateCompat } from '../../src/templates/engine.js';
/** One template case of the compatibility corpus (test/fixtures/templates/jinja-cases/*.yaml). */
export interface JinjaCase {
  id: string;
  template: string;
  data?: Record<string, unknown>;
  templates?: Record<string, string>;
  compat?: TemplateCompat;
}
export type Outcome =
  | {
      output: string;
    }
  | {
      error: string;
    };
export declare function loadCases(dir?: string): JinjaCase[];
/** The known differences: case id -> reason (README "Known differences" lists the same). */
export declare function knownDifferences(dir?: string): Map<string, string>;
/** The venv scripts/setup.sh creates under CNCFDEMO_SETUP_TEST (override: CNCFDEMO_JINJA_PYTHON). */
export declare function referencePython(): string;
/** Renders every case with real Jinja2 (one Python process). */
export declare function renderWithJinja2(cases: readonly JinjaCase[]): {
  version: string;
  results: Outcome[];
};
export declare function renderWithEngine(c: JinjaCase): Outcome;
/** Same output, or both refused the template (the messages may differ). */
export declare function sameOutcome(a: Outcome, b: Outcome): boolean;
