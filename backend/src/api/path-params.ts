import { z } from 'zod';

/**
 * The path parameters' schemas, shared by the routes that validate them and the OpenAPI document
 * that states them. A value outside them is `422 validation_failed` (see `withPathParameterErrors`).
 */
export const resourceIdSchema = z.string().min(1).max(64);
export const queueNameSchema = z.string().min(1).max(100);
