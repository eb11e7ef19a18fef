/**
 * A loopback HTTP server laid out like the release sites behind CNCFDEMO_RELEASE_MIRROR: GET /HOST/PATH
 * answers with what was registered for https://HOST/PATH (bytes, or a file streamed from disk), 404 else.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReleaseMirror {
  /** The value for CNCFDEMO_RELEASE_MIRROR. */
  url: string;
  /** Paths asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** `files`: release URL (https://HOST/PATH) -> its content, or `{ file }` to stream from disk. */
export async function startReleaseMirror(
  files: ReadonlyMap<string, Buffer | { file: string }>,
): Promise<ReleaseMirror> {
  const byPath = new Map([...files].map(([url, body]) => [`/${url.replace(/^https:\/\//, '')}`, body]));
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const body = byPath.get(path);
    if (body === undefined) {
      res.writeHead(404).end('not found');
    } else if (Buffer.isBuffer(body)) {
      res.writeHead(200, { 'content-length': body.length }).end(body);
    } else {
      void stat(body.file).then(({ size }) => {
        res.writeHead(200, { 'content-length': size });
        createReadStream(body.file).pipe(res);
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}
