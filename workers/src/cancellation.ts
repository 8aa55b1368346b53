import type { ActivityRef, Actor } from '@flightdeck/contract';

/** What the API publishes on the cancellations channel: the job to stop, who asked, and the activity entry it records. */
export interface CancellationRequest {
  jobId: string;
  actor?: Actor;
  activity?: ActivityRef;
}

export const encodeCancellation = (request: CancellationRequest): string => JSON.stringify(request);

/** The request in a message; a bare job id (what older API processes publish) is read as one. */
export function decodeCancellation(message: string): CancellationRequest | null {
  if (!message.startsWith('{')) return message ? { jobId: message } : null;
  try {
    const parsed = JSON.parse(message) as Partial<CancellationRequest>;
    return typeof parsed.jobId === 'string'
      ? {
          jobId: parsed.jobId,
          ...(parsed.actor ? { actor: parsed.actor } : {}),
          ...(parsed.activity ? { activity: parsed.activity } : {}),
        }
      : null;
  } catch {
    return null;
  }
}
