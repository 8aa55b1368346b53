import type { Job } from '@flightdeck/contract';

export interface FdJobSubmittedDetail {
  /** The job as the API accepted it. */
  job: Job;
}

/** Fired by `fd-submit-form` when the API accepted a job. Bubbles and crosses shadow roots. */
export type FdJobSubmittedEvent = CustomEvent<FdJobSubmittedDetail>;

export const FD_JOB_SUBMITTED = 'fd-job-submitted';

export function jobSubmittedEvent(job: Job): FdJobSubmittedEvent {
  return new CustomEvent(FD_JOB_SUBMITTED, { detail: { job }, bubbles: true, composed: true });
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fd-job-submitted': FdJobSubmittedEvent;
  }
}
