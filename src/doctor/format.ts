import type { CheckArea, DoctorReport } from './types.js';

const AREA_TITLES: Record<CheckArea, string> = {
  storage: 'Storage',
  network: 'Network',
  security: 'Security',
  runtime: 'Container runtime',
  host: 'Host',
  cluster: 'Cluster',
  aws: 'AWS',
};
const AREA_ORDER: CheckArea[] = ['storage', 'network', 'security', 'runtime', 'host', 'cluster', 'aws'];

/** The human report: one table per area, evidence under each check, remediation for WARN/FAIL, a verdict line. */
export function formatTable(report: DoctorReport): string {
  const idWidth = Math.max(...report.checks.map((c) => c.id.length), 5);
  const lines: string[] = [];
  if (report.root) lines.push(`root filesystem: ${report.root}`, '');
  for (const area of AREA_ORDER) {
    const checks = report.checks.filter((c) => c.area === area);
    if (checks.length === 0) continue;
    lines.push(AREA_TITLES[area]);
    for (const c of checks) {
      lines.push(`  ${c.status.padEnd(4)}  ${c.id.padEnd(idWidth)}  ${c.title}`);
      for (const e of c.evidence) lines.push(`  ${' '.repeat(6 + idWidth)}  - ${e}`);
      if (c.remediation) lines.push(`  ${' '.repeat(6 + idWidth)}  fix: ${c.remediation}`);
    }
    lines.push('');
  }
  const { counts } = report;
  lines.push(
    `verdict: ${report.verdict} (${counts.PASS} pass, ${counts.WARN} warn, ${counts.FAIL} fail, ${counts.SKIP} skip)`,
  );
  return `${lines.join('\n')}\n`;
}

export function formatJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
