import type { Logger } from '../log/logger.js';

export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Everything a command may touch outside the library: streams and environment. */
export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

/** Options every command accepts. */
export interface GlobalOptions {
  debug: boolean;
  home?: string;
}

export interface CliContext {
  io: CliIO;
  logger: Logger;
  /** Read after parsing: the global flags the user gave. */
  globals(): GlobalOptions;
}

/** `--home` as the library's `home` option (absent: the library reads $CNCFDEMO_HOME from `env`). */
export function homeOption(ctx: CliContext): { home?: string } {
  const home = ctx.globals().home;
  return home ? { home } : {};
}
