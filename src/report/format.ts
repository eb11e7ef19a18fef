/** How report pages and the compare table write numbers, durations and machines. */
import type { RunMetadata } from '../model/run-record.js';

export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined) return '–';
  if (s === 0) return '0 s';
  if (s < 1e-3) return `${(s * 1e6).toFixed(0)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(2)} ms`;
  return `${s.toFixed(2)} s`;
}

export function formatNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined) return '–';
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** The machines by role ("master 1 × t3.medium, minion 3 × t3.large"), else the nodes' instance type. */
export function instanceTypes(md: RunMetadata): string {
  return md.machines?.length
    ? md.machines.map((m) => `${m.role} ${m.count} × ${m.instanceType}`).join(', ')
    : (md.nodes.instanceType ?? '–');
}
