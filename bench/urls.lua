-- wrk script: request the paths of a list file in order (wrapping at its end) and
-- count non-2xx and 5xx answers. Usage: wrk -t1 ... -s bench/urls.lua URL -- LIST_FILE
-- Prints one line "BENCHJSON {...}" that bench/run.py reads.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  position = 0
  non2xx = 0
  s5xx = 0
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  if status >= 500 then
    s5xx = s5xx + 1
  end
end

function done(summary, latency, requests)
  local n2, n5 = 0, 0
  for _, thread in ipairs(threads) do
    n2 = n2 + thread:get("non2xx")
    n5 = n5 + thread:get("s5xx")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests": %d, "duration_us": %d, "non2xx": %d, "s5xx": %d, ' ..
    '"errors": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, n2, n5,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
