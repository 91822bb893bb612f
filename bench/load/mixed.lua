-- Mixed cockpit traffic: 45% searches (RelationSearch, varying terms), 45% cards
-- (RelationCard, varying ids), 10% edits (updateRelation of a website, updateContactPerson
-- of a phone number). Every non-200 answer, GraphQL error and refused edit is counted.
--   wrk -t2 -c64 -d60s --latency -s bench/load/mixed.lua http://127.0.0.1:8000 -- data.lua
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

setup, init, response, done = common.setup, common.init, common.response, common.done

local function pick(list) return list[math.random(#list)] end

local function search()
  local body = '{"query":' .. data.search .. ',"variables":{"search":' .. pick(data.terms) ..
    ',"first":25}}'
  return common.post("search", body)
end

local function card()
  return common.post("card",
    '{"query":' .. data.card .. ',"variables":{"id":"' .. pick(data.ids) .. '"}}')
end

local function edit_website()
  local body = '{"query":' .. data.website .. ',"variables":{"id":"' .. pick(data.edit_ids) ..
    '","input":{"website":"https://www.bench-' .. math.random(1, 999999) .. '.nl"}}}'
  return common.post("edit_website", body)
end

local function edit_phone()
  local phone = string.format("+3120%d%06d", math.random(2, 9), math.random(0, 999999))
  local body = '{"query":' .. data.phone .. ',"variables":{"id":"' .. pick(data.contact_ids) ..
    '","input":{"phone":"' .. phone .. '"}}}'
  return common.post("edit_phone", body)
end

function request()
  local roll = math.random(100)
  if roll <= 45 then return search() end
  if roll <= 90 then return card() end
  if roll <= 95 then return edit_website() end
  return edit_phone()
end
