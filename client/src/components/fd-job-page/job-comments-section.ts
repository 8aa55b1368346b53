import { COLLABORATION_LIMITS } from '@flightdeck/contract';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { messageOf } from '../../accounts/form-errors';
import type { JobDetailsApi } from '../../api/api-client';
import { FormSubmitController } from '../../controllers/form-submit-controller';
import { typingText, type Person } from '../../realtime/presence';
import { actorName } from './job-activity';
import type { JobPageData } from './job-page-data';
import { sendShortcutLabel } from './job-page-format';
import { renderTime } from './job-time';

export interface JobCommentsContext {
  api(): JobDetailsApi | undefined;
  jobId(): string;
  /** Whether the person may write comments (members and above). */
  mayComment(): boolean;
  /** Who else is typing a comment on this job now. */
  typists(): readonly Person[];
  /** Tells the others that the person is typing. */
  typing(): void;
}

/**
 * The job page's comments: the list (oldest first), who is typing, and the composer (Ctrl/⌘+Enter
 * sends). Renders into the page's shadow root (its styles are the page's).
 */
export class JobCommentsSection implements ReactiveController {
  /** What is wrong with the comment being written (empty, too long, not posted). */
  private error = '';
  private readonly form: FormSubmitController;

  constructor(
    private readonly host: ReactiveControllerHost & { renderRoot: HTMLElement | DocumentFragment },
    private readonly data: JobPageData,
    private readonly context: JobCommentsContext,
  ) {
    host.addController(this);
    this.form = new FormSubmitController(host);
  }

  hostConnected(): void {}

  /** A new job: no error from the last one. */
  reset(): void {
    this.error = '';
  }

  private get field(): HTMLTextAreaElement | null {
    return this.host.renderRoot.querySelector<HTMLTextAreaElement>('#comment-body');
  }

  private setError(error: string): void {
    this.error = error;
    this.host.requestUpdate();
  }

  private async send(): Promise<void> {
    const field = this.field;
    const api = this.context.api();
    if (!api || !field || this.form.submitting) return;
    const body = field.value.trim();
    if (!body) {
      this.setError('Write something first.');
      field.focus();
      return;
    }
    if (body.length > COLLABORATION_LIMITS.maxCommentLength) {
      this.setError(`A comment can be at most ${COLLABORATION_LIMITS.maxCommentLength} characters.`);
      field.focus();
      return;
    }
    const generation = this.data.currentGeneration;
    this.setError('');
    await this.form.run(async () => {
      try {
        const comment = await api.addComment(this.context.jobId(), body);
        if (!this.data.isCurrent(generation)) return;
        this.data.commentPosted(comment);
        if (field.value.trim() === body) field.value = '';
      } catch (error) {
        if (this.data.isCurrent(generation)) this.setError(`Your comment was not posted: ${messageOf(error)}`);
      }
    });
    await this.host.updateComplete;
    this.field?.focus();
  }

  private onInput(): void {
    const text = this.field?.value.trim();
    if (this.error && text) this.setError('');
    if (text) this.context.typing();
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      void this.send();
    }
  }

  render() {
    const { comments, commentsLoad } = this.data;
    const typing = typingText(this.context.typists());
    const shortcut = sendShortcutLabel(navigator.platform || navigator.userAgent);
    const error = this.error;
    return html`
      <section class="panel section" aria-labelledby="comments-heading">
        <div class="section__header">
          <h3 id="comments-heading">Comments</h3>
          <span class="section__meta">${comments.length > 0 ? comments.length : ''}</span>
        </div>
        ${
          commentsLoad === 'loading' && comments.length === 0
            ? html`<p class="muted comments__note">Loading comments…</p>`
            : commentsLoad === 'failed' && comments.length === 0
              ? html`<p class="muted comments__note">Could not load the comments. New ones still show here.</p>`
              : comments.length === 0
                ? html`<p class="muted comments__note">No comments yet. Say what you found, or what you are trying.</p>`
                : html`<ol class="comments" aria-label="Comments, oldest first">
                    ${repeat(
                      comments,
                      (comment) => comment.id,
                      (comment) => html`
                        <li class="comment">
                          <div class="comment__meta">
                            <fd-presence-avatars
                              class="comment__avatar"
                              aria-hidden="true"
                              .people=${[comment.author]}
                            ></fd-presence-avatars>
                            <strong class="comment__author">${actorName(comment.author)}</strong>
                            ${renderTime(comment.createdAt)}
                          </div>
                          <p class="comment__body">${comment.body}</p>
                        </li>
                      `,
                    )}
                  </ol>`
        }
        ${
          this.context.mayComment()
            ? html`
                <form
                  class="composer"
                  novalidate
                  @submit=${(event: SubmitEvent) => {
                    event.preventDefault();
                    void this.send();
                  }}
                >
                  <label class="label" for="comment-body">Add a comment</label>
                  <textarea
                    id="comment-body"
                    class="input composer__field"
                    rows="3"
                    maxlength=${COLLABORATION_LIMITS.maxCommentLength}
                    aria-invalid=${error ? 'true' : 'false'}
                    aria-describedby="comment-hint ${error ? 'comment-error' : ''}"
                    @input=${() => this.onInput()}
                    @keydown=${(event: KeyboardEvent) => this.onKeydown(event)}
                  ></textarea>
                  ${error ? html`<p id="comment-error" class="field-error" role="alert">${error}</p>` : nothing}
                  <p class="typing" aria-live="polite">${typing}</p>
                  <div class="composer__footer">
                    <span id="comment-hint" class="hint composer__hint">${shortcut} to send</span>
                    <button class="button button--primary" type="submit" ?disabled=${this.form.submitting}>
                      ${this.form.submitting ? 'Posting…' : 'Comment'}
                    </button>
                  </div>
                </form>
              `
            : html`
                <p class="typing" aria-live="polite">${typing}</p>
                <p class="muted">Viewers read the comments; members and above write them.</p>
              `
        }
      </section>
    `;
  }
}
