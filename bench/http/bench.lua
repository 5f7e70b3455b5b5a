-- wrk script for bench/http/run.sh. One script for every endpoint; the environment picks what to do:
--
--   BENCH_MODE       healthz | leads | thread | messages | drafts
--   BENCH_REPS_FILE  file with one "token leadId" pair per line (written by helpers.py setup);
--                    writes (messages, drafts) rotate over every line, one rep per request
--   BENCH_TOKEN      bearer token for the reads (leads, thread)
--   BENCH_LEAD       lead id of the 200-message thread (thread)
--   BENCH_RUN_TAG    unique per wrk invocation: prefix of the clientIds (messages)
--
-- done() prints one "BENCH_JSON {...}" line that helpers.py summarises; wrk's own --latency report
-- is printed above it and kept in the raw output files.

local mode = os.getenv("BENCH_MODE") or "healthz"
local json_headers = { ["Content-Type"] = "application/json" }

local function read_reps()
  local reps = {}
  local path = os.getenv("BENCH_REPS_FILE")
  if not path then return reps end
  for line in io.lines(path) do
    local token, lead = line:match("^(%S+)%s+(%S+)$")
    if token then reps[#reps + 1] = { token = token, lead = lead } end
  end
  return reps
end

-- Main (setup/done) environment: number the threads and keep them for done().
local threads = {}
function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

-- Per-thread environment.
local reps, requests, counter, run_tag
local draft_body = '{"content":"Hi! Following up on our call: I attached the pricing sheet and two case studies. '
  .. 'Would Thursday 10am work for a 20-minute walkthrough with your team?","channel":"email"}'

function init(args)
  run_tag = (os.getenv("BENCH_RUN_TAG") or tostring(os.time())) .. "-" .. tostring(thread_id or 0)
  counter = 0
  not_created = 0
  if mode == "healthz" then
    wrk.method, wrk.path = "GET", "/healthz"
  elseif mode == "leads" then
    wrk.method, wrk.path = "GET", "/api/leads"
    wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
  elseif mode == "thread" then
    wrk.method, wrk.path = "GET", "/api/messages/" .. os.getenv("BENCH_LEAD") .. "?limit=200"
    wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
  elseif mode == "drafts" then
    -- The body is the same every time (no baseVersion: last write wins), so pre-build one request per rep.
    reps = read_reps()
    requests = {}
    for i, rep in ipairs(reps) do
      requests[i] = wrk.format("POST", "/api/drafts/" .. rep.lead,
        { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. rep.token }, draft_body)
    end
    -- Threads start on different reps so they do not march in step.
    counter = (thread_id or 0) * 7
  elseif mode == "messages" then
    reps = read_reps()
    counter = (thread_id or 0) * 7
  else
    error("unknown BENCH_MODE " .. mode)
  end
  if mode ~= "messages" then response = nil end
end

if mode == "drafts" then
  function request()
    counter = counter + 1
    return requests[counter % #requests + 1]
  end
elseif mode == "messages" then
  function request()
    counter = counter + 1
    local rep = reps[counter % #reps + 1]
    -- A fresh clientId per request: a repeated one would be an idempotent replay (200, no insert).
    local client_id = "bench-" .. run_tag .. "-" .. counter
    local body = '{"body":"Hi! Quick follow-up on the proposal - any questions I can answer before Friday?",'
      .. '"subject":"Following up","channel":"email","clientId":"' .. client_id .. '"}'
    return wrk.format("POST", "/api/messages/" .. rep.lead,
      { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. rep.token }, body)
  end
  -- Count answers other than 201 Created (a replay answers 200, which wrk would not flag).
  function response(status, headers, body)
    if status ~= 201 then not_created = not_created + 1 end
  end
end

function done(summary, latency, requests_stats)
  local not_created_total = 0
  for _, thread in ipairs(threads) do
    not_created_total = not_created_total + (thread:get("not_created") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"mode":"%s","requests":%d,"duration_us":%d,"bytes":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"not_201":%d,'
      .. '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    mode, summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout, mode == "messages" and not_created_total or 0,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
