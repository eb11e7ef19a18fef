import { setMaxListeners } from 'node:events';
import { UserError } from '../errors/index.js';

/** Node's timers fire at once (with a warning) for delays above this: 2^31-1 ms, about 24.8 days. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** "20s", "1m30s", "2h": how a duration is shown next to the flag that set it. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const seconds = Math.round(ms / 100) / 10;
  if (seconds < 60) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}

/**
 * The moment a whole command must be done by (its --timeout). Every network call and external process of
 * the command derives its own timeout from it, so nothing (no retry, no credential plugin) outlives it.
 * `signal` aborts at the deadline with a UserError naming the flag.
 */
export class Deadline {
  readonly at: number;
  readonly signal: AbortSignal;

  constructor(
    readonly ms: number,
    /** What set it, for messages: "--timeout". */
    readonly flag = '--timeout',
  ) {
    if (!(ms > 0) || ms > MAX_TIMER_MS) {
      throw new UserError(
        `${flag} ${formatDuration(ms)} is out of range`,
        `give ${flag} a duration above 0 and at most ${formatDuration(MAX_TIMER_MS)}`,
      );
    }
    this.at = Date.now() + ms;
    const controller = new AbortController();
    // Many requests of one command listen on it at once; that is not a leak.
    setMaxListeners(0, controller.signal);
    this.signal = controller.signal;
    setTimeout(() => {
      controller.abort(this.error());
    }, ms).unref();
  }

  remainingMs(): number {
    return Math.max(0, this.at - Date.now());
  }

  get expired(): boolean {
    return this.signal.aborted;
  }

  /** The error for work cut short by the deadline; `what` says what was still going on. */
  error(what?: string): UserError {
    return new UserError(
      `${what ? `${what}: ` : ''}not done within ${this.flag} ${formatDuration(this.ms)}`,
      `check that the cluster answers (\`cncfdemo doctor --cluster\`), or raise ${this.flag} if it is only slow`,
    );
  }

  /** A signal that aborts at the deadline or when `other` does. */
  with(other: AbortSignal | undefined): AbortSignal {
    return other ? AbortSignal.any([this.signal, other]) : this.signal;
  }
}
