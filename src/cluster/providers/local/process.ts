import { readFile } from 'node:fs/promises';

/**
 * Whether `pid` is a running (not zombie) process named `command`. After a reboot a pid file may name a
 * process that is gone or, worse, an unrelated one that got the same pid; /proc tells them apart.
 * Without /proc (not Linux), only the pid's existence is checked.
 */
export async function isLiveProcess(pid: number, command: string, proc = '/proc'): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  let stat: string;
  try {
    stat = await readFile(`${proc}/${String(pid)}/stat`, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || (await hasProc(proc))) return false;
    return signalZeroSucceeds(pid);
  }
  // "<pid> (<comm>) <state> ...": comm may hold spaces and parentheses, so split at the last ')'.
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(open + 1, close);
  const state = stat.slice(close + 2, close + 3);
  // comm is cut to 15 characters by the kernel
  return comm === command.slice(0, 15) && state !== 'Z' && state !== 'X';
}

async function hasProc(proc: string): Promise<boolean> {
  try {
    await readFile(`${proc}/self/stat`, 'utf8');
    return true;
  } catch {
    return false;
  }
}

function signalZeroSucceeds(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
