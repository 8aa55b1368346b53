import { LitElement, html, nothing, type CSSResultGroup } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiError, type JobsApi } from '../../api/api-client';
import { FormSubmitController } from '../../controllers/form-submit-controller';
import { jobSubmittedEvent } from '../../events/fd-job-submitted';
import { themeStyles } from '../../styles/theme.styles';
import { shortId } from '../fd-jobs-table/job-format';
import { DEMO_SLEEP_LIMITS, fieldOfIssue, validateDemoSleep, type DemoSleepField } from './demo-sleep-input';
import styles from './fd-submit-form.styles';

/**
 * Submits a `demo.sleep` job: how long it sleeps, in how many progress steps, and whether it fails
 * at the end. Checks the fields before sending, and shows the API's own message when it refuses.
 *
 * @event fd-job-submitted - The API accepted a job; `detail.job` is the job. Bubbles and composes.
 * @csspart form - The form.
 */
@customElement('fd-submit-form')
export class FdSubmitForm extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, styles];

  /** Where jobs are submitted. Without it the form says it is not connected. */
  @property({ attribute: false }) api: JobsApi | undefined;

  @state() private errors: Partial<Record<DemoSleepField, string>> = {};
  @state() private submitted = '';
  /** Submitting, and the API's (or the network's) answer when a submit failed. */
  private readonly submit = new FormSubmitController(this);

  @query('#ms') private msInput!: HTMLInputElement;
  @query('#steps') private stepsInput!: HTMLInputElement;
  @query('#fail') private failInput!: HTMLInputElement;

  override render() {
    return html`
      <form part="form" class="form" novalidate @submit=${this.onSubmit} aria-describedby="form-note">
        <p id="form-note" class="note">
          A <code>demo.sleep</code> job sleeps, reports progress after each step, then completes.
        </p>
        <div class="fields">
          ${this.renderNumberField('ms', 'Duration (ms)', '3000', DEMO_SLEEP_LIMITS.ms, '100')}
          ${this.renderNumberField('steps', 'Steps', '5', DEMO_SLEEP_LIMITS.steps, '1')}
        </div>
        <label class="check">
          <input id="fail" name="fail" type="checkbox" />
          <span>Fail at the end</span>
        </label>
        <button
          class="submit"
          type="submit"
          ?disabled=${this.submit.submitting}
          aria-disabled=${this.submit.submitting}
        >
          ${this.submit.submitting ? 'Submitting…' : 'Submit job'}
        </button>
        <div class="outcome">
          ${
            this.submit.failure
              ? html`<p class="failure" role="alert">${this.submit.failure}</p>`
              : html`<p class="success" role="status">${this.submitted}</p>`
          }
        </div>
      </form>
    `;
  }

  private renderNumberField(
    name: DemoSleepField,
    label: string,
    value: string,
    limits: { min: number; max: number },
    step: string,
  ) {
    const error = this.errors[name];
    const hintId = `${name}-hint`;
    const errorId = `${name}-error`;
    return html`
      <div class="field">
        <label for=${name}>${label}</label>
        <input
          id=${name}
          name=${name}
          type="number"
          inputmode="numeric"
          min=${limits.min}
          max=${limits.max}
          step=${step}
          value=${value}
          required
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${error ? `${errorId} ${hintId}` : hintId}
          @input=${() => this.clearError(name)}
        />
        <span id=${hintId} class="hint">${limits.min.toLocaleString('en')}–${limits.max.toLocaleString('en')}</span>
        ${error ? html`<span id=${errorId} class="error">${error}</span>` : nothing}
      </div>
    `;
  }

  private clearError(name: DemoSleepField): void {
    if (!this.errors[name]) return;
    const { [name]: _cleared, ...rest } = this.errors;
    this.errors = rest;
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.submit.submitting) return;
    this.submit.clear();
    this.submitted = '';
    const checked = validateDemoSleep({
      ms: this.msInput.value,
      steps: this.stepsInput.value,
      fail: this.failInput.checked,
    });
    if (!checked.ok) {
      this.errors = checked.errors;
      await this.updateComplete;
      this.focusFirstError();
      return;
    }
    this.errors = {};
    await this.submit.runWith(
      this.api,
      'Not connected: enter an API key first.',
      async (api) => {
        const job = await api.submitJob({ type: 'demo.sleep', payload: { ...checked.payload } });
        this.submitted = `Submitted job ${shortId(job.id)}.`;
        this.dispatchEvent(jobSubmittedEvent(job));
      },
      (error) => this.failureOf(error),
    );
  }

  /** What the form says of a failed submit; marks the fields the API named. */
  private failureOf(error: unknown): string {
    if (error instanceof ApiError) {
      const errors: Partial<Record<DemoSleepField, string>> = {};
      for (const issue of error.issues) {
        const field = fieldOfIssue(issue.path);
        if (field) errors[field] ??= issue.message;
      }
      this.errors = errors;
      return `The job was not accepted: ${error.message}`;
    }
    return `The job was not submitted: ${error instanceof Error ? error.message : String(error)}`;
  }

  private focusFirstError(): void {
    const first = this.errors.ms ? this.msInput : this.errors.steps ? this.stepsInput : undefined;
    first?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-submit-form': FdSubmitForm;
  }
}
