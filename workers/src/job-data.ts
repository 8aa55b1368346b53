/** What Flightdeck stores in a BullMQ job's data: ids and the submitter's payload, nothing secret. */
export interface JobData {
  workspaceId: string;
  payload: Record<string, unknown>;
  timeoutMs?: number;
  /** Set on the runs of a schedule, which BullMQ's job scheduler creates (no `job.queued` from the API). */
  scheduleId?: string;
}
