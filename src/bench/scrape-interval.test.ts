import { describe, expect, it } from 'vitest';
import { pushgatewayScrapeInterval } from './scrape-interval.js';

describe('pushgatewayScrapeInterval', () => {
  it("takes the Pushgateway job's own interval over the global one", () => {
    const yaml = [
      'global:',
      '  scrape_interval: 15s',
      'scrape_configs:',
      '  - job_name: prometheus',
      '    scrape_interval: 1s',
      '  - job_name: pushgateway',
      '    scrape_interval: 2s',
    ].join('\n');
    expect(pushgatewayScrapeInterval(yaml)).toBe(2);
  });

  it('falls back to the global interval, then to 1m (Prometheus’ default)', () => {
    expect(
      pushgatewayScrapeInterval(
        'global:\n  scrape_interval: 5s\nscrape_configs:\n  - job_name: pushgateway\n',
      ),
    ).toBe(5);
    expect(pushgatewayScrapeInterval('scrape_configs: []\n')).toBe(60);
    expect(pushgatewayScrapeInterval('global:\n  scrape_interval: 1m30s\n')).toBe(90);
  });

  it('is undefined for text that is not a configuration', () => {
    expect(pushgatewayScrapeInterval('')).toBeUndefined();
    expect(pushgatewayScrapeInterval('global:\n  scrape_interval: 0s\n')).toBeUndefined();
  });
});
