-- wrk script for bench/run.sh: cycle through the request paths listed in the file
-- named by $WRK_URLS (one per line); every thread starts at its own offset.
-- At the end it prints one machine-readable WRKRESULT line (latencies in ms,
-- bytes including headers), the same format as the peers' rotate.lua.
local paths = {}
local pos = 0
local nthreads = 0

function setup(thread)
  nthreads = nthreads + 1
  thread:set("tid", nthreads)
end

function init(args)
  for line in io.lines(os.getenv("WRK_URLS")) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  assert(#paths > 0, "no URLs in " .. tostring(os.getenv("WRK_URLS")))
  local tid = tonumber(wrk.thread:get("tid")) or 1
  pos = math.floor((tid - 1) * #paths / 2)
end

function request()
  pos = pos % #paths + 1
  return wrk.format("GET", paths[pos])
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "WRKRESULT requests=%d duration_s=%.3f rps=%.2f bytes=%d MBps=%.3f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f mean_ms=%.2f err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, secs, summary.requests / secs, summary.bytes, summary.bytes / secs / 1e6,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
