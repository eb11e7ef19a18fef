import type { Exec } from '../../../../exec/index.js';
import { FIREWALL_CHAINS, REAL_NODE_NETWORK as NET } from './layout.js';

/**
 * The real node's network, sealed to this machine. Three independent locks keep pod traffic here:
 * - policy routing: packets from the sealed range are looked up in a table that knows only the bridge and
 *   answers everything else with "unreachable" (a pod's connect() to any other address fails at once);
 * - firewall: traffic from the sealed range leaving by any interface but the bridge is rejected, and the
 *   host's own traffic to the range may leave only by the bridge;
 * - an `unreachable` route for the whole range, so a Service address kube-proxy did not translate never
 *   takes the default route.
 * No NAT to any other interface is ever installed. Every step is idempotent and teardown tolerates
 * half-made state (a crash at any point, then delete, converges).
 */

/** One command and how to tell that its effect is already there (then it is skipped). */
interface Step {
  check?: readonly string[];
  run: readonly string[];
}

const ipt = (...args: string[]): string[] => ['iptables', '-w', '5', ...args];

export interface FirewallOptions {
  /** TCP ports on this host that only loopback and the bridge may reach (e.g. the API server's). */
  guardedPorts?: readonly number[];
}

/** The set-up as an ordered list of idempotent steps: pure, so it is tested without touching the host. */
export function networkSetupPlan(options: FirewallOptions = {}): Step[] {
  const { forward, output, input } = FIREWALL_CHAINS;
  const chainRules = (chain: string, rules: string[][]): Step[] => [
    { check: ipt('-S', chain), run: ipt('-N', chain) },
    ...rules.map((rule) => ({ check: ipt('-C', chain, ...rule), run: ipt('-A', chain, ...rule) })),
  ];
  const reject = ['-j', 'REJECT', '--reject-with', 'icmp-net-unreachable'];
  return [
    { check: ['ip', 'link', 'show', NET.bridge], run: ['ip', 'link', 'add', NET.bridge, 'type', 'bridge'] },
    {
      check: ['ip-addr-present', NET.bridge, `${NET.bridgeAddress}/${NET.bridgePrefix}`],
      run: ['ip', 'addr', 'add', `${NET.bridgeAddress}/${NET.bridgePrefix}`, 'dev', NET.bridge],
    },
    { run: ['ip', 'link', 'set', NET.bridge, 'up'] },
    { run: ['ip', 'route', 'replace', 'unreachable', NET.sealedCidr] },
    {
      run: ['ip', 'route', 'replace', NET.nodePodSubnet, 'dev', NET.bridge, 'table', String(NET.routeTable)],
    },
    { run: ['ip', 'route', 'replace', 'unreachable', 'default', 'table', String(NET.routeTable)] },
    {
      check: ['ip-rule-present', String(NET.routeRulePriority)],
      run: [
        'ip',
        'rule',
        'add',
        'from',
        NET.sealedCidr,
        'lookup',
        String(NET.routeTable),
        'priority',
        String(NET.routeRulePriority),
      ],
    },
    ...chainRules(forward, [
      ['-s', NET.sealedCidr, '!', '-o', NET.bridge, ...reject],
      ['-d', NET.sealedCidr, '!', '-i', NET.bridge, '-j', 'DROP'],
    ]),
    ...chainRules(output, [
      ['-o', 'lo', '-j', 'RETURN'],
      ['-o', NET.bridge, '-j', 'RETURN'],
      ['-d', NET.sealedCidr, ...reject],
    ]),
    ...chainRules(input, [
      ['-i', 'lo', '-j', 'RETURN'],
      ['-i', NET.bridge, '-j', 'RETURN'],
      ['-d', NET.sealedCidr, '-j', 'DROP'],
      ...(options.guardedPorts ?? []).map((port) => ['-p', 'tcp', '--dport', String(port), '-j', 'DROP']),
    ]),
    // First in each built-in chain, so no later ACCEPT (kube-proxy's, a distribution's) can bypass them.
    ...(
      [
        ['FORWARD', forward],
        ['OUTPUT', output],
        ['INPUT', input],
      ] as const
    ).map(([builtin, chain]) => ({
      check: ipt('-C', builtin, '-j', chain),
      run: ipt('-I', builtin, '1', '-j', chain),
    })),
  ];
}

/**
 * The kubelet's own iptables chains (both families), which `kube-proxy --cleanup` leaves: its canaries,
 * the hint for the iptables backend, and KUBE-FIREWALL (jumped to from INPUT and OUTPUT).
 */
const KUBELET_CHAINS: readonly { table: string; chain: string; jumpsFrom: readonly string[] }[] = [
  { table: 'filter', chain: 'KUBE-FIREWALL', jumpsFrom: ['INPUT', 'OUTPUT'] },
  { table: 'filter', chain: 'KUBE-KUBELET-CANARY', jumpsFrom: [] },
  { table: 'nat', chain: 'KUBE-KUBELET-CANARY', jumpsFrom: [] },
  { table: 'mangle', chain: 'KUBE-KUBELET-CANARY', jumpsFrom: [] },
  { table: 'mangle', chain: 'KUBE-IPTABLES-HINT', jumpsFrom: [] },
];
const FAMILIES = ['iptables', 'ip6tables'] as const;

