import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventStream } from '../events/index.js';

/** A run's record on disk: `<home>/runs/<id>/events.jsonl`, one event per line as it happens. */
export interface RunLog {
  id: string;
  dir: string;
  eventsFile: string;
  /** Stops recording and flushes the file. */
  close(): Promise<void>;
}

/** A sortable, unique run id: UTC time, the command, and a random suffix. */
export function newRunId(command: string, now = new Date(), suffix = randomBytes(2).toString('hex')): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${command}-${suffix}`;
}

export async function openRunLog(home: string, command: string, events: EventStream): Promise<RunLog> {
  const id = newRunId(command);
  const dir = join(home, 'runs', id);
  await mkdir(dir, { recursive: true });
  const eventsFile = join(dir, 'events.jsonl');
  const stream: WriteStream = createWriteStream(eventsFile, { flags: 'a' });
  const unsubscribe = events.subscribe((event) => {
    stream.write(`${JSON.stringify({ run: id, ...event })}\n`);
  });
  return {
    id,
    dir,
    eventsFile,
    close: () =>
      new Promise<void>((resolve, reject) => {
        unsubscribe();
        stream.end((err?: Error | null) => {
          if (err) reject(err);
          else resolve();
        });
      }),
  };
}
