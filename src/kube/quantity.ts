/** Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource) as plain numbers. */

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a quantity ("250m" → 0.25, "1Gi" → 1073741824, "1e3" → 1000); undefined if it is not one. */
export function quantityValue(quantity: string): number | undefined {
  const match = QUANTITY.exec(quantity);
  if (!match) return undefined;
  const [, number = '', suffix = ''] = match;
  const scale = suffix === '' ? 1 : (SUFFIX[suffix] ?? Number(`1${suffix}`));
  return Number(number) * scale;
}
