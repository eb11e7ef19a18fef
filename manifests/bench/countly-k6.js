// Open-model (constant arrival rate) Countly-shaped ingestion load for k6: `cncfdemo benchmark --rate R`.
//
// Requests start on a fixed schedule whatever the response times (k6's constant-arrival-rate executor), so
// slow responses do not hold back later requests: no coordinated omission. When every preallocated virtual
// user is busy, k6 does not delay the scheduled request; it drops it and counts it in dropped_iterations,
// reported here as errors of kind "dropped". Latency is measured from the moment the request was due to
// start (k6 blocked + connecting + TLS + sending + waiting + receiving).
//
// At the end, handleSummary() writes the same Prometheus series as the wrk script (countly.lua), so both
// generators go through one pipeline: the wrapper pushes the file to the Pushgateway.
//
// Environment: CNCFDEMO_TARGET (base URL), CNCFDEMO_RATE (requests/s), CNCFDEMO_DURATION (e.g. "30s"),
// CNCFDEMO_VUS (preallocated virtual users), CNCFDEMO_APP_KEY, CNCFDEMO_METRICS_FILE.
import http from 'k6/http';
import { Counter } from 'k6/metrics';

const target = __ENV.CNCFDEMO_TARGET || 'http://127.0.0.1:8080';
const rate = Number(__ENV.CNCFDEMO_RATE || '100');
const vus = Number(__ENV.CNCFDEMO_VUS || String(Math.max(10, Math.ceil(rate / 10))));
const appKey = __ENV.CNCFDEMO_APP_KEY || 'cncfdemo';

export const options = {
  discardResponseBodies: true,
  summaryTrendStats: ['min', 'max', 'avg', 'p(50)', 'p(75)', 'p(90)', 'p(99)', 'p(99.9)', 'p(99.99)'],
  scenarios: {
    countly: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration: __ENV.CNCFDEMO_DURATION || '10s',
      preAllocatedVUs: vus,
      maxVUs: vus,
    },
  },
};

// Bucket upper bounds in microseconds, the same layout as countly.lua: 32 per decade from 10 µs to 10 s.
function bucketBoundsUs() {
  const bounds = [];
  for (let decade = 10; decade <= 1e6; decade *= 10) {
    for (let m = 10; m <= 19; m++) bounds.push((m * decade) / 10);
    for (let m = 20; m <= 38; m += 2) bounds.push((m * decade) / 10);
    for (let m = 40; m <= 95; m += 5) bounds.push((m * decade) / 10);
  }
  bounds.push(1e7);
  return bounds;
}
const BOUNDS = bucketBoundsUs();
// One counter per bucket (non-cumulative) plus one above the last bound.
const buckets = BOUNDS.map((_, i) => new Counter(`cncfdemo_bucket_${i}`));
const overflow = new Counter('cncfdemo_bucket_inf');
const latencySum = new Counter('cncfdemo_latency_sum_us');
const errorCounters = {
  connect: new Counter('cncfdemo_errors_connect'),
  read: new Counter('cncfdemo_errors_read'),
  write: new Counter('cncfdemo_errors_write'),
  timeout: new Counter('cncfdemo_errors_timeout'),
  status: new Counter('cncfdemo_errors_status'),
};

const EVENTS = [
  '[{"key":"[CLY]_view","count":1,"segmentation":{"name":"home","visit":1,"segment":"Web"}}]',
  '[{"key":"purchase","count":1,"sum":19.99,"dur":3,"segmentation":{"item":"book","currency":"EUR"}}]',
  '[{"key":"search","count":2,"segmentation":{"query":"cncf demo","results":12}}]',
].map(encodeURIComponent);

function hex(n, width) {
  return Math.floor(n).toString(16).padStart(width, '0');
}
function uuid4() {
  const r = (max) => Math.random() * max;
  return `${hex(r(0x10000), 4)}${hex(r(0x10000), 4)}-${hex(r(0x10000), 4)}-4${hex(r(0x1000), 3)}-${hex(
    0x8000 + r(0x4000),
    4,
  )}-${hex(r(0x1000000), 6)}${hex(r(0x1000000), 6)}`;
}

