import { randomBytes } from 'node:crypto';
import type { WebhookAttempt } from '@flightdeck/contract';
import { NotFoundError } from '../domain-errors';
import { WebhookDeliveryModel, WorkspaceModel } from '../db/models';
import type { JobReader } from '../jobs/job-reader';

const newSecret = () => randomBytes(32).toString('base64url');

/**
 * The workspace's webhook secret, created on first need. Two callers racing to create it both end
 * with the one that was stored: the update only applies while the field is still unset.
 */
export async function webhookSecret(workspaceId: string): Promise<string> {
  const existing = await WorkspaceModel.findById(workspaceId, { webhookSecret: 1 }).lean();
  if (!existing) throw new NotFoundError(`workspace ${workspaceId} not found`);
  if (existing.webhookSecret) return existing.webhookSecret;
  // `null` matches a missing field too.
  await WorkspaceModel.updateOne({ _id: workspaceId, webhookSecret: null }, { $set: { webhookSecret: newSecret() } });
  const stored = await WorkspaceModel.findById(workspaceId, { webhookSecret: 1 }).lean();
  if (!stored?.webhookSecret) throw new NotFoundError(`workspace ${workspaceId} not found`);
  return stored.webhookSecret;
}

/** Webhook secrets and delivery logs of a workspace, without HTTP. */
export class WebhookService {
  constructor(private readonly reader: JobReader) {}

  secret(workspaceId: string): Promise<string> {
    return webhookSecret(workspaceId);
  }

  /** Replaces the secret; deliveries signed from now on use the new one. */
  async rotate(workspaceId: string): Promise<string> {
    const secret = newSecret();
    const { matchedCount } = await WorkspaceModel.updateOne({ _id: workspaceId }, { $set: { webhookSecret: secret } });
    if (matchedCount === 0) throw new NotFoundError(`workspace ${workspaceId} not found`);
    return secret;
  }

  /** Every delivery attempt of a job of this workspace, oldest first. */
  async attempts(workspaceId: string, jobId: string): Promise<{ items: WebhookAttempt[] }> {
    if (!(await this.reader.find(workspaceId, jobId))) throw new NotFoundError(`job ${jobId} not found`);
    const records = await WebhookDeliveryModel.find({ workspaceId, jobId }).sort({ at: 1, _id: 1 }).lean<
      {
        deliveryId: string;
        eventType: WebhookAttempt['eventType'];
        url: string;
        attempt: number;
        status: number | null;
        ok: boolean;
        error: string | null;
        at: Date;
      }[]
    >();
    return {
      items: records.map((record) => ({
        deliveryId: record.deliveryId,
        eventType: record.eventType,
        url: record.url,
        attempt: record.attempt,
        status: record.status ?? null,
        ok: record.ok,
        error: record.error ?? null,
        at: record.at.toISOString(),
      })),
    };
  }
}
