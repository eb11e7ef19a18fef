/**
 * Time limits: the one duration parser (duration.ts) and the Deadline a command's --timeout becomes,
 * from which every request and process of the command takes its own timeout.
 */
import { setMaxListeners } from 'node:events';
import { UserError } from '../errors/index.js';
import { formatDuration, MAX_TIMER_MS } from './duration.js';

export { formatDuration, MAX_TIMER_MS, parseDuration } from './duration.js';

/** How long past its deadline a command may still talk to the API to say why it timed out (events, conditions). */
export const REPORT_GRACE_MS = 5_000;

/**
 * The moment a whole command must be done by (its --timeout). Every network call and external process of
 * the command derives its own timeout from it, so nothing (no retry, no credential plugin) outlives it.
 * `signal` aborts at the deadline with a UserError naming the flag.
 */
export class Deadline {
  /** When the work must be done; requests are cut off `graceMs` later. */
  readonly at: number;
  readonly signal: AbortSignal;

  constructor(
    readonly ms: number,
    /** What set it, for messages: "--timeout". */
    readonly flag = '--timeout',
    /** Time after `ms` in which requests still go out, for the timeout's own report. */
    readonly graceMs = REPORT_GRACE_MS,
  ) {
    if (!(ms > 0) || ms + graceMs > MAX_TIMER_MS) {
      throw new UserError(
        `${flag} ${formatDuration(ms)} is out of range`,
        `give ${flag} a duration above 0 and at most ${formatDuration(MAX_TIMER_MS - graceMs)}`,
      );
    }
    this.at = Date.now() + ms;
    const controller = new AbortController();
    // Many requests of one command listen on it at once; that is not a leak.
    setMaxListeners(0, controller.signal);
    this.signal = controller.signal;
    setTimeout(() => {
      controller.abort(this.error());
    }, ms + graceMs).unref();
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
