import type { StartResult } from '../../api/stack.js';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

/** The run's per-component timeline: when each component was applied and when it was Ready. */
export function formatTimeline(result: StartResult): string {
  const rows = [...result.components].sort((a, b) => a.startedMs - b.startedMs || a.readyMs - b.readyMs);
  const width = Math.max(...rows.map((r) => r.name.length), 9);
  const lines = [
    `  ${'COMPONENT'.padEnd(width)}  APPLIED   READY     TOOK`,
    ...rows.map(
      (r) =>
        `  ${r.name.padEnd(width)}  ${seconds(r.startedMs).padStart(7)}  ${seconds(r.readyMs).padStart(7)}  ${seconds(r.readyMs - r.startedMs).padStart(7)}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
