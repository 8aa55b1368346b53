/** What Flightdeck stores in a BullMQ job's data: ids and the submitter's payload, nothing secret. */
export interface JobData {
  workspaceId: string;
  payload: Record<string, unknown>;
  timeoutMs?: number;
}
