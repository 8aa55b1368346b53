/**
 * The Lua script that refills one shared queue's BullMQ `wait` from the workspaces' lanes, alone in
 * its module (STYLE 17). Weighted fair queueing by "pass" (stride scheduling): each workspace with
 * lane work has a pass in `ready:<queue>`; the next job comes from the eligible workspace with the
 * lowest pass, whose pass then grows by 1 / weight. A workspace at its running limit is skipped (and
 * its pass is brought up to the others', so it gets no burst when it is let go). The state lives in
 * Redis, so every dispatcher shares it, and the script runs atomically, so two dispatchers never take
 * the same job nor overfill the queue.
 *
 * It takes up to `min(depth − (wait + prioritized), most)` jobs, removes them from their lanes, counts
 * them running and started, and records them as one dispatching batch (`dispatching:<queue>`, JSON
 * array of their add arguments; `dispatching-at:<queue>`, when): the caller adds them to BullMQ, then
 * clears the record. The batch lists the jobs in the order they were picked, so a newcomer's job picked
 * first is added first. A paused queue gets nothing.
 *
 * ARGV: 1 fair prefix, 2 queue, 3 BullMQ key prefix of the queue, 4 target depth, 5 default maxRunning
 *   (0 = unlimited), 6 default weight, 7 now (ms), 8 batch id, 9 bucket of now, 10 most jobs to take,
 *   11 most workspaces to look at (the lowest passes; the others' turn comes as the passes grow; 0 or
 *   absent = all).
 * Returns { taken, depth before, batch JSON or '', jobs active in BullMQ, blocked }: blocked = 1 when it
 * took nothing although lanes wait and the queue has room below the target — the queue is paused or every
 * laned workspace is at its running limit — so the caller need not ask again soon.
 */
export const DISPATCH = `
local rcall = redis.call
local p, queue, bull = ARGV[1], ARGV[2], ARGV[3]
local target, defaultMaxRunning, defaultWeight = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local now, batchId, bucket, most = tonumber(ARGV[7]), ARGV[8], ARGV[9], tonumber(ARGV[10])
local ready = p .. 'ready:' .. queue

local depth = rcall('LLEN', bull .. 'wait') + rcall('ZCARD', bull .. 'prioritized')
local active = rcall('LLEN', bull .. 'active')
if rcall('HGET', bull .. 'meta', 'paused') ~= false then return { 0, depth, '', active, 1 } end
local want = math.min(target - depth, most)
if want <= 0 then return { 0, depth, '', active, 0 } end
local entries = rcall('ZRANGE', ready, 0, (tonumber(ARGV[11]) or 0) - 1, 'WITHSCORES')
if #entries == 0 then return { 0, depth, '', active, 0 } end

local ws, pass, room, step, taken = {}, {}, {}, {}, {}
for i = 1, #entries, 2 do
  local id = entries[i]
  local limits = rcall('HMGET', p .. 'limits:' .. id, 'maxRunning', 'weight')
  local maxRunning = tonumber(limits[1]) or defaultMaxRunning
  local weight = tonumber(limits[2]) or defaultWeight
  local queued = rcall('ZCARD', p .. 'lane:' .. queue .. ':' .. id)
  local k = #ws + 1
  ws[k], pass[k], step[k], taken[k] = id, tonumber(entries[i + 1]), 1 / math.max(weight, 1), 0
  room[k] = queued
  if maxRunning > 0 then room[k] = math.min(queued, maxRunning - rcall('SCARD', p .. 'running:' .. id)) end
  if queued == 0 then rcall('ZREM', ready, id) end
end

local total, picks = 0, {}
while total < want do
  local best = nil
  for k = 1, #ws do
    if room[k] > 0 and (best == nil or pass[k] < pass[best]) then best = k end
  end
  if best == nil then break end
  taken[best], room[best], pass[best] = taken[best] + 1, room[best] - 1, pass[best] + step[best]
  total = total + 1
  picks[total] = best
end

local lowestServed = nil
for k = 1, #ws do
  if taken[k] > 0 and (lowestServed == nil or pass[k] < lowestServed) then lowestServed = pass[k] end
end
local picked = {}
for k = 1, #ws do
  local id = ws[k]
  local lane, args = p .. 'lane:' .. queue .. ':' .. id, p .. 'args:' .. queue .. ':' .. id
  if taken[k] > 0 then
    local ids = rcall('ZRANGE', lane, 0, taken[k] - 1)
    local values = rcall('HMGET', args, unpack(ids))
    rcall('ZREM', lane, unpack(ids))
    rcall('HDEL', args, unpack(ids))
    rcall('ZREM', p .. 'backlog:' .. queue, unpack(ids))
    rcall('SADD', p .. 'running:' .. id, unpack(ids))
    rcall('HINCRBY', p .. 'started:' .. id, bucket, #ids)
    rcall('EXPIRE', p .. 'started:' .. id, 120)
    picked[k] = { values = values, next = 1 }
  elseif lowestServed ~= nil and pass[k] < lowestServed then
    pass[k] = lowestServed
  end
  if rcall('ZCARD', lane) == 0 then rcall('ZREM', ready, id) else rcall('ZADD', ready, 'XX', pass[k], id) end
end
-- In pick order: each pick takes its workspace's next job (its lane's order).
local adds = {}
for _, k in ipairs(picks) do
  local from = picked[k]
  local value = from.values[from.next]
  from.next = from.next + 1
  if value then adds[#adds + 1] = value end
end
if #adds == 0 then return { 0, depth, '', active, total == 0 and 1 or 0 } end
local batch = '[' .. table.concat(adds, ',') .. ']'
rcall('HSET', p .. 'dispatching:' .. queue, batchId, batch)
rcall('ZADD', p .. 'dispatching-at:' .. queue, now, batchId)
return { #adds, depth, batch, active, 0 }
`;
