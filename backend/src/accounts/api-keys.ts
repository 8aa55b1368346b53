import { createHash, randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import type { Actor, ApiKeyInfo, ApiKeyScope } from '@flightdeck/contract';
import { ApiKeyModel, type ApiKeyDoc } from '../db/models';
import { isServiceUnavailable } from '../ops/service-unavailable';
import type { RevocationBus } from './revocations';

export interface ApiKeyIdentity {
  keyId: string;
  workspaceId: string;
  name: string;
  scopes: string[];
}

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** A new secret key: `fd_` and 32 random bytes, base64url. */
export const generateApiKey = () => `fd_${randomBytes(32).toString('base64url')}`;

/** Stores a key (hashed) for a workspace; the plain key is never stored. */
export async function createApiKey(input: {
  workspaceId: string;
  name: string;
  key: string;
  scopes: readonly string[];
  createdBy?: Actor | null;
}): Promise<ApiKeyDoc & { _id: string }> {
  const record = await ApiKeyModel.create({
    _id: ulid(),
    workspaceId: input.workspaceId,
    name: input.name,
    hash: hashApiKey(input.key),
    prefix: input.key.slice(0, 7),
    scopes: [...input.scopes],
    createdBy: input.createdBy ?? null,
  });
  return record.toObject();
}

export function presentApiKey(record: ApiKeyDoc & { _id: string }): ApiKeyInfo {
  return {
    id: record._id,
    name: record.name,
    prefix: record.prefix,
    scopes: record.scopes as ApiKeyScope[],
    createdAt: record.createdAt.toISOString(),
    createdBy: (record.createdBy as Actor | null) ?? null,
    lastUsedAt: record.lastUsedAt?.toISOString() ?? null,
    revokedAt: record.revokedAt?.toISOString() ?? null,
  };
}

/** Lists, creates and revokes a workspace's keys. */
export class ApiKeyService {
  constructor(private readonly revocations: RevocationBus) {}

  async list(workspaceId: string): Promise<ApiKeyInfo[]> {
    const records = await ApiKeyModel.find({ workspaceId }).sort({ _id: 1 }).lean();
    return records.map(presentApiKey);
  }

  async create(
    workspaceId: string,
    input: { name: string; scopes: readonly ApiKeyScope[] },
    createdBy: Actor,
  ): Promise<ApiKeyInfo & { key: string }> {
    const key = generateApiKey();
    const record = await createApiKey({ workspaceId, name: input.name, key, scopes: input.scopes, createdBy });
    return { ...presentApiKey(record), key };
  }

  /** Revokes a key at once, here and in every process; revoking a revoked key changes nothing. Null: no such key here. */
  async revoke(workspaceId: string, id: string): Promise<{ key: ApiKeyInfo; changed: boolean } | null> {
    const revoked = await ApiKeyModel.findOneAndUpdate(
      { _id: id, workspaceId, revokedAt: null },
      { $set: { revokedAt: new Date() } },
      { returnDocument: 'after' },
    ).lean();
    if (revoked) {
      await this.revocations.publish({ kind: 'apiKey', keyId: id });
      return { key: presentApiKey(revoked), changed: true };
    }
    const existing = await ApiKeyModel.findOne({ _id: id, workspaceId }).lean();
    return existing ? { key: presentApiKey(existing), changed: false } : null;
  }
}

/** How often a key's `lastUsedAt` is written at most: a busy key costs one write a minute. */
const LAST_USED_RESOLUTION_MS = 60_000;
/** How long a cached answer may stand in for MongoDB while it cannot be asked. */
const STALE_FOR_MS = 10 * 60_000;
/** While MongoDB cannot be asked, how long a stale answer is used before asking again. */
const OUTAGE_RETRY_MS = 5_000;

interface CachedKey {
  identity: ApiKeyIdentity | null;
  expiresAt: number;
  /** Until when the answer may be used after `expiresAt` if MongoDB is away. */
  staleUntil: number;
}

/**
 * Resolves API keys to identities, with a short in-process cache (by the presented key, so a hit
 * costs no hashing and no await) so the hot submit path does not query MongoDB on every request.
 * Revocations evict at once (see RevocationBus); the cache's lifetime bounds a missed message.
 * While MongoDB is away, an expired answer goes on being used (for up to `STALE_FOR_MS`):
 * submitting needs no MongoDB (design §3), and a key cannot be revoked while it is away anyway.
 */
export class ApiKeyResolver {
  private readonly cache = new Map<string, CachedKey>();
  private readonly lastUsedWrites = new Map<string, number>();
  /** Lookups in flight, by presented key: a burst of requests with an expired key asks once. */
  private readonly lookups = new Map<string, Promise<ApiKeyIdentity | null>>();

  constructor(private readonly cacheMs = 10_000) {}

  /** The cached answer for a key: an identity, null for a known bad key, undefined when not cached. */
  cached(key: string): ApiKeyIdentity | null | undefined {
    const entry = this.cache.get(key);
    if (!entry || entry.expiresAt <= Date.now()) return undefined;
    if (entry.identity) this.touch(entry.identity.keyId);
    return entry.identity;
  }

  async resolve(key: string): Promise<ApiKeyIdentity | null> {
    const cached = this.cached(key);
    if (cached !== undefined) return cached;
    const stale = this.cache.get(key);
    const usable = stale && stale.staleUntil > Date.now() ? stale : undefined;
    // Known to be away: do not make the request wait for the driver to give up.
    if (usable && ApiKeyModel.db.readyState !== 1) return usable.identity;
    let lookup = this.lookups.get(key);
    if (!lookup) {
      lookup = this.lookUp(key).finally(() => this.lookups.delete(key));
      this.lookups.set(key, lookup);
    }
    try {
      return await lookup;
    } catch (error) {
      if (!usable || !isServiceUnavailable(error)) throw error;
      usable.expiresAt = Date.now() + OUTAGE_RETRY_MS;
      return usable.identity;
    }
  }

  private async lookUp(key: string): Promise<ApiKeyIdentity | null> {
    const record = await ApiKeyModel.findOne({ hash: hashApiKey(key), revokedAt: null }).lean();
    const identity = record
      ? { keyId: record._id, workspaceId: record.workspaceId, name: record.name, scopes: record.scopes }
      : null;
    if (this.cache.size > 10_000) this.cache.clear();
    const now = Date.now();
    this.cache.set(key, { identity, expiresAt: now + this.cacheMs, staleUntil: now + STALE_FOR_MS });
    if (identity) this.touch(identity.keyId);
    return identity;
  }

  /** Forgets every cached answer for a key (it was revoked). */
  evict(keyId: string): void {
    for (const [key, entry] of this.cache) if (entry.identity?.keyId === keyId) this.cache.delete(key);
  }

  /** Forgets every cached key of a workspace (it was deleted). */
  evictWorkspace(workspaceId: string): void {
    for (const [key, entry] of this.cache) if (entry.identity?.workspaceId === workspaceId) this.cache.delete(key);
  }

  /** Records that a key was used, at most once a minute per key, without delaying the request. */
  private touch(keyId: string): void {
    const now = Date.now();
    if ((this.lastUsedWrites.get(keyId) ?? 0) > now - LAST_USED_RESOLUTION_MS) return;
    if (this.lastUsedWrites.size > 10_000) this.lastUsedWrites.clear();
    this.lastUsedWrites.set(keyId, now);
    ApiKeyModel.updateOne({ _id: keyId }, { $set: { lastUsedAt: new Date(now) } }).catch(() => {
      // Best effort: a missed write only makes lastUsedAt a minute older.
    });
  }
}
