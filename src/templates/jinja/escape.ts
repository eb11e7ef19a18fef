import { defined, Markup, str } from './values.js';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
};

/** Jinja2's escape(): HTML-escapes a string; Markup is already safe. */
export function escape(value: unknown): Markup {
  if (value instanceof Markup) return value;
  return new Markup(str(defined(value)).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c));
}
