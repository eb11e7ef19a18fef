import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pluginTypes } from '../../../src/doctor/checks/cni.js';
import { upstreamVersion } from '../../../src/doctor/node/packages.js';
import { RootFs } from '../../../src/doctor/node/rootfs.js';
import { parseEnvFile, parseFlags, parseUnit, splitWords } from '../../../src/doctor/node/shell-config.js';
import { parseSysctlFile, persistedSysctls } from '../../../src/doctor/node/sysctl.js';

describe('RootFs', () => {
  it('resolves absolute and relative symlinks inside the root, never on the host', async () => {
    const root = await mkdtemp(join(tmpdir(), 'doctor-rootfs-'));
    await mkdir(join(root, 'etc'), { recursive: true });
    await writeFile(join(root, 'etc', 'passwd'), 'inside\n');
    await symlink('/etc/passwd', join(root, 'abs-link'));
    await symlink('etc/../etc/passwd', join(root, 'rel-link'));
    await symlink('/nowhere', join(root, 'dangling'));
    await symlink('/loop', join(root, 'loop'));
    const fs = new RootFs(root);
    expect(await fs.readText('/abs-link')).toBe('inside\n');
    expect(await fs.readText('/rel-link')).toBe('inside\n');
    expect(await fs.readText('/../../etc/passwd')).toBe('inside\n');
    expect(await fs.readText('/dangling')).toBeUndefined();
    expect(await fs.readText('/loop')).toBeUndefined();
    expect(await fs.list('/missing')).toEqual([]);
  });
});

describe('sysctl files', () => {
  it('parses assignments, comments, slashes and the ignore-errors dash', () => {
    const parsed = parseSysctlFile(
      '# c\n; c\nnet/ipv4/ip_forward=1\n-net.bridge.bridge-nf-call-iptables = 1\nbad line\n',
    );
    expect([...parsed]).toEqual([
      ['net.ipv4.ip_forward', '1'],
      ['net.bridge.bridge-nf-call-iptables', '1'],
    ]);
  });

  it('orders files by name across directories, /etc masking /usr/lib, the last assignment winning', async () => {
    const root = await mkdtemp(join(tmpdir(), 'doctor-sysctl-'));
    await mkdir(join(root, 'etc/sysctl.d'), { recursive: true });
    await mkdir(join(root, 'usr/lib/sysctl.d'), { recursive: true });
    await writeFile(join(root, 'usr/lib/sysctl.d/00-system.conf'), 'a = 0\nb = 0\n');
    await writeFile(join(root, 'usr/lib/sysctl.d/90-system.conf'), 'a = 1\n');
    await writeFile(join(root, 'usr/lib/sysctl.d/50-masked.conf'), 'c = usr\n');
    await writeFile(join(root, 'etc/sysctl.d/50-masked.conf'), 'c = etc\n');
    const settings = await persistedSysctls(new RootFs(root));
    expect(settings.get('a')).toEqual({ value: '1', file: '/usr/lib/sysctl.d/90-system.conf' });
    expect(settings.get('b')).toEqual({ value: '0', file: '/usr/lib/sysctl.d/00-system.conf' });
    expect(settings.get('c')).toEqual({ value: 'etc', file: '/etc/sysctl.d/50-masked.conf' });
  });
});

describe('shell-style config', () => {
  it('reads sysconfig files and splits flags like a shell', () => {
    const vars = parseEnvFile(
      `# comment\nOPTIONS='--selinux-enabled --log-driver=journald'\nexport DOCKER_OPTS="-s overlay2 \\\n --storage-opt a=b"\n`,
    );
    expect(vars.get('OPTIONS')).toBe('--selinux-enabled --log-driver=journald');
    expect(splitWords(vars.get('DOCKER_OPTS') ?? '')).toEqual(['-s', 'overlay2', '--storage-opt', 'a=b']);
    expect(splitWords(`a "b c" 'd e' f\\ g # comment`)).toEqual(['a', 'b c', 'd e', 'f g']);
  });

  it('parses flags: =value, separate value, bare booleans, repeats and short aliases', () => {
    const flags = parseFlags(
      [
        '-s',
        'devicemapper',
        '--storage-opt',
        'dm.fs=xfs',
        '--storage-opt=dm.thinpooldev=/dev/x',
        '--selinux-enabled',
        '--debug',
      ],
      {
        '-s': 'storage-driver',
      },
    );
    expect(flags.get('storage-driver')).toEqual(['devicemapper']);
    expect(flags.get('storage-opt')).toEqual(['dm.fs=xfs', 'dm.thinpooldev=/dev/x']);
    expect(flags.get('selinux-enabled')).toEqual(['true']);
  });

  it('reads ExecStart (a blank one resets) and Environment from units', () => {
    const unit = parseUnit(
      '[Service]\nExecStart=/usr/bin/dockerd -H fd://\nExecStart=\nExecStart=-/usr/bin/dockerd --storage-driver=overlay2\nEnvironment="KUBELET_ARGS=--cgroup-driver=systemd" X=1\n',
    );
    expect(unit.execStart).toEqual(['/usr/bin/dockerd --storage-driver=overlay2']);
    expect(unit.environment.get('KUBELET_ARGS')).toBe('--cgroup-driver=systemd');
    expect(unit.environment.get('X')).toBe('1');
  });
});

describe('versions and CNI configs', () => {
  it.each([
    ['5:27.3.1-1~debian.12~bookworm', '27.3.1'],
    ['1.6.20~ds1-1+b1', '1.6.20'],
    ['1.12.6-71.git3e8e77d.el7.centos', '1.12.6'],
    ['Kubernetes v1.34.1', '1.34.1'],
    ['crio version 1.31', '1.31.0'],
    ['no digits', undefined],
  ])('upstreamVersion(%s) = %s', (input, expected) => {
    expect(upstreamVersion(input)).toBe(expected);
  });

  it.each([
    ['{"type":"bridge"}', ['bridge']],
    ['{"plugins":[{"type":"weave-net"},{"type":"portmap"}]}', ['weave-net', 'portmap']],
    ['{"plugins":[]}', undefined],
    ['not json', undefined],
  ])('pluginTypes(%s)', (text, expected) => {
    expect(pluginTypes(text)).toEqual(expected);
  });
});
