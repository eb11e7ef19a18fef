import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';

interface SavedComponent {
  name?: string;
  ports?: { port?: number }[];
}

/** The loopback ports a kwokctl cluster's components listen on, from its saved kwok.yaml. */
export async function savedPorts(kwokYaml: string): Promise<{ component: string; port: number }[]> {
  const docs = parseAllDocuments(await readFile(kwokYaml, 'utf8')).map(
    (d) => d.toJS() as { kind?: string; components?: SavedComponent[] } | null,
  );
  const components = docs.find((d) => d?.kind === 'KwokctlConfiguration')?.components ?? [];
  return components.flatMap((c) =>
    (c.ports ?? []).flatMap((p) =>
      typeof p.port === 'number' ? [{ component: c.name ?? '?', port: p.port }] : [],
    ),
  );
}
