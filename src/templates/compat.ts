/**
 * How templates are read. `jinja2`: Jinja2 3.1 with StrictUndefined and json_dump = json.dumps.
 * `cncfdemo-v1`: what the original cncfdemo templates were written for: Jinja2's lenient Undefined
 * (missing values print as "") and its json_dump, which cut the outer quotes (json.dumps(x)[1:-1]).
 * A leaf module: the CLI lists the modes in its flags without loading the template engine.
 */
export type TemplateCompat = 'jinja2' | 'cncfdemo-v1';
export const TEMPLATE_COMPAT_MODES: readonly TemplateCompat[] = ['jinja2', 'cncfdemo-v1'];
