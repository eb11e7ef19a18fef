import { ApiError, isNotFound, type KubeClient } from '../kube/index.js';
import { PrometheusClient } from './prometheus.js';

/** The stack's Prometheus Service (manifests/addons/prometheus/prometheus.yaml.j2). */
export const PROMETHEUS_SERVICE = { name: 'prometheus', port: 9090 } as const;

/**
 * The stack's own Prometheus, reached through the API server's service proxy with the kubeconfig's
 * credentials, so the user needs no port-forward. The PrometheusClient's fetch goes through the kube
 * transport (deadline, credentials, TLS); its base URL is the proxy's address, for messages. Undefined when
 * the namespace has no Prometheus Service or it does not answer /-/ready.
 */
export async function inClusterPrometheus(
  client: KubeClient,
  namespace: string,
): Promise<PrometheusClient | undefined> {
  const service = { namespace, ...PROMETHEUS_SERVICE };
  const send = async (path: string, init: RequestInit = {}): Promise<Response> => {
    try {
      const res = await client.serviceProxy(service, {
        method: init.method === 'POST' ? 'POST' : 'GET',
        path,
        ...(typeof init.body === 'string' ? { body: init.body } : {}),
        contentType: 'application/x-www-form-urlencoded',
        accept: 'application/json',
        timeoutMs: 60_000,
      });
      return new Response(res.body, { status: res.status });
    } catch (err) {
      // Prometheus answers bad queries with 4xx and a JSON body; the proxy passes both through as an ApiError.
      const status = err instanceof ApiError ? err.code : undefined;
      if (typeof status === 'number' && status >= 400 && status < 500 && !isNotFound(err))
        return new Response(JSON.stringify({ status: 'error', error: String(err) }), { status });
      throw err;
    }
  };
  try {
    if (!(await send('/-/ready')).ok) return undefined;
  } catch (err) {
    if (isNotFound(err) || (err instanceof ApiError && err.code === 503)) return undefined;
    throw err;
  }
  const base = `${client.server}/api/v1/namespaces/${namespace}/services/${PROMETHEUS_SERVICE.name}:${PROMETHEUS_SERVICE.port}/proxy`;
  const basePath = new URL(base).pathname;
  const proxiedFetch: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return send(url.pathname.slice(basePath.length) + url.search, init);
  };
  return new PrometheusClient(base, proxiedFetch);
}
