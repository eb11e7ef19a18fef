/**
 * The fast path of parseYamlDocuments: a document's CST (the yaml library's Parser output) turned straight
 * into JavaScript values, without the library's Composer building a node tree that is walked twice more
 * (our structure check, then toJS). On a 5 MB ConfigMap that tree was most of the time and memory.
 *
 * It covers the plain shapes manifests are made of: block mappings and sequences, plain, quoted and block
 * scalars, comments. Anything else (anchors, aliases, tags, `<<`, flow collections, explicit `?` keys,
 * tabs, anything the Composer could report an error or a warning for) answers FALLBACK and the document
 * goes through the Composer, which gives exactly what it gave before, errors included. Scalars are resolved
 * by the library's own functions and the schema's tags, so values are the Composer's; the checks below are
 * the conditions under which its resolveProps / resolveBlockMap / resolveBlockSeq / resolveEnd stay silent.
 */
import { CST, isScalar, type Document, type Schema } from 'yaml';

export const FALLBACK: unique symbol = Symbol('fallback');

type Tokens = CST.SourceToken[];

export interface DirectContext {
  schema: Schema;
  options: Document['options'];
  maxDepth: number;
}

/** The value of one CST document, or FALLBACK when the Composer has to read it. */
export function directDocumentValue(token: CST.Document, ctx: DirectContext): unknown {
  const start = token.start;
  if (!propsOk(start, 'doc-start', true)) return FALLBACK;
  const value = token.value;
  if (
    value &&
    (value.type === 'block-map' || value.type === 'block-seq') &&
    start.some((t) => t.type === 'doc-start') &&
    !start.some((t) => t.type === 'newline')
  )
    return FALLBACK;
  if (
    token.end &&
    !token.end.every((t) => t.type === 'space' || t.type === 'newline' || t.type === 'comment')
  )
    return FALLBACK;
  return value ? node(value, ctx, 1, false) : emptyScalar(ctx);
}

function node(token: CST.Token, ctx: DirectContext, depth: number, atKey: boolean): unknown {
  switch (token.type) {
    case 'scalar':
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
    case 'block-scalar':
      return scalar(token, ctx, atKey);
    case 'block-map':
      return depth > ctx.maxDepth ? FALLBACK : blockMap(token, ctx, depth);
    case 'block-seq':
      return depth > ctx.maxDepth ? FALLBACK : blockSeq(token, ctx, depth);
    default:
      return FALLBACK;
  }
}

function blockMap(map: CST.BlockMap, ctx: DirectContext, depth: number): unknown {
  const names: string[] = [];
  const values: unknown[] = [];
  // parseYamlDocuments' duplicate rule: the same type and text (1 and "1" differ, as they do in go-yaml).
  const seen = new Set<string>();
  for (const item of map.items) {
    const { start, key, sep, value } = item;
    if (item.explicitKey || !key || !propsOk(start, '', true)) return FALLBACK;
    if (key.type !== 'scalar' && key.type !== 'single-quoted-scalar' && key.type !== 'double-quoted-scalar')
      return FALLBACK;
    // An implicit key on one line, in the map's column, not too long (the Composer's KEY_OVER_1024_CHARS).
    if (key.indent !== map.indent || key.source.includes('\n') || key.end?.some((t) => t.type === 'newline'))
      return FALLBACK;
    const indicator = sep[0];
    if (indicator?.type !== 'map-value-ind' || !propsOk(sep.slice(1), '', false)) return FALLBACK;
    if (indicator.offset - key.offset > 1000) return FALLBACK;
    if (
      (value?.type === 'block-map' || value?.type === 'block-seq') &&
      !sep.some((t) => t.type === 'newline')
    )
      return FALLBACK;
    const resolved = scalar(key, ctx, true);
    if (resolved === FALLBACK) return FALLBACK;
    // A scalar resolves to a string, number, boolean or null (typed() leaves objects to the Composer).
    const k = resolved as string | number | boolean | null;
    const name = k === null ? '' : String(k);
    const id = `${typeof k}:${String(k)}`;
    // `<<` merges, `__proto__` would set the prototype, a duplicate is an error: the Composer's cases.
    if (name === '<<' || name === '__proto__' || seen.has(id)) return FALLBACK;
    seen.add(id);
    const v = value ? node(value, ctx, depth + 1, false) : emptyScalar(ctx);
    if (v === FALLBACK) return FALLBACK;
    names.push(name);
    values.push(v);
  }
  const out: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) out[names[i] as string] = values[i];
  return out;
}

