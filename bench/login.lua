-- wrk script: the password step of sign-in, as a browser form post, counting outcomes.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "text/html"
wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")
wrk.headers["Referer"] = os.getenv("BENCH_ORIGIN") .. "/Account/Login"
-- Several people, taken in turn: one person's attempts are checked a few at a time (the
-- throttle lets as many through at once as it has free attempts), as a person's would be.
local users = {}
for u in string.gmatch(os.getenv("BENCH_USERS"), "[^,]+") do table.insert(users, u) end
local turn = 0
-- With BENCH_ADDRESSES=N each request comes from one of N client addresses (X-Forwarded-For,
-- which the server believes only from a trusted proxy): one address's attempts are checked
-- a few dozen at a time, as an office's would be.
local addresses = tonumber(os.getenv("BENCH_ADDRESSES") or "0")
function request()
  turn = turn + 1
  local body = "user_name=" .. users[(turn % #users) + 1] .. "&password=" .. os.getenv("BENCH_PASSWORD")
  if addresses == 0 then return wrk.format(nil, nil, nil, body) end
  local headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  local n = turn % addresses
  headers["X-Forwarded-For"] = string.format("198.18.%d.%d", math.floor(n / 250), n % 250 + 1)
  return wrk.format(nil, nil, headers, body)
end

local threads = {}
function setup(thread) table.insert(threads, thread) end
function init() ok = 0; other = 0 end
function response(status, headers)
  -- Success is a redirect to the code step; an error carries __err.
  local location = headers["location"] or headers["Location"]
  if status == 302 and location and not string.find(location, "__err", 1, true) then
    ok = ok + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local good, bad = 0, 0
  for _, t in ipairs(threads) do good = good + t:get("ok"); bad = bad + t:get("other") end
  io.write(string.format("BENCH ok=%d other=%d seconds=%.3f p50_ms=%.1f p99_ms=%.1f\n",
    good, bad, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3))
end
