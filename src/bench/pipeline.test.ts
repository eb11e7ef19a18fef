import { describe, expect, it } from 'vitest';
import { sampleValue } from './local-benchmark.js';
import { prometheusConfig } from './local/monitoring.js';
import { groupPath } from './pushgateway.js';

describe('Pushgateway grouping key', () => {
  it('encodes every label value as base64url so any value is a safe path segment', () => {
    expect(groupPath({ job: 'cncfdemo-loadgen', run: '2025/01', instance: 'pod-1' })).toBe(
      '/metrics/job@base64/Y25jZmRlbW8tbG9hZGdlbg/run@base64/MjAyNS8wMQ/instance@base64/cG9kLTE',
    );
    expect(groupPath({ job: 'j', empty: '' })).toBe('/metrics/job@base64/ag/empty@base64/=');
  });
});

describe('local Prometheus config', () => {
  it('scrapes the Pushgateway keeping the pushed job and instance labels', () => {
    const config = prometheusConfig('127.0.0.1:9091', 1);
    expect(config).toContain('scrape_interval: 1s');
    expect(config).toContain('honor_labels: true');
    expect(config).toContain("targets: ['127.0.0.1:9091']");
  });
});

describe('sampleValue', () => {
  it('reads an unlabelled sample from Prometheus text', () => {
    const text =
      '# TYPE cncfdemo_http_requests_total counter\ncncfdemo_http_requests_total 1234\ncncfdemo_http_requests_total_x 9\n';
    expect(sampleValue(text, 'cncfdemo_http_requests_total')).toBe(1234);
    expect(sampleValue(text, 'missing')).toBeUndefined();
  });
});
