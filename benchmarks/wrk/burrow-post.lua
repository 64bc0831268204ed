-- wrk script: POSTs one Burrow report (default: burrow-body.json beside this script, an 8-partition Karrot
-- envelope) to the URL's path, as Burrow's HTTP notifier does, and ends with one machine-readable line:
--   RESULT requests=N duration_us=N rps=N p50_us=N p99_us=N non2xx=N socket_errors=N
-- Usage: BURROW_BODY=file.json wrk -t2 -c16 -d10s -s burrow-post.lua http://127.0.0.1:8080/burrow
-- No response() hook: wrk counts non-2xx/3xx answers itself, and a Lua hook per response would cost wrk CPU
-- on the same two cores as the server under test.

local function script_dir()
  local source = debug.getinfo(1, "S").source:sub(2)
  return source:match("(.*/)") or "./"
end

local path = os.getenv("BURROW_BODY") or (script_dir() .. "burrow-body.json")
local file = assert(io.open(path, "rb"), "cannot open " .. path)
local body = file:read("*a")
file:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "Go-http-client/1.1"

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
