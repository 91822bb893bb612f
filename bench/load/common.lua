-- Shared by card.lua and mixed.lua: the data file, the headers, error counting, the summary.
-- Errors: every answer that is not 200, a 200 with a GraphQL "errors" member, an edit refused
-- with UserErrors ("problems"), a card that came back null (unknown id), and wrk's own socket
-- errors and timeouts (counted in wrk.py).
-- Counters are globals of each thread's Lua state, read back in done() with thread:get().
local M = {}
local threads = {}

function M.setup(thread)
  thread:set("thread_no", #threads + 1)
  table.insert(threads, thread)
end

function M.init(args)
  data = dofile(args[1])
  math.randomseed(data.seed + thread_no)
  headers = { ["Content-Type"] = "application/json" }
  if data.token then headers["Authorization"] = "Bearer " .. data.token end
  non200, gql_errors, user_errors, missing = 0, 0, 0, 0
  sent = {}
end

function M.post(kind, body)
  sent[kind] = (sent[kind] or 0) + 1
  return wrk.format("POST", data.path, headers, body)
end

function M.response(status, _, body)
  if status ~= 200 then
    non200 = non200 + 1
  elseif string.find(body, '"errors"', 1, true) then
    gql_errors = gql_errors + 1  -- a GraphQL error (the operation failed)
  elseif string.find(body, '"problems":[{', 1, true) then
    user_errors = user_errors + 1  -- a mutation refused with UserErrors
  elseif string.find(body, '{"data":{"relation":null', 1, true) == 1 then
    missing = missing + 1  -- a card that came back empty: nothing was measured
  end
end

function M.done(summary, latency, _)
  local total = { non200 = 0, gql_errors = 0, user_errors = 0, missing = 0 }
  local kinds = {}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(total) do total[name] = total[name] + thread:get(name) end
    for kind, n in pairs(thread:get("sent")) do kinds[kind] = (kinds[kind] or 0) + n end
  end
  local sent_json = {}
  for kind, n in pairs(kinds) do table.insert(sent_json, string.format('"%s":%d', kind, n)) end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"mean_us":%.1f,"connect":%d,"read":%d,"write":%d,"status":%d,' ..
    '"timeout":%d,"non200":%d,"gql_errors":%d,"user_errors":%d,"missing":%d,' ..
    '"sent":{%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write, e.status,
    e.timeout, total.non200, total.gql_errors, total.user_errors, total.missing,
    table.concat(sent_json, ",")))
end

return M
