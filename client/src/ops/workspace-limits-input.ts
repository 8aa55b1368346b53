import { FAIR_SHARE_LIMITS, type SetWorkspaceLimits } from '@flightdeck/contract';
import { formatCount, formatPercent } from './ops-format';

/** The fields of the limits form, as the API names them. */
export const LIMIT_FIELDS = ['maxRunning', 'maxPending', 'weight'] as const;
export type LimitField = (typeof LIMIT_FIELDS)[number];

/**
 * Reads the limits form: an empty field is the deployment's default (`null`); anything else must be
 * a whole number in the limit's range. Says what is wrong per field, in the words the form shows.
 */
export function parseLimitsInput(values: Record<LimitField, string>): {
  limits: Required<SetWorkspaceLimits>;
  errors: Partial<Record<LimitField, string>>;
} {
  const errors: Partial<Record<LimitField, string>> = {};
  const read = (field: LimitField, min: number, max: number): number | null => {
    const text = values[field].trim();
    if (text === '') return null;
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      errors[field] =
        `Enter a whole number from ${formatCount(min)} to ${formatCount(max)}, or leave it empty for the default.`;
      return null;
    }
    return value;
  };
  const { minCap, maxCap, minWeight, maxWeight } = FAIR_SHARE_LIMITS;
  const limits = {
    maxRunning: read('maxRunning', minCap, maxCap),
    maxPending: read('maxPending', minCap, maxCap),
    weight: read('weight', minWeight, maxWeight),
  };
  return { limits, errors };
}

/** A limit as a table shows it: the one set, or the default ("no limit" when there is none). */
export function limitText(set: number | null, effective: number | null): { text: string; isDefault: boolean } {
  const value = set ?? effective;
  return { text: value === null ? 'No limit' : formatCount(value), isDefault: set === null };
}

/** "42 %" of the jobs started in the window, or "—" when none started. */
export function shareText(share: number | null): string {
  return share === null ? '—' : formatPercent(share * 100);
}
