import { createServer } from 'node:net';
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

/** Whether something on this machine listens on host:port already. */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(true);
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => {
        resolve(false);
      });
    });
  });
}
