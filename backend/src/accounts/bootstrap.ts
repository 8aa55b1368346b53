import { randomBytes } from 'node:crypto';
import { hashPassword } from './passwords';
import type { Logger } from 'pino';
import { ulid } from 'ulid';
import { ApiKeyModel, MembershipModel, UserModel, WorkspaceModel } from '../db/models';
import { API_KEY_SCOPES } from '@flightdeck/contract';
import { createApiKey, generateApiKey, hashApiKey } from './api-keys';

export const DEFAULT_WORKSPACE_SLUG = 'default';

const isDuplicate = (error: unknown) => (error as { code?: number })?.code === 11000;

/** The `default` workspace, created if missing (a concurrent creator may win; then we read theirs). */
async function ensureDefaultWorkspace(): Promise<{ id: string; created: boolean }> {
  const existing = await WorkspaceModel.findOne({ slug: DEFAULT_WORKSPACE_SLUG }).lean();
  if (existing) return { id: existing._id, created: false };
  try {
    const id = ulid();
    await WorkspaceModel.create({ _id: id, slug: DEFAULT_WORKSPACE_SLUG, name: 'Default' });
    return { id, created: true };
  } catch (error) {
    if (!isDuplicate(error)) throw error;
    const winner = await WorkspaceModel.findOne({ slug: DEFAULT_WORKSPACE_SLUG }).lean();
    return { id: winner!._id, created: false };
  }
}

export interface BootstrapResult {
  workspaceId: string;
  /** Set only on a first start without BOOTSTRAP_API_KEY: shown once, never stored in the clear. */
  printedOnce?: { email: string; password: string; apiKey: string };
}

/** Keys we make are far longer; a bootstrap key shorter than this is easy to guess. */
const STRONG_KEY_LENGTH = 16;

/**
 * With BOOTSTRAP_API_KEY: the default workspace exists and that exact key is valid with every scope
 * (idempotent across restarts). Without it, on an empty database: creates the default workspace, an
 * owner account and an API key, and returns them to be printed once.
 */
export async function bootstrap(bootstrapApiKey: string | undefined, logger: Logger): Promise<BootstrapResult> {
  const workspace = await ensureDefaultWorkspace();
  if (bootstrapApiKey) {
    if (bootstrapApiKey.length < STRONG_KEY_LENGTH)
      logger.warn(
        { length: bootstrapApiKey.length },
        `BOOTSTRAP_API_KEY is shorter than ${STRONG_KEY_LENGTH} characters: anyone who guesses it acts in the default workspace with every scope`,
      );
    const hash = hashApiKey(bootstrapApiKey);
    const existing = await ApiKeyModel.findOne({ hash }).lean();
    if (!existing) {
      await createApiKey({
        workspaceId: workspace.id,
        name: 'bootstrap',
        key: bootstrapApiKey,
        scopes: API_KEY_SCOPES,
      }).catch((error: unknown) => {
        if (!isDuplicate(error)) throw error;
      });
    } else if (
      existing.workspaceId !== workspace.id ||
      existing.revokedAt ||
      existing.scopes.length < API_KEY_SCOPES.length
    ) {
      await ApiKeyModel.updateOne(
        { _id: existing._id },
        { $set: { workspaceId: workspace.id, revokedAt: null, scopes: [...API_KEY_SCOPES] } },
      );
    }
    logger.info({ workspace: DEFAULT_WORKSPACE_SLUG }, 'bootstrap API key is valid for the default workspace');
    return { workspaceId: workspace.id };
  }
  if (!workspace.created) return { workspaceId: workspace.id };

  const email = 'owner@flightdeck.local';
  const password = randomBytes(12).toString('base64url');
  const userId = ulid();
  await UserModel.create({ _id: userId, email, name: 'Owner', passwordHash: await hashPassword(password) });
  await MembershipModel.create({ _id: ulid(), workspaceId: workspace.id, userId, role: 'owner' });
  const apiKey = generateApiKey();
  await createApiKey({ workspaceId: workspace.id, name: 'first key', key: apiKey, scopes: API_KEY_SCOPES });
  return { workspaceId: workspace.id, printedOnce: { email, password, apiKey } };
}
