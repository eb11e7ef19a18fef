import { CommanderError } from 'commander';
import { ExitError, RunError, UserError } from '../errors/index.js';
import type { OutputStream } from './context.js';

/** The one place errors are printed: a line for users; the stack only with --debug. */
export function reportError(err: unknown, stderr: OutputStream, debug: boolean): number {
  if (err instanceof ExitError) return err.exitCode;
  if (err instanceof CommanderError) {
    // commander already printed its one-line message through configureOutput
    return err.exitCode === 1 ? 2 : err.exitCode;
  }
  if (err instanceof UserError) {
    stderr.write(`error: ${oneLine(err.message)}${err.hint ? ` (hint: ${oneLine(err.hint)})` : ''}\n`);
    if (debug && err.stack) stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  if (err instanceof RunError) {
    stderr.write(`error: ${oneLine(err.message)}\n`);
    if (debug) stderr.write(`${err.output}\n${err.stack ?? ''}\n`);
    return 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  stderr.write(`error: ${oneLine(message)} (hint: rerun with --debug for details)\n`);
  if (debug && err instanceof Error && err.stack) stderr.write(`${err.stack}\n`);
  return 1;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, '; ').trim();
}
