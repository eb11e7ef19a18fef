/**
 * Templates as the original cncfdemo wrote them: a Jinja2 3.1 engine (jinja/), values files and `--set`
 * merged like Helm, YAML read like kubectl.
 */
export { TEMPLATE_COMPAT_MODES, type TemplateCompat } from './engine.js';
export { pythonJsonDumps, type JsonDumpOptions } from './json-dump.js';
export {
  isTemplateFile,
  renderTemplateFile,
  renderTemplateString,
  TEMPLATE_EXTENSIONS,
  toTemplateData,
  type RenderOptions,
} from './render.js';
export { isValues, parseSetExpression, typedValue, type Values } from './strvals.js';
export { loadValues, mergeValues, readValuesFile, type ValuesOptions } from './values.js';
export { parseYamlDocuments, type YamlDocument, type YamlSourceOptions } from './yaml.js';
