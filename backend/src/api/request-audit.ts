import type { Request } from 'express';
import type { AuditAction } from '@flightdeck/contract';
import type { AuditLog } from '../audit/audit-log';
import { auditContextOf, workspaceOf } from './authenticate';

/** Records what the request did in the audit log of the workspace it acts in: who, from where, what. */
export const recordAudit = (
  audit: AuditLog,
  req: Request,
  action: AuditAction,
  target: { type: string; id: string },
  details?: Record<string, unknown>,
): Promise<void> => audit.record(workspaceOf(req), auditContextOf(req), action, target, details);
