/**
 * The Lua script that replaces the Redis mirror of a workspace's limits, alone in its module
 * (STYLE 17). The mirror carries the `version` of the MongoDB document it copies (bumped by every
 * change), and a copy older than the one in Redis is refused: a periodic re-write that read MongoDB just before an
 * operator's change must not put the old limits back (for a whole period) after that change wrote
 * its own mirror. A mirror that Redis lost (a flush, a restart without persistence) is written
 * whatever its age.
 *
 * KEYS: 1 the limits hash. ARGV: 1 version, then field, value pairs (the limits set).
 * Returns 1 when written, 0 when the mirror holds a newer copy.
 */
export const REPLACE_WORKSPACE_LIMITS = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'version'))
if stored and stored > tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'version', unpack(ARGV))
return 1
`;
