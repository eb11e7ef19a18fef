import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clusterHome } from '../../record.js';

/** One resource a bootstrap step found or created: what delete needs to remove it. */
export interface JournalEntry {
  step: string;
  /** The resource type, as the inventory names it (vpc, subnet, security-group, iam-role, ...). */
  type: string;
  id: string;
  /** True when this run created it (false: found from an earlier run). */
  created: boolean;
  at: string;
}

/**
 * The bootstrap journal, `<home>/clusters/<name>/journal.jsonl`: appended as each resource is created or
 * found, one line at a time, so a crash loses at most the line being written.
 */
export class Journal {
  constructor(
    private readonly home: string,
    private readonly cluster: string,
  ) {}

  get path(): string {
    return join(clusterHome(this.home, this.cluster), 'journal.jsonl');
  }

  async record(entry: Omit<JournalEntry, 'at'>): Promise<void> {
    await mkdir(clusterHome(this.home, this.cluster), { recursive: true });
    await appendFile(this.path, JSON.stringify({ ...entry, at: new Date().toISOString() }) + '\n');
  }

  /** Every entry; a torn last line (a crash mid-write) is skipped. */
  async entries(): Promise<JournalEntry[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return text
      .split('\n')
      .filter(Boolean)
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as JournalEntry];
        } catch {
          return [];
        }
      });
  }
}
