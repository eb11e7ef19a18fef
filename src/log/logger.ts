/**
 * The logger interface of the library: levels, and a no-op default; the CLI decides where lines go.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Library code logs through this; the CLI decides where it goes. The default says nothing. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const noopLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function streamLogger(write: (line: string) => void, level: LogLevel = 'info'): Logger {
  const at =
    (l: LogLevel) =>
    (message: string): void => {
      if (ORDER[l] >= ORDER[level]) write(l === 'info' ? `${message}\n` : `${l}: ${message}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
