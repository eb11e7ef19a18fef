import { describe, expect, it } from 'vitest';
import { quantityValue } from './quantity.js';

describe('quantityValue', () => {
  it.each([
    ['1', 1],
    ['250m', 0.25],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['12345678n', 0.012345678],
    ['500u', 0.0005],
    ['2k', 2000],
    ['1Gi', 1073741824],
    ['64Mi', 67108864],
    ['1e3', 1000],
    ['5E-1', 0.5],
  ])('%s is %d', (quantity, value) => {
    expect(quantityValue(quantity)).toBeCloseTo(value, 12);
  });

  it.each(['', 'm', '1x', '1 Gi', ' 1', 'Gi1', '1.2.3'])('rejects %j', (quantity) => {
    expect(quantityValue(quantity)).toBeUndefined();
  });
});
