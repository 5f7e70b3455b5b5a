-- wrk script for bench/tracking/run.sh: GET requests rotating over a file of paths (the pixel URLs
-- /t/o/{trackingId}.gif of known or unknown ids, or /healthz), with a desktop browser's User-Agent,
-- so closer-server counts each hit as a person's open. The same script drives every row, nginx
-- included, so all pay wrk the same per-request cost.
--
--   BENCH_PATHS_FILE  one request path per line
--
-- done() prints one "BENCH_JSON {...}" line that helpers.py summarises; wrk's own --latency report
-- is printed above it and kept in the raw output files.

local user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
  .. "Chrome/131.0.0.0 Safari/537.36"

-- Main (setup/done) environment: number the threads so they start at different ids.
local threads = {}
function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

-- Per-thread environment: every request pre-built once.
local requests, counter

function init(args)
  local file = os.getenv("BENCH_PATHS_FILE") or error("BENCH_PATHS_FILE is not set")
  requests = {}
  for path in io.lines(file) do
    if path ~= "" then
      requests[#requests + 1] = wrk.format("GET", path, {
        ["User-Agent"] = user_agent,
        ["Accept"] = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
      })
    end
  end
  if #requests == 0 then error("no paths in " .. file) end
  counter = (thread_id or 0) * 37
end

function request()
  counter = counter + 1
  return requests[counter % #requests + 1]
end

function done(summary, latency, requests_stats)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
