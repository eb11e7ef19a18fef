import {
  Composer,
  Document as YamlDocumentNode,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  type Document,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
  type Tags,
  type YAMLError,
} from 'yaml';
import { errorMessage, UserError } from '../errors/index.js';
import { directDocumentValue, FALLBACK, type DirectContext } from './yaml-direct.js';

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
  /** Documents in one input, at most (default YAML_LIMITS.documents). */
  maxDocuments?: number;
  /** Nesting of mappings and lists, at most (default YAML_LIMITS.depth). */
  maxDepth?: number;
  /**
   * Compose every document with the yaml library's Composer instead of converting plain ones directly
   * (the reference the direct conversion is tested against).
   */
  composeAll?: boolean;
}

/**
 * Bounds that turn hostile input into a one-line error instead of a stack overflow or minutes of work.
 * The parser itself recurses per nesting level and overflows the stack at about 800, hence 256.
 */
export const YAML_LIMITS = { documents: 100_000, depth: 256 } as const;

/**
 * Parses a multi-document stream the way kubectl reads manifests (go-yaml v2, YAML 1.1): on/yes/y are
 * booleans, 0755 is octal, `<<` merges; timestamps and 1:20 (base 60) stay strings, as kubectl keeps them.
 * Empty documents (only comments, `---` or null) are dropped, as kubectl skips them.
 *
 * Linear in the input: the yaml library's own duplicate-key check compares every key with every other key
 * of its mapping (a 1 MB ConfigMap took seconds, 5 MB over a minute), so it is off and one pass with a set
 * per mapping finds duplicates instead, checking the nesting depth on the way.
 *
 * Documents of the plain shapes manifests are made of are converted straight from the parser's CST
 * (yaml-direct.ts: a 5 MB ConfigMap reads in about half the time, without the node tree); a document it
 * does not cover, or one with a problem, goes through the Composer as before, so values and errors are the
 * same either way (`composeAll` forces the Composer: the reference the tests compare against).
 */
export function parseYamlDocuments(text: string, options: YamlSourceOptions): YamlDocument[] {
  const maxDocuments = options.maxDocuments ?? YAML_LIMITS.documents;
  const lineCounter = new LineCounter();
  const tokens = new Parser(lineCounter.addNewLine).parse(text);
  const result: YamlDocument[] = [];
  let index = 0;
  const add = (offset: number, read: { line: number; value: unknown } | undefined): void => {
    index += 1;
    if (index > maxDocuments) {
      throw new UserError(
        `${options.file}:${lineCounter.linePos(offset).line}: more than ${maxDocuments} YAML documents in one input`,
        'split the input into several files',
      );
    }
    if (read) result.push({ index, ...read });
  };
  if (options.composeAll) {
    for (const doc of new Composer(COMPOSE_OPTIONS).compose(tokens))
      add(doc.range[0], readComposed(doc, text, options, lineCounter));
    return result;
  }
  const direct = directContext(options.maxDepth);
  for (const token of tokens) {
    if (token.type !== 'document') {
      // Directives, `...` and stream-level errors carry state across documents: the Composer reads it all.
      if (STREAM_LAYOUT.has(token.type)) continue;
      return parseYamlDocuments(text, { ...options, composeAll: true });
    }
    const value = directDocumentValue(token, direct);
    if (value === FALLBACK) {
      // One token is one document: a Composer of its own reads it as the shared one would have.
      for (const doc of new Composer(COMPOSE_OPTIONS).compose([token]))
        add(doc.range[0], readComposed(doc, text, options, lineCounter));
    } else {
      const line = lineCounter.linePos(token.value?.offset ?? token.offset).line;
      add(token.offset, value === null ? undefined : { line, value });
    }
  }
  return result;
}

/** The schema (YAML 1.1 with kubectl's tags) and options the Composer's documents get, for the direct path. */
export function directContext(maxDepth: number = YAML_LIMITS.depth): DirectContext {
  const template = new YamlDocumentNode(undefined, COMPOSE_OPTIONS);
  return { schema: template.schema, options: template.options, maxDepth };
}

/** Stream-level tokens that only lay out the stream (the Composer keeps comments for nodes, nothing else). */
const STREAM_LAYOUT = new Set(['space', 'newline', 'comment', 'byte-order-mark']);

const COMPOSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  merge: true,
  uniqueKeys: false,
  customTags: kubectlTags,
};