function blockSeq(seq: CST.BlockSequence, ctx: DirectContext, depth: number): unknown {
  const out: unknown[] = [];
  for (const { start, value } of seq.items) {
    if (!propsOk(start, 'seq-item-ind', true) || !start.some((t) => t.type === 'seq-item-ind'))
      return FALLBACK;
    const v = value ? node(value, ctx, depth + 1, false) : emptyScalar(ctx);
    if (v === FALLBACK) return FALLBACK;
    out.push(v);
  }
  return out;
}

/**
 * Props before a node that the Composer's resolveProps accepts silently and that carry nothing but
 * layout: spaces without tabs, newlines, comments after white space, and at most one `indicator`.
 * `afterSpace`: the list starts on a new line (a comment may come first); '' allows no indicator.
 */
function propsOk(tokens: Tokens, indicator: '' | 'doc-start' | 'seq-item-ind', afterSpace: boolean): boolean {
  let hasSpace = afterSpace;
  let found = false;
  for (const t of tokens) {
    switch (t.type) {
      case 'space':
        if (t.source.includes('\t')) return false;
        hasSpace = true;
        break;
      case 'newline':
        hasSpace = true;
        break;
      case 'comment':
        if (!hasSpace) return false;
        break;
      default:
        // Anchors, tags, `?` (explicit keys), a second indicator: the Composer's to read.
        if (t.type !== indicator || found) return false;
        found = true;
        hasSpace = false;
    }
  }
  return true;
}

/** A scalar as the Composer's composeScalar resolves it without a tag: the first default tag that matches. */
function scalar(token: CST.FlowScalar | CST.BlockScalar, ctx: DirectContext, atKey: boolean): unknown {
  if (token.type === 'alias') return FALLBACK;
  let text = token.type === 'block-scalar' ? undefined : oneLineValue(token);
  if (text === undefined) {
    const problem = { found: false };
    const resolved = CST.resolveAsScalar(token, ctx.options.strict, () => {
      problem.found = true;
    });
    if (problem.found) return FALLBACK;
    text = resolved.value;
  } else if (token.type !== 'block-scalar' && token.end && !propsOk(token.end, '', false)) {
    // What resolveEnd would refuse after the scalar (a comment without a space before it).
    return FALLBACK;
  }
  return token.type === 'scalar' ? typed(text, ctx, atKey) : text;
}

/**
 * The text of a flow scalar on one line without escapes: what the library's plainValue, singleQuotedValue
 * and doubleQuotedValue return for it, without building the string one character at a time (which left a
 * rope of ~70 pieces per value of a big ConfigMap for the garbage collector). undefined: let them do it.
 */
function oneLineValue(token: CST.FlowScalar): string | undefined {
  const source = token.source;
  if (source.includes('\n')) return undefined;
  switch (token.type) {
    case 'scalar':
      // What plainValue refuses to start with (its BAD_SCALAR_START) is left to it.
      return /^[\t,%|>@`]/.test(source) ? undefined : source;
    case 'single-quoted-scalar':
      return source.length > 1 && source.endsWith("'") ? source.slice(1, -1).replace(/''/g, "'") : undefined;
    case 'double-quoted-scalar':
      return source.length > 1 && source.endsWith('"') && !source.includes('\\')
        ? source.slice(1, -1)
        : undefined;
    default:
      return undefined;
  }
}

function emptyScalar(ctx: DirectContext): unknown {
  return typed('', ctx, false);
}

function typed(text: string, ctx: DirectContext, atKey: boolean): unknown {
  for (const tag of ctx.schema.tags) {
    if (!(tag.default === true || (atKey && tag.default === 'key')) || !tag.test?.test(text)) continue;
    if (!('resolve' in tag) || typeof tag.resolve !== 'function') return FALLBACK;
    const problem = { found: false };
    const value: unknown = tag.resolve(
      text,
      () => {
        problem.found = true;
      },
      ctx.options,
    );
    // Some tags give a Scalar node (floats keep their digits, null); toJS takes its value.
    const plain: unknown = isScalar(value) ? value.value : value;
    if (problem.found || (typeof plain === 'object' && plain !== null)) return FALLBACK;
    return plain;
  }
  return text;
}
