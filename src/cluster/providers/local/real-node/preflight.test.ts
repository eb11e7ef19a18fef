import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../../config/paths.js';
import { UserError } from '../../../../errors/index.js';
import type { Exec } from '../../../../exec/index.js';
import { realNodePreflight } from './preflight.js';

const noCommands: Exec = () => Promise.reject(new Error('no commands in this test'));
const healthy = join(packageRoot, 'test', 'fixtures', 'doctor', 'healthy');

describe('realNodePreflight', () => {
  it('refuses a user who is not root before looking at anything else', async () => {
    await expect(
      realNodePreflight({ exec: noCommands, env: process.env, root: healthy, uid: 1000 }),
    ).rejects.toThrow(/a real node needs root/);
  });

  it('names every missing program and the package to install, in one message', async () => {
    const err: unknown = await realNodePreflight({
      exec: noCommands,
      env: { PATH: '/nonexistent' },
      root: healthy,
      uid: 0,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const { message, hint } = err as UserError;
    expect(message).toMatch(/containerd is not on PATH; .*runc is not on PATH/);
    expect(hint).toMatch(/apt-get install containerd runc iptables iproute2 openssl/);
    expect(message.split('\n')).toHaveLength(1);
  });

  it('turns the doctor FAILs of a broken node into problems with their fixes', async () => {
    const broken = join(packageRoot, 'test', 'fixtures', 'doctor', 'broken-centos7');
    const err = (await realNodePreflight({ exec: noCommands, env: process.env, root: broken, uid: 0 }).catch(
      (e: unknown) => e,
    )) as UserError;
    expect(err.message).toMatch(/bridge-nf-call: /);
    expect(err.hint).toMatch(/bridge-nf-call-iptables/);
  });
});
