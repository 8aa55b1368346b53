import { createHash, randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { ApiKeyModel } from '../db/models';

export const API_KEY_SCOPES = ['jobs:read', 'jobs:write', 'queues:read', 'queues:write', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface ApiKeyIdentity {
  keyId: string;
  workspaceId: string;
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
}): Promise<{ id: string }> {
  const id = ulid();
  await ApiKeyModel.create({
    _id: id,
    workspaceId: input.workspaceId,
    name: input.name,
    hash: hashApiKey(input.key),
    prefix: input.key.slice(0, 7),
    scopes: [...input.scopes],
  });
  return { id };
}

/**
 * Resolves API keys to identities, with a short in-process cache (by the presented key, so a hit
 * costs no hashing and no await) so the hot submit path does not query MongoDB on every request.
 */
export class ApiKeyResolver {
  private readonly cache = new Map<string, { identity: ApiKeyIdentity | null; expiresAt: number }>();

  constructor(private readonly cacheMs = 10_000) {}

  /** The cached answer for a key: an identity, null for a known bad key, undefined when not cached. */
  cached(key: string): ApiKeyIdentity | null | undefined {
    const entry = this.cache.get(key);
    return entry && entry.expiresAt > Date.now() ? entry.identity : undefined;
  }

  async resolve(key: string): Promise<ApiKeyIdentity | null> {
    const cached = this.cached(key);
    if (cached !== undefined) return cached;
    const record = await ApiKeyModel.findOne({ hash: hashApiKey(key), revokedAt: null }).lean();
    const identity = record ? { keyId: record._id, workspaceId: record.workspaceId, scopes: record.scopes } : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { identity, expiresAt: Date.now() + this.cacheMs });
    return identity;
  }
}
