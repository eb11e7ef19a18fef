import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured streams, as a user would from a shell. */
export async function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  stdin = '',
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from([stdin]),
    env,
  });
  return { code, stdout, stderr };
}

/** The shape every user-facing error must have: one line, starting with `error:`, no stack trace. */
export function isOneLineError(stderr: string): boolean {
  const lines = stderr.trimEnd().split('\n');
  return lines.length === 1 && (lines[0] ?? '').startsWith('error: ') && !/\n\s+at /.test(stderr);
}
