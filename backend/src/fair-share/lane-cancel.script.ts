/**
 * The Lua scripts that take one job out of a workspace's lane or due-time set (a cancel), and that
 * make a delayed one due now (a promote), alone in their module (STYLE 17). Atomic against the
 * dispatcher: a job is either still in its lane (and then removed here, never dispatched) or already
 * taken by a dispatch (and then this answers 0, and the caller looks for it in BullMQ).
 *
 * ARGV: 1 fair prefix, 2 queue, 3 workspace id, 4 job id.
 */

/** Returns 1 when the job was in the lane, 2 when in the due-time set, 0 when in neither. */
export const LANE_CANCEL = `
local rcall = redis.call
local p, queue, ws, id = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local lane, args, dkey = p .. 'lane:' .. queue .. ':' .. ws, p .. 'args:' .. queue .. ':' .. ws, p .. 'delayed:' .. queue .. ':' .. ws
if rcall('ZREM', lane, id) == 1 then
  rcall('HDEL', args, id)
  rcall('ZREM', p .. 'backlog:' .. queue, id)
  if rcall('ZCARD', lane) == 0 then rcall('ZREM', p .. 'ready:' .. queue, ws) end
  return 1
end
if rcall('ZREM', dkey, id) == 1 then
  rcall('HDEL', args, id)
  local nextDue = rcall('ZRANGE', dkey, 0, 0, 'WITHSCORES')
  if #nextDue == 0 then rcall('ZREM', p .. 'timers:' .. queue, ws) else rcall('ZADD', p .. 'timers:' .. queue, nextDue[2], ws) end
  return 2
end
return 0
`;

/** Makes a job of the due-time set due now (the dispatcher's next pass moves it to the lane); 1 if it was there. */
export const LANE_PROMOTE = `
local rcall = redis.call
local p, queue, ws, id = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local dkey = p .. 'delayed:' .. queue .. ':' .. ws
if rcall('ZSCORE', dkey, id) == false then return 0 end
rcall('ZADD', dkey, 0, id)
rcall('ZADD', p .. 'timers:' .. queue, 0, ws)
return 1
`;
