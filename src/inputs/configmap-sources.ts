import { basename } from 'node:path';
import { UserError } from '../errors/index.js';

const KEY_CHARS = /^[-._a-zA-Z0-9]+$/;
const MAX_KEY_LENGTH = 253;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What is wrong with a ConfigMap key, as the API server's IsConfigMapKey says it; empty when valid. */
export function configMapKeyProblems(key: string): string[] {
  const problems: string[] = [];
  if (key.length > MAX_KEY_LENGTH) problems.push(`must be no more than ${MAX_KEY_LENGTH} characters`);
  if (!KEY_CHARS.test(key)) problems.push("must consist of alphanumeric characters, '-', '_' or '.'");
  if (key === '.' || key === '..') problems.push(`must not be '${key}'`);
  else if (key.startsWith('..')) problems.push("must not start with '..'");
  return problems;
}

/** Rejects names the API server would reject: a DNS subdomain (lower case, digits, '-', '.'; up to 253). */
export function checkConfigMapName(name: string): void {
  if (name.length > 0 && name.length <= MAX_KEY_LENGTH && DNS_SUBDOMAIN.test(name)) return;
  throw new UserError(
    `invalid ConfigMap name "${name}": must be lower case letters, digits, '-' or '.', start and end with a letter or digit`,
    'pick a name like "app-config"',
  );
}

/** `--from-file=[KEY=]PATH` as kubectl reads it: the key defaults to the file's base name. */
export function parseFileSource(source: string): { key: string | undefined; path: string } {
  const parts = source.split('=');
  if (parts.length === 1) return { key: undefined, path: source };
  const [key = '', path = ''] = parts;
  const hint = 'write --from-file=PATH or --from-file=KEY=PATH';
  if (parts.length > 2)
    throw new UserError(`--from-file=${source}: key names or file paths cannot contain '='`, hint);
  if (key === '') throw new UserError(`--from-file=${source}: key name for file path ${path} missing`, hint);
  if (path === '') throw new UserError(`--from-file=${source}: file path for key name ${key} missing`, hint);
  return { key, path };
}

/** `--from-literal=KEY=VALUE`: split at the first '=', the value may hold more. */
export function parseLiteralSource(source: string): { key: string; value: string } {
  const at = source.indexOf('=');
  if (at <= 0) {
    throw new UserError(
      `invalid literal source ${source}, expected key=value`,
      'write --from-literal=KEY=VALUE',
    );
  }
  return { key: source.slice(0, at), value: source.slice(at + 1) };
}

/** The key of a file found under a --from-file directory: its path below it, parts joined with '_'. */
export function keyForPath(relativeParts: readonly string[]): string {
  return relativeParts.join('_');
}

/** The key a single file gets when no KEY= was given. */
export function keyForFile(path: string): string {
  return basename(path);
}
