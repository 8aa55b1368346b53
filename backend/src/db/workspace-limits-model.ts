import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * The fair-share limits an operator set for a workspace (`_id` is the workspace's id); a field left
 * `null` is the deployment's default. One document per workspace, written only by
 * `PUT /v1/workspaces/{id}/limits`, and mirrored into Redis for the dispatcher (see
 * fair-share/workspace-limits.ts).
 */
const workspaceLimitsSchema = new Schema(
  {
    _id: { type: String, required: true },
    maxRunning: { type: Number, default: null },
    maxPending: { type: Number, default: null },
    weight: { type: Number, default: null },
    /** Bumped by every change: the Redis mirror keeps it, so an older copy never replaces a newer one. */
    version: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false },
);
export const WorkspaceLimitsModel = model('WorkspaceLimits', workspaceLimitsSchema, 'workspace_limits');
export type WorkspaceLimitsDoc = InferSchemaType<typeof workspaceLimitsSchema>;
