import { z } from 'zod';
import { resourceIdSchema } from './path-params';

/** The id the document shows as an example (ids are ULIDs). */
const EXAMPLE_ID = '01JF0000000000000000000000';

/** Path parameters naming one resource by its id, with an example: `idParams('id', 'Job id')`. */
export const idParams = <Name extends string>(
  name: Name,
  description: string,
  idSchema: z.ZodString = resourceIdSchema,
) => z.object({ [name]: idSchema.meta({ description, example: EXAMPLE_ID }) } as Record<Name, z.ZodString>);

/** `/v1/jobs/{id}/…`: the job the path names. */
export const jobIdParams = idParams('id', 'Job id');
