/**
 * The few error classes of cncfdemo: a user error with a hint (exit 1; a usage error exits 2), a failed
 * external command with its output, an exit with a code. src/cli/errors.ts is where they are printed.
 */

/** A problem the user can fix: printed as one line with a hint, never with a stack (unless --debug). */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Bad command-line usage (unknown flag, malformed value): exit code 2 like most CLIs. */
export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, hint, 2);
  }
}

/** An external command failed; carries what it printed so the user can see why. */
export class RunError extends Error {
  override readonly name = 'RunError';
  constructor(
    readonly command: readonly string[],
    readonly exitCode: number | null,
    readonly output: string,
  ) {
    const tail = output.trim().split('\n').slice(-1)[0] ?? '';
    super(`${command.join(' ')} failed (exit ${exitCode ?? 'signal'})${tail ? `: ${tail}` : ''}`);
  }
}

/** Ends the command with a given exit code after its output was already printed (e.g. doctor found FAILs). */
export class ExitError extends Error {
  override readonly name = 'ExitError';
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

/** Wraps an error with what was being done, keeping a user error's hint and exit code. */
export function withContext(err: unknown, context: string): Error {
  if (err instanceof UserError) return new UserError(`${context}: ${err.message}`, err.hint, err.exitCode);
  const cause = err instanceof Error ? err : new Error(String(err));
  return Object.assign(new Error(`${context}: ${cause.message}`, { cause }), { stack: cause.stack });
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
