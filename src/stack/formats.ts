import { quantityValue } from '../kube/quantity.js';

/** String formats the values schema names (schemas/stack-values.schema.json), checked as Kubernetes would. */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The distribution/reference grammar: [host[:port]/]path[:tag][@digest]. */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?)`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const IMAGE_REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);

const PROMETHEUS_DURATION = /^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;

export function isImageReference(value: string): boolean {
  const match = IMAGE_REFERENCE.exec(value);
  return match !== null && (match[1]?.length ?? 0) <= 255;
}

export function isDnsDomain(value: string): boolean {
  return value.length <= 245 && value.split('.').every((label) => DNS_LABEL.test(label));
}

export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && value.split('.').every((label) => DNS_LABEL.test(label));
}

export const FORMATS: Record<string, (value: string) => boolean> = {
  'image-reference': isImageReference,
  'image-reference-or-empty': (v) => v === '' || isImageReference(v),
  quantity: (v) => quantityValue(v) !== undefined,
  'prometheus-duration': (v) => v.length > 0 && PROMETHEUS_DURATION.test(v),
  'dns-label': (v) => DNS_LABEL.test(v),
  // countly.<domain> must stay a valid host name: at most 253 characters in all
  'dns-domain-or-empty': (v) => v === '' || isDnsDomain(v),
  'dns-subdomain-or-empty': (v) => v === '' || isDnsSubdomain(v),
  'http-url': (v) => {
    try {
      const url = new URL(v);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  },
};
