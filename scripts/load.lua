-- wrk script for `make load`: cycles through the requests listed in $LOAD_PLAN
-- ("GET /path" or "POST /path" per line) and counts answers by class, 503s apart.

local requests = {}
local counter = 0
local threads = {}

-- Globals, so done() can read them from each thread.
status_2xx, status_3xx, status_4xx, status_5xx, status_503 = 0, 0, 0, 0, 0

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("LOAD_PLAN")) do
    local method, path = line:match("^(%u+)%s+(%S+)$")
    if method == "POST" then
      local body = "name=Load+test&website=https%3A%2F%2Fexample.org%2F&pitch=Load+test&reason=other&message=x"
      table.insert(requests, wrk.format("POST", path,
        {["Content-Type"] = "application/x-www-form-urlencoded"}, body))
    elseif method then
      table.insert(requests, wrk.format(method, path))
    end
  end
  -- Threads start at different places in the mix.
  counter = (thread_index * 7) % #requests
end

function request()
  counter = counter % #requests + 1
  return requests[counter]
end

function response(status, headers, body)
  if status == 503 then status_503 = status_503 + 1 end
  if status >= 500 then status_5xx = status_5xx + 1
  elseif status >= 400 then status_4xx = status_4xx + 1
  elseif status >= 300 then status_3xx = status_3xx + 1
  else status_2xx = status_2xx + 1 end
end

function done(summary, latency, _)
  local totals = {status_2xx = 0, status_3xx = 0, status_4xx = 0, status_5xx = 0, status_503 = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do totals[name] = totals[name] + thread:get(name) end
  end
  local errors = summary.errors
  io.write(string.format("requests: %d in %.1f s\n", summary.requests, summary.duration / 1e6))
  io.write(string.format("requests/s: %.1f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50: %.1f ms, p99: %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
  io.write(string.format("2xx: %d, 3xx: %d, 4xx: %d\n",
    totals.status_2xx, totals.status_3xx, totals.status_4xx))
  io.write(string.format("socket errors: connect %d, read %d, write %d, timeout %d\n",
    errors.connect, errors.read, errors.write, errors.timeout))
  io.write(string.format("5xx: %d\n", totals.status_5xx))
  io.write(string.format("of which 503: %d\n", totals.status_503))
end
