import { describe, expect, it } from 'vitest';
import type { Exec } from '../../../../exec/index.js';
import { networkSetupPlan, networkTeardownPlan, setUpNetwork } from './network.js';

const joined = (cmds: readonly (readonly string[])[]) => cmds.map((c) => c.join(' '));

describe('networkSetupPlan', () => {
  const runs = joined(networkSetupPlan({ guardedPorts: [6443] }).map((s) => s.run));

  it('seals the range three ways: policy routing, firewall, unreachable route', () => {
    expect(runs).toContain('ip rule add from 198.18.0.0/15 lookup 1918 priority 1918');
    expect(runs).toContain('ip route replace unreachable default table 1918');
    expect(runs).toContain('ip route replace unreachable 198.18.0.0/15');
    expect(runs).toContain(
      'iptables -w 5 -A CNCFDEMO-FORWARD -s 198.18.0.0/15 ! -o cncfdemo0 -j REJECT --reject-with icmp-net-unreachable',
    );
  });

  it('installs no NAT anywhere', () => {
    expect(runs.join('\n')).not.toMatch(/MASQUERADE|SNAT|DNAT|-t nat/);
  });

  it('guards the API server port from every interface but loopback and the bridge', () => {
    const input = runs.filter((r) => r.includes('CNCFDEMO-INPUT'));
    expect(input.indexOf('iptables -w 5 -A CNCFDEMO-INPUT -i lo -j RETURN')).toBeLessThan(
      input.indexOf('iptables -w 5 -A CNCFDEMO-INPUT -p tcp --dport 6443 -j DROP'),
    );
  });

  it('jumps to its chains first in the built-in chains', () => {
    expect(runs).toContain('iptables -w 5 -I FORWARD 1 -j CNCFDEMO-FORWARD');
    expect(runs).toContain('iptables -w 5 -I OUTPUT 1 -j CNCFDEMO-OUTPUT');
  });
});

describe('setUpNetwork', () => {
  it('skips a step whose check holds, so a second run changes nothing', async () => {
    const ran: string[] = [];
    const everythingThere: Exec = (command, args) => {
      const line = [command, ...args].join(' ');
      if (/ -[AIN] |link add|addr add|rule add/.test(` ${line} `)) ran.push(line);
      const stdout = line.startsWith('ip -o addr')
        ? ' inet 198.18.0.1/24 brd'
        : line.startsWith('ip rule show')
          ? '1918: from'
          : '';
      return Promise.resolve({ stdout: `${stdout} `, stderr: '' });
    };
    await setUpNetwork(everythingThere);
    expect(ran).toEqual([]);
  });
});

describe('networkTeardownPlan', () => {
  it('removes every chain it created and the bridge last', () => {
    const plan = joined(networkTeardownPlan());
    for (const chain of ['CNCFDEMO-FORWARD', 'CNCFDEMO-OUTPUT', 'CNCFDEMO-INPUT']) {
      expect(plan).toContain(`iptables -w 5 -X ${chain}`);
    }
    expect(plan.at(-1)).toBe('ip link del cncfdemo0');
  });
});
