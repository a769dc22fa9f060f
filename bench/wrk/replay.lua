-- Replays requests prepared by bench/load.py: one per line, tab-separated
--   METHOD <TAB> PATH <TAB> HEADER: value|HEADER: value <TAB> BODY
-- Each wrk thread picks lines at random; done() prints the figures as one JSON line.

local requests = {}

local function split(line, sep)
  local fields, start = {}, 1
  while true do
    local i = string.find(line, sep, start, true)
    if not i then table.insert(fields, string.sub(line, start)); break end
    table.insert(fields, string.sub(line, start, i - 1))
    start = i + 1
  end
  return fields
end

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
  for line in io.lines(args[1]) do
    local f = split(line, "\t")
    local headers = {}
    if f[3] and f[3] ~= "" then
      for _, pair in ipairs(split(f[3], "|")) do
        local c = string.find(pair, ": ", 1, true)
        headers[string.sub(pair, 1, c - 1)] = string.sub(pair, c + 2)
      end
    end
    local body = f[4]
    if body == "" then body = nil end
    table.insert(requests, wrk.format(f[1], f[2], headers, body))
  end
end

function request()
  return requests[math.random(#requests)]
end

function done(summary, latency, requests_)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, ' ..
    '"max_ms": %.2f, "connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, "non_2xx": %d}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, errors.connect, errors.read, errors.write, errors.timeout, errors.status))
end
