import { LineCounter, parseAllDocuments, type Document, type Tags, type YAMLError } from 'yaml';
import { errorMessage, UserError } from '../errors/index.js';

/** One YAML document of a file: its 1-based position and the line it starts on. */
export interface YamlDocument {
  index: number;
  line: number;
  value: unknown;
}

export interface YamlSourceOptions {
  /** How errors name the input (a path, or "<stdin>"). */
  file: string;
  /** The text came out of a template: errors quote the rendered line, which is not in the file. */
  rendered?: boolean;
}

/**
 * Parses a multi-document stream the way kubectl reads manifests (go-yaml v2, YAML 1.1): on/yes/y are
 * booleans, 0755 is octal, `<<` merges; timestamps and 1:20 (base 60) stay strings, as kubectl keeps them.
 * Empty documents (only comments, `---` or null) are dropped, as kubectl skips them.
 */
export function parseYamlDocuments(text: string, options: YamlSourceOptions): YamlDocument[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { version: '1.1', merge: true, lineCounter, customTags: kubectlTags });
  if (!Array.isArray(docs)) return []; // an empty stream
  const result: YamlDocument[] = [];
  docs.forEach((doc, i) => {
    const [problem] = doc.errors;
    if (problem) throw yamlError(problem, text, options);
    if (doc.contents === null) return;
    const line = lineCounter.linePos(doc.contents.range[0]).line;
    const value = toJS(doc, options, line);
    if (value !== null) result.push({ index: i + 1, line, value });
  });
  return result;
}

/** kubectl (go-yaml) refuses a map that repeats a key; so do we, naming the key and where it repeats. */
function duplicateKey(error: YAMLError, text: string, options: YamlSourceOptions, line?: number): UserError {
  const key = /^\s*(?:-\s+)?(?<key>"[^"]*"|'[^']*'|[^:#]+?)\s*:/.exec(text.slice(error.pos[0]))?.groups?.key;
  const what = key ? `duplicate key ${JSON.stringify(key.replace(/^["']|["']$/g, ''))}` : 'duplicate key';
  const where = options.rendered
    ? `${options.file}: the rendered template repeats a map key${line ? ` at rendered line ${line}` : ''}`
    : `${options.file}${line ? `:${line}` : ''}`;
  return new UserError(
    `${where}: invalid YAML: ${what} (a map may hold each key once, as kubectl requires)`,
    'remove or rename one of the two entries',
  );
}

function kubectlTags(tags: Tags): Tags {
  return tags.filter(
    (t) => typeof t === 'string' || !(t.tag.endsWith(':timestamp') || ('format' in t && t.format === 'TIME')),
  );
}

function toJS(doc: Document, options: YamlSourceOptions, line: number): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new UserError(
      `${options.file}:${line}: invalid YAML: ${errorMessage(err)}`,
      'simplify the anchors and aliases',
    );
  }
}

function yamlError(error: YAMLError, text: string, options: YamlSourceOptions): UserError {
  const line = error.linePos?.[0].line;
  if (error.code === 'DUPLICATE_KEY') return duplicateKey(error, text, options, line);
  const reason = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
  if (!options.rendered) {
    return new UserError(
      `${options.file}${line ? `:${line}` : ''}: invalid YAML: ${reason}`,
      'fix the YAML at that line (indentation, a missing ":" or an unclosed quote or bracket)',
    );
  }
  const source = line ? text.split('\n')[line - 1]?.trim() : undefined;
  return new UserError(
    `${options.file}: the rendered template is not valid YAML${line ? ` at rendered line ${line}` : ''}: ${reason}` +
      (source ? ` (the line reads ${JSON.stringify(source.slice(0, 80))})` : ''),
    'check the indentation and quoting the template produces there; insert values with "| json_dump" to quote them',
  );
}
