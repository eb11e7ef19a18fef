/**
 * What an error message quotes of a component's log: the lines that say why it stopped. A Go program that
 * panics ends its log with a stack trace, whose last lines name only source files; klog marks errors and
 * fatal exits with E or F and the date (`E1203 16:12:01.123456 ...`).
 */
const PANIC = /^panic: /;
const KLOG_ERROR = /^[EF]\d{4} /;
/** How far from the end a klog error still counts as the reason (later lines are the shutdown's). */
const ERROR_WINDOW = 20;

/** The panic's message, else the last klog error or fatal line near the end, else the last `lines` lines. */
export function logSummary(log: string, lines = 3): string {
  const all = log.trimEnd().split('\n');
  const panic = all.findLast((l) => PANIC.test(l));
  if (panic !== undefined) return panic.slice(0, 300);
  const error = all.slice(-ERROR_WINDOW).findLast((l) => KLOG_ERROR.test(l));
  if (error !== undefined) return error.slice(0, 300);
  return all.slice(-lines).join(' | ');
}
