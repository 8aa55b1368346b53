import type { Job, JobTypeInfo, SubmitJob } from '@flightdeck/contract';
import { LitElement, html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError } from '../../api/api-client';
import { messageOf } from '../../accounts/form-errors';
import { can, type WorkspaceAccess } from '../../accounts/workspace-access';
import { FormSubmitController } from '../../controllers/form-submit-controller';
import { ListResourceController } from '../../controllers/list-resource-controller';
import { fieldsOf, payloadOf, type FieldValues, type SchemaField } from '../../job-types/schema-form';
import { routePath } from '../../routing/console-routes';
import { controlStyles } from '../../styles/controls.styles';
import { settingsPageStyles } from '../../styles/settings-page.styles';
import { themeStyles } from '../../styles/theme.styles';
import styles from './fd-job-types-page.styles';

/** What the page needs of the API: the types, and submitting a job of one. */
export interface JobTypesApi {
  listJobTypes(): Promise<JobTypeInfo[]>;
  submitJob(input: SubmitJob): Promise<Job>;
}

/**
 * The workspace's job types: the built-in ones and those its own workers registered, each with its
 * queue, version, the workers serving it now and the JSON Schema of its payload, and a submit form
 * made from that schema (the API checks the payload against it and names the field at fault).
 *
 * @attr workspace - The workspace's slug, for links to submitted jobs.
 */
