import type { JobTypeDefinition } from './job-type';
import demoCpu from './handlers/demo.cpu';
import demoSleep from './handlers/demo.sleep';
import httpRequest from './handlers/http.request';
import imageTransform from './handlers/image.transform';

/** Every job type this deployment runs. Listed explicitly: no directory scanning, no names from classes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition has its own payload type
export type AnyJobType = JobTypeDefinition<any, unknown>;
const definitions: AnyJobType[] = [demoSleep, demoCpu, httpRequest, imageTransform];

export const JOB_TYPES: ReadonlyMap<string, AnyJobType> = new Map(
  definitions.map((definition) => [definition.type, definition]),
);

export function findJobType(type: string): AnyJobType | undefined {
  return JOB_TYPES.get(type);
}
