import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { portInUse, reservedPort } from './ports.js';

const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
  .trim()
  .split(/\s+/)
  .map(Number);

describe('reservedPort', () => {
  it('gives free ports below the ephemeral range, none of those to avoid', async () => {
    const avoid = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const port = await reservedPort(avoid);
      expect(port).toBeGreaterThanOrEqual(20000);
      expect(port).toBeLessThan(ephemeralLow ?? 32768);
      expect(avoid.has(port)).toBe(false);
      expect(await portInUse(port)).toBe(false);
      avoid.add(port);
    }
  });
});