@customElement('fd-job-types-page')
export class FdJobTypesPage extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, controlStyles, settingsPageStyles, styles];

  /** Setting it (re)loads the types. */
  @property({ attribute: false }) api: JobTypesApi | undefined;
  @property({ attribute: false }) access: WorkspaceAccess | null = null;
  @property() workspace = '';

  @state() private selected = '';
  @state() private values: FieldValues = {};
  @state() private errors: Record<string, string> = {};
  @state() private submitted: Job | null = null;

  private readonly list = new ListResourceController<JobTypesApi, JobTypeInfo>(this, {
    read: (api) => api.listJobTypes(),
    failure: (message) => `The job types could not be loaded: ${message}`,
  });
  private readonly submit = new FormSubmitController(this);

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('api')) void this.list.load(this.api, this.access === null || can(this.access, 'jobs:read'));
  }

  /** The type shown: the one picked, else the first registered one, else the first. */
  private get current(): JobTypeInfo | undefined {
    const types = this.list.items ?? [];
    return (
      types.find((type) => type.name === this.selected) ??
      types.find((type) => type.source === 'registered') ??
      types[0]
    );
  }

  override render() {
    const types = this.list.items;
    return html`
      <section class="section" aria-labelledby="types-heading">
        <div class="section__head">
          <h2 id="types-heading" tabindex="-1">Job types</h2>
          <p class="section__intro">
            The types this workspace can submit: Flightdeck's built-in ones and your own, registered by your workers
            with the SDK.
          </p>
        </div>
        ${this.list.error ? html`<p class="alert" role="alert">${this.list.error}</p>` : nothing}
        ${types === null ? (this.list.error ? nothing : html`<p class="empty" role="status">Loading…</p>`) : this.renderTypes(types)}
      </section>
    `;
  }

  private renderTypes(types: JobTypeInfo[]) {
    const current = this.current;
    return html`
      <div class="types">
        <ul class="type-list" aria-label="Job types">
          ${types.map(
            (type) => html`
              <li>
                <button
                  type="button"
                  class="type-button"
                  aria-current=${type === current ? 'true' : 'false'}
                  @click=${() => this.pick(type.name)}
                >
                  <span class="type-name">${type.name}</span>
                  <span class="muted"
                    >${type.source === 'built-in' ? 'built-in' : `yours, version ${type.version}`} ·
                    ${workersText(type)}</span
                  >
                </button>
              </li>
            `,
          )}
        </ul>
        ${current ? this.renderType(current) : html`<p class="empty">No job types.</p>`}
      </div>
    `;
  }

  private renderType(type: JobTypeInfo) {
    const fields = fieldsOf(type.payloadSchema);
    const canSubmit = this.access === null || can(this.access, 'jobs:write');
    return html`
      <article class="panel" aria-labelledby="type-heading">
        <h3 id="type-heading" class="panel__heading">${type.name}</h3>
        <dl class="facts">
          <dt>Source</dt>
          <dd>${type.source === 'built-in' ? 'Built in' : 'Registered by this workspace’s workers'}</dd>
          <dt>Queue</dt>
          <dd><code>${type.queue}</code></dd>
          <dt>Version</dt>
          <dd>
            ${type.version}${type.registeredAt ? ` (registered ${new Date(type.registeredAt).toLocaleString()})` : ''}
          </dd>
          <dt>Workers</dt>
          <dd>${workersText(type)}</dd>
          <dt>Defaults</dt>
          <dd>${defaultsText(type)}</dd>
        </dl>
        ${this.renderWorkers(type)}
        <details>
          <summary>Payload schema</summary>
          <pre class="schema">${JSON.stringify(type.payloadSchema, null, 2)}</pre>
        </details>
        ${canSubmit ? this.renderForm(type, fields) : nothing}
      </article>
    `;
  }

  /** The workspace's own workers serving a registered type: SDK version, jobs in flight, last seen. */
  private renderWorkers(type: JobTypeInfo) {
    const instances = type.workers.instances ?? [];
    if (instances.length === 0) return nothing;
    return html`
      <table class="table" aria-label="Workers serving ${type.name}">
        <thead>
          <tr>
            <th scope="col">Worker</th>
            <th scope="col">SDK</th>
            <th scope="col">Running</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          ${instances.map(
            (worker) => html`
              <tr>
                <th scope="row"><code>${worker.id}</code></th>
                <td>${worker.sdkVersion}</td>
                <td>${worker.inFlight} of ${worker.concurrency}</td>
                <td><time datetime=${worker.lastSeen}>${new Date(worker.lastSeen).toLocaleTimeString()}</time></td>
              </tr>
            `,
          )}
        </tbody>
      </table>
    `;
  }

  private renderForm(type: JobTypeInfo, fields: SchemaField[]) {
    return html`
      <form
        class="submit-form"
        novalidate
        aria-labelledby="submit-heading"
        @submit=${(event: Event) => this.onSubmit(event, type, fields)}
      >
        <h4 id="submit-heading">Submit a job</h4>
        ${this.submit.failure ? html`<p class="alert" role="alert">${this.submit.failure}</p>` : nothing}
        ${fields.map((field) => this.renderField(field))}
        <div>
          <button class="button button--primary" type="submit" ?disabled=${this.submit.submitting}>
            Submit ${type.name}
          </button>
        </div>
        <p role="status">
          ${
            this.submitted
              ? html`Submitted
                  <a href=${routePath({ page: 'job', workspace: this.workspace, jobId: this.submitted.id })}
                    >${this.submitted.id}</a
                  >.`
              : nothing
          }
        </p>
      </form>
    `;
  }

  private renderField(field: SchemaField) {
    const id = `field-${field.name || 'payload'}`;
    const label = field.name || 'Payload (JSON)';
    const value = this.values[field.name] ?? field.initial;
    const error = this.errors[field.name];
    const describedBy = error ? `${id}-error` : nothing;
    const onInput = (event: Event) => {
      const target = event.target as HTMLInputElement;
      this.values = {
        ...this.values,
        [field.name]: target.type === 'checkbox' ? (target.checked ? 'true' : '') : target.value,
      };
    };
    if (field.kind === 'boolean') {
      return html`<label class="check"
        ><input id=${id} type="checkbox" .checked=${value === 'true'} @change=${onInput} /> ${label}</label
      >`;
    }
    const control =
      field.kind === 'choice'
        ? html`<select
            id=${id}
            class="input"
            .value=${value}
            @change=${onInput}
            aria-invalid=${error ? 'true' : 'false'}
            aria-describedby=${describedBy}
          >
            <option value="">—</option>
            ${field.options?.map((option) => html`<option value=${option} ?selected=${option === value}>${option}</option>`)}
          </select>`
        : field.kind === 'json'
          ? html`<textarea
              id=${id}
              class="input"
              rows="3"
              .value=${value}
              @input=${onInput}
              aria-invalid=${error ? 'true' : 'false'}
              aria-describedby=${describedBy}
            ></textarea>`
          : html`<input
              id=${id}
              class="input"
              inputmode=${field.kind === 'string' ? 'text' : 'decimal'}
              .value=${value}
              @input=${onInput}
              aria-invalid=${error ? 'true' : 'false'}
              aria-describedby=${describedBy}
            />`;
    return html`
      <div class="field">
        <label for=${id}>${label}${field.required ? ' (required)' : ''}</label>
        ${control} ${field.description ? html`<p class="hint">${field.description}</p>` : nothing}
        ${error ? html`<p id="${id}-error" class="field-error">${error}</p>` : nothing}
      </div>
    `;
  }

  private pick(name: string): void {
    this.selected = name;
    this.values = {};
    this.errors = {};
    this.submitted = null;
  }

  private async onSubmit(event: Event, type: JobTypeInfo, fields: SchemaField[]): Promise<void> {
    event.preventDefault();
    const api = this.api;
    if (!api) return;
    const values = Object.fromEntries(fields.map((field) => [field.name, this.values[field.name] ?? field.initial]));
    const built = payloadOf(fields, values);
    if ('errors' in built) {
      this.errors = built.errors;
      return;
    }
    this.errors = {};
    this.submitted = null;
    await this.submit.run(
      async () => {
        this.submitted = await api.submitJob({ type: type.name, payload: built.payload });
      },
      (error) => {
        // The API names the field at fault (`payload.title`): show it beside that field.
        if (error instanceof ApiError && error.issues?.length) {
          this.errors = Object.fromEntries(
            error.issues.map((issue) => [issue.path.replace(/^payload\.?/, '').split('.')[0] ?? '', issue.message]),
          );
        }
        return `Not submitted: ${messageOf(error)}`;
      },
    );
  }
}

function workersText(type: JobTypeInfo): string {
  const { count, concurrency } = type.workers;
  if (count === 0) return 'no worker connected';
  return `${count} worker${count === 1 ? '' : 's'}, ${concurrency} at once`;
}

function defaultsText(type: JobTypeInfo): string {
  const { attempts, backoff, timeoutMs } = type.defaults;
  const parts = [
    attempts ? `${attempts} attempts` : '',
    backoff ? `${backoff.type} backoff ${backoff.delayMs} ms` : '',
    timeoutMs ? `timeout ${timeoutMs} ms` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-job-types-page': FdJobTypesPage;
  }
}
