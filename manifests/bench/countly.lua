-- Countly-shaped ingestion load for wrk 4.x (LuaJIT).
--
-- Every request is GET /i?app_key=...&device_id=<random uuid>&timestamp=<ms>&events=<url-encoded JSON>,
-- the way Countly's SDKs report events. When the run ends, done() writes this load generator's totals in
-- the Prometheus text format, to be pushed to the Pushgateway under job/instance/run labels by the wrapper
-- around wrk (wrk's Lua has no HTTP client). Pods are merged in PromQL by summing counters and histogram
-- buckets; percentiles are never averaged.
--
-- Environment:
--   CNCFDEMO_APP_KEY       Countly app key (default "cncfdemo")
--   CNCFDEMO_METRICS_FILE  where done() writes the exposition text (default: stdout, after wrk's summary)
--   CNCFDEMO_PROGRESS_DIR  if set, each thread writes "<sent> <answered ok>" to thread-<n> here at every new
--                          second and every 500 requests (to a temporary name, then renamed): its requests
--                          sent and those answered with a status below 400, for throughput and failures
--                          over time (a request sent and never answered well is a failure: a socket error,
--                          a timeout or an error status)
--
-- Latency histogram. wrk 4 keeps every latency sample in an exact 1 µs-resolution histogram. Lua reads it
-- through latency:percentile(p), which returns the smallest value v whose cumulative count reaches the rank
-- round(p/100 * n + 0.5), n being the number of samples. The `le` buckets are derived exactly from it:
--   * n is not exposed to Lua. With c = the count of the smallest value (latency(1) returns it), percentile(p)
--     leaves the minimum exactly when p >= 100 * c / n, so bisecting p for that switch gives n = 100 * c / p.
--   * With n known, p = 100 * (r - 0.5) / n asks for rank r exactly, so the cumulative count at a bound B is
--     the largest r whose value is <= B, found by bisection (about log2(n) percentile() calls per bucket,
--     each scanning wrk's histogram from the minimum to the answer; buckets outside [min, max] cost nothing).
-- Before done(), wrk 4 adds synthetic samples to the latency histogram for requests that coordinated omission
-- kept from being sent (stats_correct); its printed percentiles include them, and so do these buckets, which
-- is why the histogram's count can exceed the number of requests.

local app_key = os.getenv("CNCFDEMO_APP_KEY") or "cncfdemo"
local metrics_file = os.getenv("CNCFDEMO_METRICS_FILE")
local progress_dir = os.getenv("CNCFDEMO_PROGRESS_DIR")

-- Bucket upper bounds in microseconds: 32 per decade (steps of 0.1 from 1 to 2, 0.2 from 2 to 4, 0.5 from
-- 4 to 10), from 10 µs to 10 s; a bucket is at most 12.5 % wider than its lower bound.
local function bucket_bounds_us()
  local bounds = {}
  local decade = 10
  while decade <= 1e6 do
    for m = 10, 19 do bounds[#bounds + 1] = m * decade / 10 end
    for m = 20, 38, 2 do bounds[#bounds + 1] = m * decade / 10 end
    for m = 40, 95, 5 do bounds[#bounds + 1] = m * decade / 10 end
    decade = decade * 10
  end
  bounds[#bounds + 1] = 1e7
  return bounds
end

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

-- Event batches like an app would send: a session view, a purchase, a search. Encoded once.
local event_batches = {
  '[{"key":"[CLY]_view","count":1,"segmentation":{"name":"home","visit":1,"segment":"Web"}}]',
  '[{"key":"purchase","count":1,"sum":19.99,"dur":3,"segmentation":{"item":"book","currency":"EUR"}}]',
  '[{"key":"search","count":2,"segmentation":{"query":"cncf demo","results":12}}]',
}
local encoded_events = {}
for i, batch in ipairs(event_batches) do encoded_events[i] = urlencode(batch) end

local threads = {}

-- Runs in the main Lua state, once per thread, before that thread's init().
function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_id", #threads)
end

sent = 0 -- global: done() reads it from each thread with thread:get("sent")
answered_ok = 0 -- global too: responses with a status below 400
local last_flush = 0
local progress_path, progress_tmp
local prefix

local function hex(n, width)
  return string.format("%0" .. width .. "x", n)
end

local function uuid4()
  local r = math.random
  return hex(r(0, 0xffff), 4) .. hex(r(0, 0xffff), 4) .. "-" .. hex(r(0, 0xffff), 4) .. "-4" ..
    hex(r(0, 0xfff), 3) .. "-" .. hex(r(0x8000, 0xbfff), 4) .. "-" .. hex(r(0, 0xffffff), 6) ..
    hex(r(0, 0xffffff), 6)
end

function init(args)
  local id = thread_id or 0
  math.randomseed(os.time() * 1000 + id)
  prefix = "/i?app_key=" .. urlencode(app_key) .. "&device_id="
  if progress_dir then
    progress_path = progress_dir .. "/thread-" .. id
    progress_tmp = progress_path .. ".tmp"
  end
end

local function flush_progress()
  local f = io.open(progress_tmp, "w")
  if f then
    f:write(sent, " ", answered_ok, "\n")
    f:close()
    os.rename(progress_tmp, progress_path)
  end
end

function request()
  sent = sent + 1
  if progress_path then
    -- Lua in wrk has no sub-second clock: write at each new second, and every 500 requests in between so the
    -- count read by the sampler is never far behind.
    local now = os.time()
    if now ~= last_flush or sent % 500 == 0 then
      last_flush = now
      flush_progress()
    end
  end
  local batch = encoded_events[sent % #encoded_events + 1]
  local path = prefix .. uuid4() .. "&timestamp=" .. string.format("%d", os.time() * 1000) .. "&events=" .. batch
  return wrk.format("GET", path)
end

-- Defining response() makes wrk hand every response to Lua; only its status is read.
function response(status)
  if status < 400 then answered_ok = answered_ok + 1 end
end

-- The number of latency samples, from where percentile() leaves the minimum (see the header).
local function sample_count(latency)
  local _, c = latency(1)
  if #latency == 1 then return c end
  local min = latency.min
  local lo, hi = 0, 100 -- percentile(lo) is the minimum, percentile(hi) is not
  for _ = 1, 200 do
    local mid = (lo + hi) / 2
    if mid == lo or mid == hi then break end
    if latency:percentile(mid) == min then lo = mid else hi = mid end
  end
  return math.floor(100 * c / hi + 0.5)
end

-- Cumulative counts at each bound: the largest rank whose value is within the bound (see the header).
local function cumulative_buckets(latency, bounds, n)
  local min, max = latency.min, latency.max
  local cumulative = {}
  local lo = 0
  for b, bound in ipairs(bounds) do
    if bound < min then
      cumulative[b] = 0
    elseif bound >= max then
      cumulative[b] = n
    else
      local hi = n
      while lo < hi do
        local mid = math.floor((lo + hi + 1) / 2)
        local v = latency:percentile(100 * (mid - 0.5) / n)
        if v > 0 and v <= bound then lo = mid else hi = mid - 1 end
      end
      cumulative[b] = lo
    end
  end
  return cumulative
end

local function seconds(us)
  return string.format("%.9g", us / 1e6)
end

function done(summary, latency, requests)
  local bounds = bucket_bounds_us()
  local count = #latency > 0 and sample_count(latency) or 0
  local cumulative = {}
  if count > 0 then
    cumulative = cumulative_buckets(latency, bounds, count)
  else
    for b = 1, #bounds do cumulative[b] = 0 end
  end
  local sum_us = latency.mean * count

  local out = {}
  local function add(line) out[#out + 1] = line end
  local function metric(name, kind, help)
    add("# HELP " .. name .. " " .. help)
    add("# TYPE " .. name .. " " .. kind)
  end

  metric("cncfdemo_http_requests_total", "counter", "HTTP responses received (wrk's completed requests).")
  add("cncfdemo_http_requests_total " .. string.format("%d", summary.requests))
  metric("cncfdemo_http_errors_total", "counter",
    "Errors by kind: connect, read, write, timeout (wrk's socket errors and timeouts), status (HTTP status >= 400).")
  local e = summary.errors
  for _, kind in ipairs({ "connect", "read", "write", "timeout", "status" }) do
    add('cncfdemo_http_errors_total{kind="' .. kind .. '"} ' .. string.format("%d", e[kind]))
  end
  metric("cncfdemo_http_read_bytes_total", "counter", "Bytes read from the target.")
  add("cncfdemo_http_read_bytes_total " .. string.format("%d", summary.bytes))
  metric("cncfdemo_http_load_duration_seconds", "gauge", "How long the load ran, as measured by wrk.")
  add("cncfdemo_http_load_duration_seconds " .. seconds(summary.duration))

  metric("cncfdemo_http_request_duration_seconds", "histogram", "Request latency (send to full response).")
  for b, bound in ipairs(bounds) do
    add('cncfdemo_http_request_duration_seconds_bucket{le="' .. seconds(bound) .. '"} ' ..
      string.format("%d", cumulative[b]))
  end
  add('cncfdemo_http_request_duration_seconds_bucket{le="+Inf"} ' .. string.format("%d", count))
  add("cncfdemo_http_request_duration_seconds_sum " .. seconds(sum_us))
  add("cncfdemo_http_request_duration_seconds_count " .. string.format("%d", count))

  metric("cncfdemo_http_latency_max_seconds", "gauge", "Slowest recorded request of this load generator.")
  add("cncfdemo_http_latency_max_seconds " .. seconds(#latency > 0 and latency.max or 0))
  metric("cncfdemo_http_latency_min_seconds", "gauge", "Fastest recorded request of this load generator.")
  add("cncfdemo_http_latency_min_seconds " .. seconds(#latency > 0 and latency.min or 0))
  metric("cncfdemo_http_pod_latency_seconds", "gauge",
    "This load generator's own exact latency percentiles (for cross-checks; merge pods with the histogram).")
  for _, q in ipairs({ 50, 75, 90, 99, 99.9, 99.99 }) do
    local v = #latency > 0 and latency:percentile(q) or 0
    add('cncfdemo_http_pod_latency_seconds{quantile="' .. string.format("%g", q / 100) .. '"} ' .. seconds(v))
  end
  local sent_total, ok_total = 0, 0
  for _, t in ipairs(threads) do
    sent_total = sent_total + (t:get("sent") or 0)
    ok_total = ok_total + (t:get("answered_ok") or 0)
  end
  metric("cncfdemo_http_sent_requests_total", "counter", "Requests sent (sampled about once a second while running).")
  add("cncfdemo_http_sent_requests_total " .. string.format("%d", sent_total))
  metric("cncfdemo_http_answered_ok_requests_total", "counter",
    "Requests answered with a status below 400 (sampled about once a second while running).")
  add("cncfdemo_http_answered_ok_requests_total " .. string.format("%d", ok_total))
  metric("cncfdemo_http_generator_threads", "gauge", "wrk threads.")
  add("cncfdemo_http_generator_threads " .. #threads)

  local text = table.concat(out, "\n") .. "\n"
  if metrics_file then
    local f = assert(io.open(metrics_file, "w"))
    f:write(text)
    f:close()
  else
    io.write(text)
  end
end
