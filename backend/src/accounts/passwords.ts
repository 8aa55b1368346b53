import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { ACCOUNT_LIMITS } from '@flightdeck/contract';

/**
 * Passwords are hashed with argon2id at m=19 MiB, t=2, p=1 (the OWASP minimum, and the library's
 * defaults), salted per hash; the parameters travel inside the hash string, so raising them later
 * keeps old hashes verifiable.
 */
const ARGON2ID: Algorithm.Argon2id = 2;
export const hashPassword = (password: string): Promise<string> =>
  hash(password, { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 });

export const verifyPassword = (passwordHash: string, password: string): Promise<boolean> =>
  verify(passwordHash, password).catch(() => false);

/** Spent on unknown emails, so a failed login takes as long whether or not the account exists. */
let decoyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  await verifyPassword(await (decoyHash ??= hashPassword('flightdeck-decoy-password')), password);
}

const COMMON_PASSWORDS = new Set([
  'password',
  'password1',
  'password12',
  'password123',
  'password1234',
  'passw0rd',
  'qwerty',
  'qwertyuiop',
  'qwerty123',
  '1234567890',
  '123456789',
  '12345678',
  '0123456789',
  '1q2w3e4r5t',
  'iloveyou',
  'letmein',
  'letmein123',
  'welcome',
  'welcome123',
  'admin',
  'admin123',
  'administrator',
  'changeme',
  'changeme123',
  'flightdeck',
  'flightdeck1',
  'flightdeck123',
]);

/**
 * Why a password is too weak, or null when it is acceptable: long enough (length matters most), not
 * a well-known password, not the account's own email or name, not one character or a short run repeated.
 */
export function passwordProblem(password: string, account: { email: string; name?: string }): string | null {
  const min = ACCOUNT_LIMITS.minPasswordLength;
  if ([...password].length < min) return `the password must be at least ${min} characters long`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'this password is one of the most common ones; choose another';
  const email = account.email.toLowerCase();
  if (lower === email || lower === email.split('@')[0] || (account.name && lower === account.name.toLowerCase()))
    return 'the password must not be your email address or name';
  if (/^(.{1,3})\1+$/su.test(password)) return 'the password must not be a few characters repeated';
  return null;
}
