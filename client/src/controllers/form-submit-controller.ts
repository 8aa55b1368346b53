import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * A form's submission, as Shoelace's FormControlController shares form behaviour: one submission at
 * a time (`submitting`, for the button's "Saving…"), and what the last one failed with (`failure`,
 * for the form's alert). The host renders both; this holds when they change.
 */
export class FormSubmitController implements ReactiveController {
  /** A submission is under way: the submit button is disabled. */
  submitting = false;
  /** Why the last submission failed, for the whole form (field errors are the host's). */
  failure = '';

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /**
   * Runs `submit` unless a submission is under way: `failure` is cleared first, `submitting` holds
   * until it settles. `submit` reports a failure by {@link fail}, or by throwing (handled by `onError`,
   * which says what the form shows: `failure` gets what it returns). Returns whether it ran.
   */
  async run(submit: () => Promise<void>, onError?: (error: unknown) => Promise<string> | string): Promise<boolean> {
    if (this.submitting) return false;
    this.failure = '';
    this.submitting = true;
    this.host.requestUpdate();
    try {
      await submit();
    } catch (error) {
      if (!onError) throw error;
      this.failure = await onError(error);
    } finally {
      this.submitting = false;
      this.host.requestUpdate();
    }
    return true;
  }

  /**
   * {@link run} with what the submission needs (the API, say) handed to `submit`; without it, nothing
   * runs and the form shows `missing` instead. Returns whether it ran.
   */
  async runWith<Needed>(
    needed: Needed | null | undefined,
    missing: string,
    submit: (needed: Needed) => Promise<void>,
    onError?: (error: unknown) => Promise<string> | string,
  ): Promise<boolean> {
    if (needed === null || needed === undefined) {
      this.fail(missing);
      return false;
    }
    return this.run(() => submit(needed), onError);
  }

  /** Shows a failure for the whole form. */
  fail(message: string): void {
    this.failure = message;
    this.host.requestUpdate();
  }

  /** Clears the failure (the person changed the form, say). */
  clear(): void {
    if (!this.failure) return;
    this.failure = '';
    this.host.requestUpdate();
  }
}
