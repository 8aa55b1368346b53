/**
 * The `demo.sleep` payload as the contract states it (CONTRACT.md, "Built-in job type"): `ms` a
 * whole number 0–600000, `steps` 1–100. Checked here so people get field-level messages before a
 * round trip; the API checks again.
 */
export const DEMO_SLEEP_LIMITS = {
  ms: { min: 0, max: 600_000 },
  steps: { min: 1, max: 100 },
} as const;

export interface DemoSleepFields {
  /** As typed: text from the inputs. */
  ms: string;
  steps: string;
  fail: boolean;
}

export interface DemoSleepPayload {
  ms: number;
  steps: number;
  fail: boolean;
}

export type DemoSleepField = 'ms' | 'steps';

export type DemoSleepValidation =
  { ok: true; payload: DemoSleepPayload } | { ok: false; errors: Partial<Record<DemoSleepField, string>> };

/** The payload the fields describe, or a message for each field that is wrong. */
export function validateDemoSleep(fields: DemoSleepFields): DemoSleepValidation {
  const errors: Partial<Record<DemoSleepField, string>> = {};
  const ms = wholeNumber(fields.ms, 'Duration', DEMO_SLEEP_LIMITS.ms, (message) => (errors.ms = message));
  const steps = wholeNumber(fields.steps, 'Steps', DEMO_SLEEP_LIMITS.steps, (message) => (errors.steps = message));
  if (ms === undefined || steps === undefined) return { ok: false, errors };
  return { ok: true, payload: { ms, steps, fail: fields.fail } };
}

/** Which field an API validation issue is about (`payload.ms` → `ms`), if it is one of the form's. */
export function fieldOfIssue(path: string): DemoSleepField | undefined {
  const name = path.replace(/^payload\./, '');
  return name === 'ms' || name === 'steps' ? name : undefined;
}

function wholeNumber(
  text: string,
  label: string,
  { min, max }: { min: number; max: number },
  fail: (message: string) => void,
): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') {
    fail(`${label} is required.`);
    return undefined;
  }
  const value = Number(trimmed);
  if (!/^[+-]?\d+$/.test(trimmed) || !Number.isSafeInteger(value)) {
    fail(`${label} must be a whole number.`);
    return undefined;
  }
  if (value < min || value > max) {
    fail(`${label} must be between ${min.toLocaleString('en')} and ${max.toLocaleString('en')}.`);
    return undefined;
  }
  return value;
}