/** What teardown runs; each command may fail because its object is already gone. */
export function networkTeardownPlan(): string[][] {
  const chains = Object.values(FIREWALL_CHAINS);
  const builtins: Record<string, string> = {
    [FIREWALL_CHAINS.forward]: 'FORWARD',
    [FIREWALL_CHAINS.output]: 'OUTPUT',
    [FIREWALL_CHAINS.input]: 'INPUT',
  };
  const kubelet = FAMILIES.flatMap((family) =>
    KUBELET_CHAINS.flatMap(({ table, chain, jumpsFrom }) => [
      ...jumpsFrom.map((from) => [family, '-w', '5', '-t', table, '-D', from, '-j', chain]),
      [family, '-w', '5', '-t', table, '-F', chain],
      [family, '-w', '5', '-t', table, '-X', chain],
    ]),
  );
  return [
    ...chains.flatMap((chain) => [
      ipt('-D', builtins[chain] ?? 'FORWARD', '-j', chain),
      ipt('-F', chain),
      ipt('-X', chain),
    ]),
    ...kubelet,
    ['ip', 'rule', 'del', 'priority', String(NET.routeRulePriority)],
    ['ip', 'route', 'flush', 'table', String(NET.routeTable)],
    ['ip', 'route', 'del', 'unreachable', NET.sealedCidr],
    ['ip', 'link', 'del', NET.bridge],
  ];
}

export async function setUpNetwork(exec: Exec, options: FirewallOptions = {}): Promise<void> {
  for (const step of networkSetupPlan(options)) {
    if (step.check && (await holds(exec, step.check))) continue;
    await exec(step.run[0] ?? '', step.run.slice(1));
  }
}

/** Removes everything setUpNetwork made; a jump that was added twice is removed as often as it is found. */
export async function tearDownNetwork(exec: Exec): Promise<void> {
  for (const command of networkTeardownPlan()) {
    const repeat = command.includes('-D') || command[1] === 'rule' ? 8 : 1;
    for (let i = 0; i < repeat; i++) {
      if (
        !(await exec(command[0] ?? '', command.slice(1)).then(
          () => true,
          () => false,
        ))
      )
        break;
    }
  }
}

/** What of the network is still on this host: for tests and for `cluster delete` to prove nothing is left. */
export async function networkLeftovers(exec: Exec): Promise<string[]> {
  const left: string[] = [];
  if (await succeeds(exec, ['ip', 'link', 'show', NET.bridge])) left.push(`bridge ${NET.bridge}`);
  const table = String(NET.routeTable);
  if ((await outputOf(exec, ['ip', 'rule', 'show'])).includes(`lookup ${table}`))
    left.push(`ip rule to table ${table}`);
  if ((await outputOf(exec, ['ip', 'route', 'show', 'type', 'unreachable'])).includes(NET.sealedCidr))
    left.push(`unreachable route ${NET.sealedCidr}`);
  if ((await outputOf(exec, ['ip', 'route', 'show', 'table', table])).trim())
    left.push(`routes in table ${table}`);
  for (const family of FAMILIES) {
    for (const t of ['filter', 'nat', 'mangle']) {
      const ours = (await outputOf(exec, [family, '-w', '5', '-t', t, '-S']))
        .split('\n')
        .filter((l) => /CNCFDEMO-|KUBE-|CNI-/.test(l));
      if (ours.length > 0)
        left.push(`${String(ours.length)} ${family} rule(s)/chain(s) in ${t} (${ours[0] ?? ''})`);
    }
  }
  return left;
}

async function succeeds(exec: Exec, command: readonly string[]): Promise<boolean> {
  return exec(command[0] ?? '', command.slice(1)).then(
    () => true,
    () => false,
  );
}

/** What a command printed, or nothing when it failed (the object it looks at is gone). */
async function outputOf(exec: Exec, command: readonly string[]): Promise<string> {
  return exec(command[0] ?? '', command.slice(1)).then(
    (r) => r.stdout,
    () => '',
  );
}

/** Checks with a command's exit code, or the two checks `ip` cannot express that way. */
async function holds(exec: Exec, check: readonly string[]): Promise<boolean> {
  if (check[0] === 'ip-addr-present') {
    const out = await outputOf(exec, ['ip', '-o', 'addr', 'show', 'dev', check[1] ?? '']);
    return out.includes(` ${check[2] ?? ''} `);
  }
  if (check[0] === 'ip-rule-present') {
    return (await outputOf(exec, ['ip', 'rule', 'show', 'priority', check[1] ?? ''])).trim().length > 0;
  }
  return succeeds(exec, check);
}
