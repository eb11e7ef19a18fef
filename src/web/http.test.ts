import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { allowedHosts, checkedPath } from './http.js';

const req = (host: string | undefined, url = '/api/runs'): Pick<IncomingMessage, 'headers' | 'url'> => ({
  headers: host === undefined ? {} : { host },
  url,
});

describe('the Host check', () => {
  const hosts = allowedHosts('127.0.0.1', 8484);
  it('accepts the address served and localhost, with its port, in any case', () => {
    expect(checkedPath(req('127.0.0.1:8484'), hosts)?.pathname).toBe('/api/runs');
    expect(checkedPath(req('LOCALHOST:8484'), hosts)?.pathname).toBe('/api/runs');
  });
  it('refuses other names, other ports, no port and no Host', () => {
    for (const host of [
      'evil.example:8484',
      'localhost',
      '127.0.0.1:80',
      '127.0.0.1.nip.io:8484',
      '',
      undefined,
    ])
      expect(checkedPath(req(host), hosts), String(host)).toBeUndefined();
  });
  it('brackets an IPv6 address', () => {
    expect([...allowedHosts('::1', 9000)]).toEqual(['[::1]:9000', 'localhost:9000']);
  });
});
