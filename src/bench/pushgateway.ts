/** Labels that identify one pushed group: job plus e.g. run and instance. */
export interface GroupingKey {
  job: string;
  [label: string]: string;
}

/** The Pushgateway URL path for a grouping key (values base64url-encoded, so any value is safe). */
export function groupPath(key: GroupingKey): string {
  const { job, ...rest } = key;
  const segment = (name: string, value: string): string =>
    `${name}@base64/${Buffer.from(value, 'utf8').toString('base64url') || '='}`;
  return ['/metrics', segment('job', job), ...Object.entries(rest).map(([k, v]) => segment(k, v))].join('/');
}

/**
 * Pushes Prometheus text-format metrics. POST replaces only the metrics with the same names in the group,
 * so progress samples and final totals can be pushed to one group.
 */
export async function pushMetrics(
  baseUrl: string,
  key: GroupingKey,
  text: string,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  const response = await fetchImpl(new URL(groupPath(key), baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'text/plain; version=0.0.4' },
    body: text,
  });
  if (!response.ok) {
    throw new Error(
      `Pushgateway rejected the push (HTTP ${response.status}): ${(await response.text()).trim()}`,
    );
  }
}

/** Deletes a pushed group (used to leave a reused Pushgateway clean). */
export async function deleteGroup(
  baseUrl: string,
  key: GroupingKey,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  const response = await fetchImpl(new URL(groupPath(key), baseUrl), { method: 'DELETE' });
  if (!response.ok && response.status !== 404)
    throw new Error(`Pushgateway delete failed (HTTP ${response.status})`);
}
