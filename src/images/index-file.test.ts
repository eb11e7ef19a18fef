import { describe, expect, it } from 'vitest';
import { imageNamed, parseImageIndex } from './index-file.js';

const digest = (c: string): string => `sha256:${c.repeat(64)}`;
const entry = {
  name: 'cncfdemo/busybox',
  tag: '1.35.0-debian',
  reference: 'cncfdemo/busybox:1.35.0-debian',
  digest: digest('a'),
  size: 1000,
  layers: [{ digest: digest('b'), size: 900 }],
  layout: '/cache/images/busybox-0123',
  key: 'busybox',
  hash: '0123',
  buildSeconds: 3,
};
const index = (images: Record<string, unknown>): string =>
  JSON.stringify({ apiVersion: 'cncfdemo.dev/v1alpha1', kind: 'ImageIndex', images });

describe('image index', () => {
  it('reads what the build writes', () => {
    const parsed = parseImageIndex(index({ [entry.name]: entry }), 'index.json');
    expect(parsed.images['cncfdemo/busybox']).toEqual(entry);
    expect(imageNamed(parsed, 'cncfdemo/busybox').reference).toBe('cncfdemo/busybox:1.35.0-debian');
  });

  it.each([
    ['not JSON', '{', /index\.json: not JSON/],
    ['another kind', JSON.stringify({ kind: 'List', images: {} }), /not an ImageIndex/],
    ['a misfiled entry', index({ other: entry }), /filed under another name/],
    [
      'a reference that is not name:tag',
      index({ [entry.name]: { ...entry, reference: 'x:y' } }),
      /is not cncfdemo\/busybox:1\.35\.0-debian/,
    ],
    ['a bad digest', index({ [entry.name]: { ...entry, digest: 'md5:1' } }), /not sha256/],
    ['no layers', index({ [entry.name]: { ...entry, layers: [] } }), /has no layers/],
    ['no layout', index({ [entry.name]: { ...entry, layout: undefined } }), /has no layout/],
  ])('rejects %s with a hint to rebuild', (_what, text, message) => {
    let error: unknown;
    try {
      parseImageIndex(text, 'index.json');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect((error as { hint?: string }).hint).toMatch(/build-images\.sh/);
  });

  it('names the images it has when asked for one it lacks', () => {
    const parsed = parseImageIndex(index({ [entry.name]: entry }), 'index.json');
    expect(() => imageNamed(parsed, 'cncfdemo/nope')).toThrow(/no image cncfdemo\/nope was built/);
  });
});
