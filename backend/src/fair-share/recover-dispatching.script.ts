/**
 * The Lua script that claims a shared queue's dispatching batches older than a cutoff — taken from
 * the lanes by a dispatcher (or admitted on the fast path) that died, or stalled, before it cleared
 * them — alone in its module (STYLE 17). Claiming restamps them with now, so of several recovering
 * processes one handles a batch at a time; the claimer re-adds the jobs that are still waiting in
 * Flightdeck and absent from BullMQ, then clears the batch.
 *
 * ARGV: 1 fair prefix, 2 queue, 3 cutoff (ms), 4 now (ms), 5 most batches.
 * Returns a flat list: batch id, batch JSON, batch id, batch JSON, …
 */
export const RECOVER_DISPATCHING = `
local rcall = redis.call
local p, queue = ARGV[1], ARGV[2]
local at, records = p .. 'dispatching-at:' .. queue, p .. 'dispatching:' .. queue
local old = rcall('ZRANGEBYSCORE', at, 0, tonumber(ARGV[3]), 'LIMIT', 0, tonumber(ARGV[5]))
local out = {}
for _, batchId in ipairs(old) do
  local batch = rcall('HGET', records, batchId)
  if batch then
    rcall('ZADD', at, tonumber(ARGV[4]), batchId)
    out[#out + 1] = batchId
    out[#out + 1] = batch
  else
    rcall('ZREM', at, batchId)
  end
end
return out
`;