let sent = 0;
export default function () {
  sent++;
  const url = `${target}/i?app_key=${encodeURIComponent(appKey)}&device_id=${uuid4()}&timestamp=${Date.now()}&events=${
    EVENTS[sent % EVENTS.length]
  }`;
  const res = http.get(url);
  const t = res.timings;
  const us = Math.round((t.blocked + t.connecting + t.tls_handshaking + t.sending + t.waiting + t.receiving) * 1000);
  let lo = 0;
  let hi = BOUNDS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (us <= BOUNDS[mid]) hi = mid;
    else lo = mid + 1;
  }
  (lo < BOUNDS.length ? buckets[lo] : overflow).add(1);
  latencySum.add(us);
  if (res.status >= 400) errorCounters.status.add(1);
  else if (res.error_code === 1050) errorCounters.timeout.add(1);
  else if (res.error_code >= 1200 && res.error_code < 1300) errorCounters.connect.add(1);
  else if (res.error_code !== 0) errorCounters.read.add(1);
}

function count(data, name) {
  const m = data.metrics[name];
  return m && m.values && typeof m.values.count === 'number' ? m.values.count : 0;
}

function seconds(us) {
  return String(Number((us / 1e6).toPrecision(9)));
}

export function handleSummary(data) {
  const out = [];
  const metric = (name, type, help) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  };
  const requests = count(data, 'http_reqs');
  metric('cncfdemo_http_requests_total', 'counter', 'HTTP responses received.');
  out.push(`cncfdemo_http_requests_total ${requests}`);
  metric('cncfdemo_http_sent_requests_total', 'counter', 'Requests sent (sampled about once a second while running).');
  out.push(`cncfdemo_http_sent_requests_total ${requests}`);
  metric('cncfdemo_http_errors_total', 'counter', 'Errors by kind; dropped: scheduled requests k6 could not start.');
  for (const kind of Object.keys(errorCounters)) {
    out.push(`cncfdemo_http_errors_total{kind="${kind}"} ${count(data, `cncfdemo_errors_${kind}`)}`);
  }
  out.push(`cncfdemo_http_errors_total{kind="dropped"} ${count(data, 'dropped_iterations')}`);
  metric('cncfdemo_http_read_bytes_total', 'counter', 'Bytes read from the target.');
  out.push(`cncfdemo_http_read_bytes_total ${count(data, 'data_received')}`);
  metric('cncfdemo_http_load_duration_seconds', 'gauge', 'How long the load ran.');
  out.push(`cncfdemo_http_load_duration_seconds ${data.state.testRunDurationMs / 1000}`);
  metric('cncfdemo_http_request_duration_seconds', 'histogram', 'Request latency from its scheduled start.');
  let cumulative = 0;
  BOUNDS.forEach((bound, i) => {
    cumulative += count(data, `cncfdemo_bucket_${i}`);
    out.push(`cncfdemo_http_request_duration_seconds_bucket{le="${seconds(bound)}"} ${cumulative}`);
  });
  cumulative += count(data, 'cncfdemo_bucket_inf');
  out.push(`cncfdemo_http_request_duration_seconds_bucket{le="+Inf"} ${cumulative}`);
  out.push(`cncfdemo_http_request_duration_seconds_sum ${seconds(count(data, 'cncfdemo_latency_sum_us'))}`);
  out.push(`cncfdemo_http_request_duration_seconds_count ${cumulative}`);
  const trend = (data.metrics.http_req_duration || { values: {} }).values;
  metric('cncfdemo_http_latency_max_seconds', 'gauge', 'Slowest request (k6 http_req_duration).');
  out.push(`cncfdemo_http_latency_max_seconds ${(trend.max || 0) / 1000}`);
  metric('cncfdemo_http_pod_latency_seconds', 'gauge', "This generator's own latency percentiles (k6).");
  const quantiles = [['0.5', '50'], ['0.75', '75'], ['0.9', '90'], ['0.99', '99'], ['0.999', '99.9'], ['0.9999', '99.99']];
  for (const [label, p] of quantiles) {
    out.push(`cncfdemo_http_pod_latency_seconds{quantile="${label}"} ${(trend[`p(${p})`] || 0) / 1000}`);
  }
  metric('cncfdemo_http_target_rate', 'gauge', 'Requested arrival rate (requests/s).');
  out.push(`cncfdemo_http_target_rate ${rate}`);
  const text = `${out.join('\n')}\n`;
  const summary = `k6 open model: ${requests} requests at ${rate}/s target, ${count(data, 'dropped_iterations')} dropped\n`;
  const files = { stdout: summary };
  if (__ENV.CNCFDEMO_METRICS_FILE) files[__ENV.CNCFDEMO_METRICS_FILE] = text;
  else files.stdout = summary + text;
  return files;
}
