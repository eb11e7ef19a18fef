import { createRequire } from 'node:module';
import type { Environment } from 'minijinja-js';
import { errorMessage } from '../errors/index.js';
import { pythonJsonDumps, type JsonDumpOptions } from './json-dump.js';

const require = createRequire(import.meta.url);

/** The engine (a WASM module, ~80 ms to load) is loaded on first use, so commands that render nothing skip it. */
function newEnvironment(): Environment {
  const engine = require('minijinja-js') as typeof import('minijinja-js');
  return new engine.Environment();
}

/** A template by the name other templates include it with. */
export interface NamedTemplate {
  name: string;
  source: string;
}

/** What went wrong inside the engine, located in a template by its registered name. */
export class TemplateFailure extends Error {
  override readonly name = 'TemplateFailure';
  constructor(
    readonly reason: string,
    readonly template: string,
    readonly line?: number,
    readonly expression?: string,
  ) {
    super(reason);
  }
}

/**
 * Renders `main` with Jinja2's defaults (no autoescape, no trim_blocks, trailing newline dropped), strict
 * undefined, Python-style methods (.items(), .upper()) and json_dump/tojson as Python's json.dumps.
 */
export function renderTemplates(
  main: NamedTemplate,
  partials: readonly NamedTemplate[],
  context: unknown,
): string {
  const problems: string[] = [];
  const env = newEnvironment();
  try {
    env.undefinedBehavior = 'strict';
    env.debug = true; // keeps the source excerpt in errors, from which the failing expression is read
    env.enablePyCompat();
    env.addFilter('json_dump', jsonDumpFilter(problems));
    env.addFilter('tojson', jsonDumpFilter(problems));
    for (const t of [...partials, main]) env.addTemplate(t.name, withoutAutoEscape(t.source));
    const output = env.renderTemplate(main.name, context);
    if (problems.length > 0) throw new TemplateFailure(`json_dump: ${problems[0] ?? ''}`, main.name);
    return output;
  } catch (err) {
    const failure = err instanceof TemplateFailure ? err : explainEngineError(err, main.name);
    throw innerIncludeFailure(failure, partials, context) ?? failure;
  } finally {
    env.free();
  }
}

/**
 * An error inside an included template only says "error in NAME" at the include; rendering that template
 * on its own usually finds the real line. Errors that depend on loop variables fall back to the include.
 */
function innerIncludeFailure(
  failure: TemplateFailure,
  partials: readonly NamedTemplate[],
  context: unknown,
): TemplateFailure | undefined {
  const inner = /error in "(?<name>[^"]+)"/.exec(failure.reason)?.groups?.name;
  const partial = partials.find((p) => p.name === inner);
  if (!partial || partial.name === failure.template) return undefined;
  try {
    renderTemplates(partial, partials, context);
    return undefined;
  } catch (err) {
    return err instanceof TemplateFailure ? err : undefined;
  }
}

/**
 * MiniJinja picks JSON autoescaping from the template name (*.yaml.j2, *.json.j2) and the JS binding cannot
 * turn that off; Jinja2 never autoescapes by default, so every template runs inside an autoescape-false block.
 * The block opens on line 1 and closes before the final newline, so line numbers stay the same.
 */
function withoutAutoEscape(source: string): string {
  const body = source.endsWith('\n') ? source.slice(0, -1) : source;
  return `{% autoescape false %}${body}{% endautoescape %}${source.endsWith('\n') ? '\n' : ''}`;
}

/** A throwing JS filter makes the WASM engine panic and corrupts it, so failures are collected instead. */
function jsonDumpFilter(problems: string[]): (value: unknown, ...args: unknown[]) => string {
  return (value, ...args) => {
    try {
      return pythonJsonDumps(value, dumpOptions(args));
    } catch (err) {
      problems.push(errorMessage(err));
      return '';
    }
  };
}

function dumpOptions(args: readonly unknown[]): JsonDumpOptions {
  const kwargs = args.find((a): a is Map<unknown, unknown> => a instanceof Map);
  const indent = kwargs?.get('indent') ?? args.find((a) => typeof a === 'number' || typeof a === 'string');
  return typeof indent === 'number' || typeof indent === 'string' ? { indent } : {};
}

const LOCATION = /^(?<reason>.*?) \(in (?<template>.+):(?<line>\d+)\)$/;

function explainEngineError(err: unknown, fallbackTemplate: string): TemplateFailure {
  const text = errorMessage(err);
  const [first = text] = text.split('\n');
  const located = LOCATION.exec(first)?.groups;
  if (!located) return new TemplateFailure(first, fallbackTemplate);
  const reason = located.reason ?? first;
  const reasonText = reason.includes('endautoescape')
    ? 'syntax error: unexpected end of template, a block ({% for %}, {% if %}, {% macro %}, ...) is not closed'
    : reason;
  return new TemplateFailure(
    reasonText,
    located.template ?? fallbackTemplate,
    Number(located.line),
    underlined(text),
  );
}

/** The source text the engine underlined with ^^^ in its debug excerpt, if it sits on one line. */
function underlined(text: string): string | undefined {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /^\s*\d+ > /.test(l));
  const code = lines[at];
  const marks = lines[at + 1];
  if (at < 0 || code === undefined || marks === undefined) return undefined;
  const codePrefix = /^\s*\d+ > /.exec(code)?.[0].length ?? 0;
  const marksPrefix = /^\s*i /.exec(marks)?.[0].length;
  const caret = /\^+/.exec(marks);
  if (marksPrefix === undefined || !caret) return undefined;
  const start = caret.index - marksPrefix;
  const expression = code.slice(codePrefix + start, codePrefix + start + caret[0].length).trim();
  return expression.length > 0 ? expression : undefined;
}
