import { ulid } from 'ulid';
import { WEBHOOK_ENDPOINT_EVENTS, type WebhookEndpoint } from '@flightdeck/contract';
import { LimitReachedError, NotFoundError } from '../domain-errors';
import { WebhookEndpointModel, type WebhookEndpointDoc } from '../db/models';
import type { WebhookDelivery } from './webhook-deliverer';

/** At most this many endpoints per workspace: each final event fans out to all of them. */
export const MAX_WEBHOOK_ENDPOINTS = 20;

const present = (record: WebhookEndpointDoc & { _id: string }): WebhookEndpoint => ({
  id: record._id,
  url: record.url,
  events: record.events as WebhookEndpoint['events'],
  createdAt: record.createdAt.toISOString(),
});

/** Workspace-wide webhook endpoints: managed here, fanned out to by the history projector. */
export class WebhookEndpoints {
  async list(workspaceId: string): Promise<WebhookEndpoint[]> {
    const records = await WebhookEndpointModel.find({ workspaceId }).sort({ _id: 1 }).lean();
    return records.map(present);
  }

  async create(
    workspaceId: string,
    input: { url: string; events?: WebhookEndpoint['events'] },
  ): Promise<WebhookEndpoint> {
    if ((await WebhookEndpointModel.countDocuments({ workspaceId })) >= MAX_WEBHOOK_ENDPOINTS) {
      throw new LimitReachedError(`a workspace has at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints`);
    }
    const record = {
      _id: ulid(),
      workspaceId,
      url: input.url,
      events: [...new Set(input.events ?? WEBHOOK_ENDPOINT_EVENTS)],
      createdAt: new Date(),
    };
    await WebhookEndpointModel.create(record);
    return present(record);
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    const { deletedCount } = await WebhookEndpointModel.deleteOne({ _id: id, workspaceId });
    if (deletedCount === 0) throw new NotFoundError(`webhook endpoint ${id} not found`);
  }
}

/**
 * The deliveries of final events to the endpoints of their workspaces (one query for the batch).
 * Their ids add the endpoint's, so a replayed batch queues none twice.
 */
export async function endpointDeliveries(finals: Omit<WebhookDelivery, 'url'>[]): Promise<WebhookDelivery[]> {
  if (finals.length === 0) return [];
  const workspaceIds = [...new Set(finals.map((final) => final.workspaceId))];
  const endpoints = await WebhookEndpointModel.find({ workspaceId: { $in: workspaceIds } }).lean();
  if (endpoints.length === 0) return [];
  return finals.flatMap((final) =>
    endpoints
      .filter((endpoint) => endpoint.workspaceId === final.workspaceId && endpoint.events.includes(final.eventType))
      .map((endpoint) => ({ ...final, url: endpoint.url, deliveryId: `${final.deliveryId}:${endpoint._id}` })),
  );
}