/** A composed document's value and line, or undefined when it is empty; its first error thrown. */
function readComposed(
  doc: Document.Parsed,
  text: string,
  options: YamlSourceOptions,
  lineCounter: LineCounter,
): { line: number; value: unknown } | undefined {
  const [problem] = doc.errors;
  if (problem) throw yamlError(problem, text, options, lineCounter);
  if (doc.contents === null) return undefined;
  const line = lineCounter.linePos(doc.contents.range[0]).line;
  checkStructure(doc, options, lineCounter);
  const value = toJS(doc, options, line);
  return value === null ? undefined : { line, value };
}

/** Duplicate keys (as go-yaml refuses them) and nesting deeper than the limit, in one pass without recursion. */
function checkStructure(doc: Document, options: YamlSourceOptions, lines: LineCounter): void {
  const maxDepth = options.maxDepth ?? YAML_LIMITS.depth;
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 1 }];
  const fail = (offset: number | undefined, message: string, hint: string): never => {
    const line = offset === undefined ? undefined : lines.linePos(offset).line;
    throw new UserError(
      options.rendered
        ? `${options.file}: the rendered template is not valid YAML${line ? ` at rendered line ${line}` : ''}: ${message}`
        : `${options.file}${line ? `:${line}` : ''}: invalid YAML: ${message}`,
      hint,
    );
  };
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const { node, depth } = entry;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > maxDepth) {
      fail(node.range?.[0], `nested deeper than ${maxDepth} levels`, 'flatten the structure');
    }
    const seen = new Set<string>();
    for (const item of node.items) {
      if (!isPair(item)) {
        stack.push({ node: item, depth: depth + 1 });
        continue;
      }
      if (isScalar(item.key) && item.key.value !== '<<') {
        const id = `${typeof item.key.value}:${String(item.key.value)}`;
        if (seen.has(id)) {
          fail(
            item.key.range?.[0],
            `duplicate key ${JSON.stringify(String(item.key.value))} (a map may hold each key once, as kubectl requires)`,
            `remove or rename the second "${String(item.key.value)}"`,
          );
        }
        seen.add(id);
      }
      if (!isAlias(item.value)) stack.push({ node: item.value, depth: depth + 1 });
    }
  }
}

/**
 * YAML 1.1's float patterns, which the yaml library takes from the spec, need no digit: `e1`, `-e5` and `.`
 * would read as NaN. go-yaml, and so kubectl, keeps them strings; a float needs a digit before its exponent.
 */
const FLOAT_TESTS: Record<string, RegExp> = {
  EXP: /^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)[eE][-+]?[0-9]+$/,
  '': /^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)$/,
};

function kubectlTags(tags: Tags): Tags {
  return tags
    .filter(
      (t) =>
        typeof t === 'string' || !(t.tag.endsWith(':timestamp') || ('format' in t && t.format === 'TIME')),
    )
    .map((t) => {
      if (typeof t === 'string' || 'collection' in t || !t.tag.endsWith(':float')) return t;
      if (t.test?.source.includes('nan')) return t;
      const test = FLOAT_TESTS[t.format ?? ''];
      return test ? { ...t, test } : t;
    });
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

function yamlError(
  error: YAMLError,
  text: string,
  options: YamlSourceOptions,
  lines: LineCounter,
): UserError {
  const line = lines.linePos(error.pos[0]).line;
  const first = error.message.split('\n')[0] ?? error.message;
  // The parser recurses per nesting level; it reports the stack overflow as an error of the document.
  const reason = first.startsWith('Maximum call stack size exceeded')
    ? `nested deeper than ${options.maxDepth ?? YAML_LIMITS.depth} levels`
    : first.replace(/ at line \d+, column \d+:?$/, '');
  if (!options.rendered) {
    return new UserError(
      `${options.file}:${line}: invalid YAML: ${reason}`,
      'fix the YAML at that line (indentation, a missing ":" or an unclosed quote or bracket)',
    );
  }
  const source = text.split('\n')[line - 1]?.trim();
  return new UserError(
    `${options.file}: the rendered template is not valid YAML at rendered line ${line}: ${reason}` +
      (source ? ` (the line reads ${JSON.stringify(source.slice(0, 80))})` : ''),
    'check the indentation and quoting the template produces there; insert values with "| json_dump" to quote them',
  );
}
