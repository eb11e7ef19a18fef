import { UserError } from '../errors/index.js';

/** One series of an instant query: its labels and value. */
export interface VectorSample {
  labels: Record<string, string>;
  value: number;
}

/** One series of a range query: its labels and [unix seconds, value] points. */
export interface MatrixSeries {
  labels: Record<string, string>;
  points: [number, number][];
}

interface ApiResponse {
  status: 'success' | 'error';
  error?: string;
  errorType?: string;
  data?: { resultType: string; result: unknown; yaml?: string };
}

type RawVector = { metric: Record<string, string>; value: [number, string] }[];
type RawMatrix = { metric: Record<string, string>; values: [number, string][] }[];

/** A typed client for Prometheus' HTTP query API (instant and range queries). */
export class PrometheusClient {
  constructor(
    readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** Evaluates `expr` at `time` (default: now) and returns the vector result. */
  async query(expr: string, time?: Date): Promise<VectorSample[]> {
    const params = new URLSearchParams({ query: expr });
    if (time) params.set('time', unixSeconds(time));
    const data = await this.call('/api/v1/query', params);
    if (data.resultType === 'scalar') {
      const [, value] = data.result as [number, string];
      return [{ labels: {}, value: Number(value) }];
    }
    if (data.resultType !== 'vector')
      throw new Error(`query ${expr}: expected a vector, got ${data.resultType}`);
    return (data.result as RawVector).map((s) => ({ labels: s.metric, value: Number(s.value[1]) }));
  }

  /** The single value of a query expected to return at most one series; undefined when it returns none. */
  async scalar(expr: string, time?: Date): Promise<number | undefined> {
    const result = await this.query(expr, time);
    if (result.length > 1) throw new Error(`query ${expr}: expected one series, got ${result.length}`);
    return result[0]?.value;
  }

  /** Evaluates `expr` over [start, end] every `stepSeconds`. */
  async queryRange(expr: string, start: Date, end: Date, stepSeconds: number): Promise<MatrixSeries[]> {
    const params = new URLSearchParams({
      query: expr,
      start: unixSeconds(start),
      end: unixSeconds(end),
      step: String(stepSeconds),
    });
    const data = await this.call('/api/v1/query_range', params);
    if (data.resultType !== 'matrix')
      throw new Error(`query ${expr}: expected a matrix, got ${data.resultType}`);
    return (data.result as RawMatrix).map((s) => ({
      labels: s.metric,
      points: s.values.map(([t, v]): [number, number] => [t, Number(v)]),
    }));
  }

  /** The configuration Prometheus runs with, as the YAML it loaded (GET /api/v1/status/config). */
  async configYaml(): Promise<string> {
    const data = await this.call('/api/v1/status/config');
    if (typeof data.yaml !== 'string') throw new Error('Prometheus /api/v1/status/config returned no yaml');
    return data.yaml;
  }

  /** A query (POSTed form) or, without params, a GET of a status endpoint. */
  private async call(path: string, params?: URLSearchParams): Promise<NonNullable<ApiResponse['data']>> {
    let response: Response;
    try {
      // Joined, not resolved: a base URL with a path prefix (a proxy, --web.route-prefix) keeps its prefix.
      response = await this.fetchImpl(
        `${this.baseUrl.replace(/\/+$/, '')}${path}`,
        params
          ? {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: params.toString(),
            }
          : { method: 'GET' },
      );
    } catch (err) {
      throw new UserError(
        `cannot reach Prometheus at ${this.baseUrl}: ${err instanceof Error ? err.message : String(err)}`,
        'check that Prometheus is running and the URL is right',
      );
    }
    const body = (await response
      .json()
      .catch(() => ({ status: 'error', error: response.statusText }))) as ApiResponse;
    if (body.status !== 'success' || !body.data) {
      throw new Error(`Prometheus ${path} failed (HTTP ${response.status}): ${body.error ?? 'no data'}`);
    }
    return body.data;
  }
}

function unixSeconds(time: Date): string {
  return (time.getTime() / 1000).toFixed(3);
}

/** Quotes a label value for a PromQL selector. */
export function promString(value: string): string {
  return JSON.stringify(value);
}
