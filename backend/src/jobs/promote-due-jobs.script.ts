/**
 * The Lua script that moves a queue's due delayed jobs to `wait`, alone in its module (STYLE 17). It
 * lives in a TypeScript module rather than a `.lua` file because the build (`tsc -b`) ships only
 * compiled modules: a `.lua` file would not reach `dist/` or the image. `DueJobPromoter` loads it once
 * (`defineCommand`, then EVALSHA).
 *
 * It does for at most ARGV[3] due jobs what BullMQ 6.7's own promotion does (`promoteDelayedJobs`, run
 * by `moveToActive` — which only a running worker calls — and `promote-9.lua`), so that a job at zero
 * workers lands where KEDA looks (`wait`, or `prioritized`) and a worker started later takes it like
 * any other:
 *
 * - due = score below `(now + 1) * 0x1000`: BullMQ scores a delayed job `runAt * 0x1000 + counter`
 *   (the counter orders jobs due in the same millisecond), and uses the same bound;
 * - ZREM from `delayed`, then LPUSH `wait` (priority 0) or ZADD `prioritized` at BullMQ's score
 *   `priority * 2^32 + INCR(pc)`, a `waiting` event with `prev = delayed` in the queue's event stream
 *   (the reconciler ignores those: only `prev = active` ends an attempt), `delay` reset to 0;
 * - the base marker (`ZADD marker 0 "0"`), which wakes workers blocked on the marker, unless the
 *   queue is paused or at its global concurrency (BullMQ 6 keeps a paused queue's jobs in `wait`
 *   and adds no marker then; `resume` adds it).
 *
 * One difference: an id whose job hash is gone is only removed from `delayed`, never pushed to `wait`,
 * where a worker would fetch a job that does not exist.
 *
 * Returns `{ promoted, stillDue }`: how many it moved, and how many due jobs remain (beyond the limit),
 * so the caller can call again at once. When nothing is due, it is one ZRANGEBYSCORE.
 *
 * KEYS: 1 delayed, 2 wait, 3 prioritized, 4 meta, 5 active, 6 pc, 7 events, 8 marker
 * ARGV: 1 the queue's key prefix (`<prefix>:<queue>:`), 2 now (ms), 3 most jobs to move
 */
export const PROMOTE_DUE_JOBS = `
local rcall = redis.call
local delayedKey, waitKey, prioritizedKey, metaKey, activeKey, pcKey, eventsKey, markerKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local dueBelow = (tonumber(ARGV[2]) + 1) * 0x1000 - 1

local due = rcall('ZRANGEBYSCORE', delayedKey, 0, dueBelow, 'LIMIT', 0, tonumber(ARGV[3]))
if #due == 0 then return { 0, 0 } end

local meta = rcall('HMGET', metaKey, 'paused', 'concurrency', 'opts.maxLenEvents')
local pausedOrMaxed = meta[1] ~= false or (meta[2] ~= false and rcall('LLEN', activeKey) >= tonumber(meta[2]))
local maxEvents = tonumber(meta[3]) or 10000

local promoted = 0
rcall('ZREM', delayedKey, unpack(due))
for _, jobId in ipairs(due) do
  local jobKey = ARGV[1] .. jobId
  if rcall('EXISTS', jobKey) == 1 then
    local priority = tonumber(rcall('HGET', jobKey, 'priority')) or 0
    if priority == 0 then
      rcall('LPUSH', waitKey, jobId)
    else
      rcall('ZADD', prioritizedKey, priority * 0x100000000 + rcall('INCR', pcKey) % 0x100000000, jobId)
    end
    rcall('XADD', eventsKey, 'MAXLEN', '~', maxEvents, '*', 'event', 'waiting', 'jobId', jobId, 'prev', 'delayed')
    rcall('HSET', jobKey, 'delay', 0)
    promoted = promoted + 1
  end
end
if promoted > 0 and not pausedOrMaxed then rcall('ZADD', markerKey, 0, '0') end

return { promoted, rcall('ZCOUNT', delayedKey, 0, dueBelow) }
`;
