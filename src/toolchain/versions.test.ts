import { describe, expect, it } from 'vitest';
import { pinnedVersion, requiredVersion, TOOLCHAIN_MODULES, type BinarySet } from './versions.js';

describe('requiredVersion', () => {
  it('reads single-line and block requires', () => {
    expect(requiredVersion('module x\n\nrequire k8s.io/kubernetes v1.34.12\n', 'k8s.io/kubernetes')).toBe(
      'v1.34.12',
    );
    expect(requiredVersion('require (\n\tsigs.k8s.io/kwok v0.7.0\n)\n', 'sigs.k8s.io/kwok')).toBe('v0.7.0');
    expect(requiredVersion('require k8s.io/kubernetes-extra v1.0.0\n', 'k8s.io/kubernetes')).toBeUndefined();
  });
});

describe('pinnedVersion', () => {
  it('reads every set’s version from its wrapper module in toolchain/', async () => {
    for (const set of Object.keys(TOOLCHAIN_MODULES) as BinarySet[])
      expect(await pinnedVersion(set)).toMatch(/^v\d+\.\d+\.\d+$/);
  });
});
