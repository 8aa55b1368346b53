/**
 * The Lua script that moves a shared queue's due delayed jobs from the workspaces' due-time sets into
 * their lanes, alone in its module (STYLE 17): workspaces whose earliest due time has come
 * (`timers:<queue>`), a slice of each per call and ARGV[4] jobs in all, so 20,000 jobs of one workspace due at
 * 12:00 enter its lane — and wait their turn there — while another's due job enters its own lane in
 * the same call. A due job is ordered after the lane's jobs of its priority (its sequence is taken
 * now). The lane score's priority comes from the job's add arguments, which start `{"p":<priority>`.
 *
 * ARGV: 1 fair prefix, 2 queue, 3 now (ms), 4 most jobs in all (each workspace's share of it: at least
 *   100, so the due workspaces' jobs are moved a slice each), 5 most workspaces.
 * Returns { moved, workspaces still due (beyond the limits) }.
 */
export const PROMOTE_DUE_LANES = `
local rcall = redis.call
local p, queue, now, budget = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local timers, ready = p .. 'timers:' .. queue, p .. 'ready:' .. queue
local due = rcall('ZRANGEBYSCORE', timers, 0, now, 'LIMIT', 0, tonumber(ARGV[5]))
local moved = 0
local share = math.max(100, math.ceil(budget / math.max(#due, 1)))
for _, ws in ipairs(due) do
  if moved >= budget then break end
  local most = math.min(share, budget - moved)
  local dkey, args, lane = p .. 'delayed:' .. queue .. ':' .. ws, p .. 'args:' .. queue .. ':' .. ws, p .. 'lane:' .. queue .. ':' .. ws
  local found = rcall('ZRANGEBYSCORE', dkey, 0, now, 'WITHSCORES', 'LIMIT', 0, most)
  local ids, dues = {}, {}
  for i = 1, #found, 2 do ids[#ids + 1], dues[#dues + 1] = found[i], tonumber(found[i + 1]) end
  if #ids > 0 then
    local values = rcall('HMGET', args, unpack(ids))
    local seq = rcall('INCRBY', p .. 'seq', #ids) - #ids
    local members, present, since = {}, {}, {}
    for i, id in ipairs(ids) do
      if values[i] then
        -- Ready since its due time (a promoted job's is 0: since now).
        since[#since + 1] = dues[i] > 0 and dues[i] or now
        since[#since + 1] = id
        local prio = tonumber(string.match(values[i], '^{"p":(%d+)')) or 0
        members[#members + 1] = prio * 0x100000000 + (seq + i) % 0x100000000
        members[#members + 1] = id
        present[#present + 1] = id
      end
    end
    rcall('ZREM', dkey, unpack(ids))
    if #present > 0 then
      rcall('ZADD', lane, unpack(members))
      rcall('ZADD', p .. 'backlog:' .. queue, unpack(since))
      if rcall('ZSCORE', ready, ws) == false then
        local lowest = rcall('ZRANGE', ready, 0, 0, 'WITHSCORES')
        rcall('ZADD', ready, tonumber(lowest[2]) or 0, ws)
      end
      moved = moved + #present
    end
  end
  local nextDue = rcall('ZRANGE', dkey, 0, 0, 'WITHSCORES')
  if #nextDue == 0 then rcall('ZREM', timers, ws) else rcall('ZADD', timers, nextDue[2], ws) end
end
return { moved, rcall('ZCOUNT', timers, 0, now) }
`;
