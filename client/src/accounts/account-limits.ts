/**
 * The limits of the accounts API that the console states and checks: the contract's
 * `ACCOUNT_LIMITS`, repeated here because the contract keeps them in the module of its zod schemas,
 * and importing anything from that module puts all of zod (≈160 kB) into the console's bundle.
 * account-limits.test.ts fails the moment the two differ.
 */
export const CONSOLE_ACCOUNT_LIMITS = {
  minPasswordLength: 10,
  maxPasswordLength: 256,
  maxNameLength: 100,
  maxEmailLength: 254,
  maxApiKeyNameLength: 100,
} as const;
