import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../errors/index.js';
import { freePort } from '../../../../net/ports.js';
import { checkMirrors, parseRegistryMirror } from './mirrors.js';

describe('parseRegistryMirror', () => {
  it('reads REGISTRY=URL and drops a trailing slash', () => {
    expect(parseRegistryMirror('docker.io=http://127.0.0.1:5000/')).toEqual({
      registry: 'docker.io',
      endpoint: 'http://127.0.0.1:5000',
    });
    expect(parseRegistryMirror('registry.k8s.io:443=https://m.example.com').registry).toBe(
      'registry.k8s.io:443',
    );
  });

  it.each(['docker.io', '=http://x', 'docker.io=ftp://x', 'docker.io=not a url', 'a b=http://x'])(
    'refuses %s with a hint',
    (text) => {
      expect(() => parseRegistryMirror(text)).toThrow(UserError);
    },
  );
});

describe('checkMirrors', () => {
  it('accepts a registry API that answers and names one that does not', async () => {
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/v2/' ? 200 : 404).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await checkMirrors([{ registry: 'docker.io', endpoint: `http://127.0.0.1:${String(port)}` }]);
      const dead = await freePort();
      await expect(
        checkMirrors([{ registry: 'docker.io', endpoint: `http://127.0.0.1:${String(dead)}` }]),
      ).rejects.toThrow(
        /mirror for docker\.io at http:\/\/127\.0\.0\.1:\d+ does not answer \(.*ECONNREFUSED/,
      );
    } finally {
      server.close();
    }
  });
});
