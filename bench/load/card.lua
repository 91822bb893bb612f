-- One query (a relation card) for ids picked at random from a list, e.g.
--   wrk -t2 -c64 -d30s --latency -s bench/load/card.lua http://127.0.0.1:8000 -- data.lua
-- The data file (written by bench/load/data.py) holds the path, the JSON-encoded query,
-- the ids and, for our server, the bearer token.
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

setup, init, response, done = common.setup, common.init, common.response, common.done

function request()
  local id = data.ids[math.random(#data.ids)]
  return common.post("card", '{"query":' .. data.card .. ',"variables":{"id":"' .. id .. '"}}')
end
