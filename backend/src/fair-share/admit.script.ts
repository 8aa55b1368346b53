/**
 * The Lua script that admits one submit batch of one workspace to one shared queue (after its
 * `job.queued`/`job.delayed` events are appended), alone in its module (STYLE 17).
 *
 * - Delayed jobs go to the workspace's due-time set of the queue (`delayed:<queue>:<ws>`, score = due
 *   ms) and the queue's timers (`timers:<queue>`, the workspace's earliest due time); they enter the
 *   lane when due (see promote-due-lanes.script.ts).
 * - The others take the **fast path** when the queue has no lane backlog at all, the workspace stays
 *   within its running limit and BullMQ's `wait` + `prioritized` stay within the dispatch depth: they
 *   are counted running and recorded as a dispatching batch, and the caller adds them to BullMQ at once
 *   (then clears the record; a crash in between is the recovery pass's, as for any batch).
 * - Otherwise they join the workspace's lane (`lane:<queue>:<ws>`, score = priority · 2^32 + sequence),
 *   their add arguments beside them (`args:<queue>:<ws>`), their ids in the queue's backlog (KEDA; a
 *   sorted set scored by when each became ready, for the oldest waiting job's age),
 *   and the workspace enters the round-robin (`ready:<queue>`) at the lowest pass there, so a
 *   newcomer's first job goes next.
 *
 * KEYS: none fixed (every key is built from ARGV[1]: a single Redis, as BullMQ itself assumes).
 * ARGV: 1 fair prefix, 2 queue, 3 workspace id, 4 BullMQ key prefix of the queue (`<prefix>:<queue>:`),
 *   5 dispatch depth, 6 default maxRunning (0 = unlimited), 7 now (ms), 8 batch id, 9 bucket of now
 *   (started counter), 10 job count, then per job: id, priority, due time (0 = now), add arguments (JSON).
 * Returns 1 when the caller must add the immediate jobs to BullMQ now (fast path), else 0.
 */
export const ADMIT = `
local rcall = redis.call
local p, queue, ws, bull = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local depthLimit, defaultMaxRunning, now = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local batchId, bucket, count = ARGV[8], ARGV[9], tonumber(ARGV[10])
local lane, args = p .. 'lane:' .. queue .. ':' .. ws, p .. 'args:' .. queue .. ':' .. ws
local ready, running = p .. 'ready:' .. queue, p .. 'running:' .. ws
rcall('SADD', p .. 'workspaces', ws)

local now_ids, now_prio, now_args, delayed = {}, {}, {}, 0
for i = 0, count - 1 do
  local id, prio, due, json = ARGV[11 + i * 4], tonumber(ARGV[12 + i * 4]), tonumber(ARGV[13 + i * 4]), ARGV[14 + i * 4]
  if due > 0 then
    local dkey = p .. 'delayed:' .. queue .. ':' .. ws
    rcall('ZADD', dkey, due, id)
    rcall('HSET', args, id, json)
    local earliest = tonumber(rcall('ZSCORE', p .. 'timers:' .. queue, ws))
    if earliest == nil or due < earliest then rcall('ZADD', p .. 'timers:' .. queue, due, ws) end
    delayed = delayed + 1
  else
    now_ids[#now_ids + 1], now_prio[#now_prio + 1], now_args[#now_args + 1] = id, prio, json
  end
end
local n = #now_ids
if n == 0 then return 0 end

local fast = rcall('ZCARD', ready) == 0 and rcall('HGET', bull .. 'meta', 'paused') == false
if fast then
  local maxRunning = tonumber(rcall('HGET', p .. 'limits:' .. ws, 'maxRunning')) or defaultMaxRunning
  if maxRunning > 0 and rcall('SCARD', running) + n > maxRunning then fast = false end
end
if fast and rcall('LLEN', bull .. 'wait') + rcall('ZCARD', bull .. 'prioritized') + n > depthLimit then fast = false end
if fast then
  rcall('SADD', running, unpack(now_ids))
  rcall('HINCRBY', p .. 'started:' .. ws, bucket, n)
  rcall('EXPIRE', p .. 'started:' .. ws, 120)
  rcall('HSET', p .. 'dispatching:' .. queue, batchId, '[' .. table.concat(now_args, ',') .. ']')
  rcall('ZADD', p .. 'dispatching-at:' .. queue, now, batchId)
  return 1
end

local seq = rcall('INCRBY', p .. 'seq', n) - n
local members, fields, ready_since = {}, {}, {}
for i = 1, n do
  ready_since[#ready_since + 1] = now
  ready_since[#ready_since + 1] = now_ids[i]
  members[#members + 1] = now_prio[i] * 0x100000000 + (seq + i) % 0x100000000
  members[#members + 1] = now_ids[i]
  fields[#fields + 1] = now_ids[i]
  fields[#fields + 1] = now_args[i]
end
rcall('ZADD', lane, unpack(members))
rcall('HSET', args, unpack(fields))
rcall('ZADD', p .. 'backlog:' .. queue, unpack(ready_since))
if rcall('ZSCORE', ready, ws) == false then
  local lowest = rcall('ZRANGE', ready, 0, 0, 'WITHSCORES')
  rcall('ZADD', ready, tonumber(lowest[2]) or 0, ws)
end
return 0
`;
