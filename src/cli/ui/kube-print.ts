import { stringify } from 'yaml';
import { displayName, type KubeObject, type Table } from '../../api/kube.js';

export type ObjectFormat = 'yaml' | 'json' | 'name';

/** Objects as kubectl -o prints them: one object as itself, several as a v1 List. */
export function formatObjects(
  objects: readonly KubeObject[],
  format: ObjectFormat,
  single = objects.length === 1,
): string {
  if (format === 'name') return objects.map((o) => `${displayName(o)}\n`).join('');
  // Like kubectl (without --show-managed-fields): managedFields are noise for readers.
  objects = objects.map(withoutManagedFields);
  const value =
    single && objects[0]
      ? objects[0]
      : { apiVersion: 'v1', kind: 'List', items: objects, metadata: { resourceVersion: '' } };
  // Sorted keys like kubectl; YAML 1.1 quoting so `on`, `yes` and timestamps read back as strings.
  return format === 'json'
    ? `${JSON.stringify(sortKeys(value), null, 4)}\n`
    : stringify(value, { version: '1.1', sortMapEntries: true, lineWidth: 0 });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}

export interface TableFormat {
  wide: boolean;
  /** Prepends a NAMESPACE column (kubectl -A). */
  withNamespace: boolean;
  /** Prefix for the name column when several types are printed: `deployment.apps/`. */
  namePrefix?: string;
}

/** A server-rendered table laid out like kubectl: upper-case headers, columns three spaces apart. */
export function formatTable(table: Table, format: TableFormat): string {
  const columns = table.columns
    .map((c, i) => ({ ...c, index: i }))
    .filter((c) => format.wide || c.priority === 0);
  const header = columns.map((c) => c.name.toUpperCase());
  const rows = table.rows.map((row) =>
    columns.map((c) => {
      const text = cellText(row.cells[c.index]);
      return c.format === 'name' && format.namePrefix ? `${format.namePrefix}${text}` : text;
    }),
  );
  const lines = [header, ...rows];
  if (format.withNamespace) {
    lines[0]?.unshift('NAMESPACE');
    table.rows.forEach((row, i) => lines[i + 1]?.unshift(row.namespace ?? ''));
  }
  return layout(lines);
}

export function layout(lines: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const line of lines) line.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return lines
    .map((line) =>
      line
        .map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3)))
        .join('')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined || cell === '') return cell === '' ? '' : '<none>';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  return JSON.stringify(cell);
}

/** kubectl's `kind.group "name"` for messages such as `deleted`. */
export function quotedName(name: string): string {
  const slash = name.indexOf('/');
  return slash < 0 ? name : `${name.slice(0, slash)} "${name.slice(slash + 1)}"`;
}

function withoutManagedFields(obj: KubeObject): KubeObject {
  if (!('managedFields' in obj.metadata)) return obj;
  const metadata = { ...obj.metadata };
  delete metadata.managedFields;
  return { ...obj, metadata };
}
