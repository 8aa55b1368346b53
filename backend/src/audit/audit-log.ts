import { ulid } from 'ulid';
import {
  ACCOUNT_LIMITS,
  type Actor,
  type AuditAction,
  type AuditEntry,
  type ListAuditQuery,
} from '@flightdeck/contract';
import { pageById } from '../db/keyset-pages';
import { AuditEntryModel, type AuditEntryDoc } from '../db/models';

/** Who acts and from where: the request's identity, address and user agent. */
export interface AuditContext {
  actor: Actor;
  ip: string | null;
  userAgent: string | null;
}

/** The workspace's audit log: consequential actions with who, what, when and from where. */
export class AuditLog {
  async record(
    workspaceId: string,
    context: AuditContext,
    action: AuditAction,
    target: { type: string; id: string },
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await AuditEntryModel.create({
      _id: ulid(),
      workspaceId,
      action,
      actor: context.actor,
      target,
      details,
      ip: context.ip,
      userAgent: context.userAgent?.slice(0, 300) ?? null,
      at: new Date(),
    });
  }

  /** Newest first; the cursor is the id of the last entry of the previous page. */
  list(workspaceId: string, query: ListAuditQuery): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    const filter: Record<string, unknown> = { workspaceId };
    if (query.action) filter.action = query.action;
    return pageById(
      AuditEntryModel as never,
      filter,
      { order: 'newest', limit: query.limit ?? ACCOUNT_LIMITS.defaultAuditListLimit, cursor: query.cursor },
      (record: AuditEntryDoc & { _id: string }) => ({
        id: record._id,
        action: record.action as AuditAction,
        actor: record.actor as Actor,
        target: record.target as { type: string; id: string },
        details: (record.details ?? {}) as Record<string, unknown>,
        ip: record.ip ?? null,
        userAgent: record.userAgent ?? null,
        at: record.at.toISOString(),
      }),
    );
  }
}
