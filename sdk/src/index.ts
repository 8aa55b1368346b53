export { defineJobType, registrationOf } from './job-type';
export type { AnyJobTypeDefinition, JobContext, JobTypeDefinition, PayloadOf, ResultOf } from './job-type';
export { FlightdeckClient } from './client';
export type { FlightdeckClientOptions, SubmitOptions, TypedJob, WaitOptions } from './client';
export { RealtimeConnection, Subscription } from './realtime';
export type { SubscriptionHandlers, Topic } from './realtime';
export { FlightdeckError, WaitTimeoutError } from './errors';
export { SDK_VERSION } from './version';
export type { Job, JobStatus, JobTypeInfo, StreamEvent } from '@flightdeck/contract';
