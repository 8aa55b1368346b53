import type { JobTypeDefinition } from './job-type';
import demoSleep from './handlers/demo.sleep';

/** Every job type this deployment runs. Listed explicitly: no directory scanning, no names from classes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition has its own payload type
type AnyJobType = JobTypeDefinition<any, unknown>;
const definitions: AnyJobType[] = [demoSleep];

export const JOB_TYPES: ReadonlyMap<string, AnyJobType> = new Map(
  definitions.map((definition) => [definition.type, definition]),
);

export function findJobType(type: string): AnyJobType | undefined {
  return JOB_TYPES.get(type);
}
