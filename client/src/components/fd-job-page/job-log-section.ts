import { isFinalStatus } from '@flightdeck/contract';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { JobPageData } from './job-page-data';
import { lineCount, visibleLog } from './job-logs';

/** How close to the bottom of the log counts as "at the bottom" (follows new lines). */
const PINNED_SLACK_PX = 24;

/**
 * The job page's log section: the lines (read and live, with a "Load more" gap between), and its
 * scrolling — it follows new lines while the reader is at the bottom, and otherwise offers a jump
 * to them. Renders into the page's shadow root (its styles are the page's).
 */
export class JobLogSection implements ReactiveController {
  private followLog = true;
  private unseenLines = false;
  private lastLineCount = 0;

  constructor(
    private readonly host: ReactiveControllerHost & { renderRoot: HTMLElement | DocumentFragment },
    private readonly data: JobPageData,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** A new job: follow its log from the start. */
  reset(): void {
    this.followLog = true;
    this.unseenLines = false;
    this.lastLineCount = 0;
  }

  hostUpdated(): void {
    const count = lineCount(visibleLog(this.data.log));
    if (count === this.lastLineCount) return;
    const grew = count > this.lastLineCount;
    this.lastLineCount = count;
    if (this.followLog) this.scrollToEnd();
    else if (grew) this.setUnseen(true);
  }

  render() {
    const { log, logLoad, logMoreLoading, job } = this.data;
    const view = visibleLog(log);
    const count = lineCount(view);
    const empty = logLoad === 'ready' && count === 0 && !view.gap;
    const line = (entry: { line: string }) => html`<div class="log__line">${entry.line}</div>`;
    return html`
      <section class="panel section" aria-labelledby="logs-heading">
        <div class="section__header">
          <h3 id="logs-heading">Logs</h3>
          <span class="section__meta">${count > 0 ? `${count} ${count === 1 ? 'line' : 'lines'}` : ''}</span>
        </div>
        <div class="log-wrap">
          <div
            class="log"
            role="log"
            aria-live="polite"
            aria-labelledby="logs-heading"
            tabindex="0"
            @scroll=${() => this.onScroll()}
          >
            ${
              logLoad === 'loading' && count === 0
                ? html`<p class="log__note">Loading logs…</p>`
                : logLoad === 'failed' && count === 0
                  ? html`<p class="log__note">Could not load the logs. New lines still show here as they come.</p>`
                  : empty
                    ? html`<p class="log__note">
                        ${job && !isFinalStatus(job.status) ? 'No log lines yet. They appear here as the job writes them.' : 'This job wrote no log lines.'}
                      </p>`
                    : nothing
            }
            ${view.lines.map(line)}
            ${
              view.gap
                ? html`<div class="log__gap">
                    <button
                      class="button button--quiet"
                      type="button"
                      ?disabled=${logMoreLoading}
                      @click=${() => this.data.loadMoreLog()}
                    >
                      ${logMoreLoading ? 'Loading…' : 'Load more lines'}
                    </button>
                  </div>`
                : nothing
            }
            ${view.after.map(line)}
          </div>
          ${
            this.unseenLines && !this.followLog
              ? html`<button class="button button--quiet log__jump" type="button" @click=${() => this.onJumpToLatest()}>
                  New lines below <span aria-hidden="true">↓</span>
                </button>`
              : nothing
          }
        </div>
      </section>
    `;
  }

  private get box(): HTMLElement | null {
    return this.host.renderRoot.querySelector<HTMLElement>('.log');
  }

  private onScroll(): void {
    const box = this.box;
    if (!box) return;
    const atEnd = box.scrollHeight - box.scrollTop - box.clientHeight <= PINNED_SLACK_PX;
    if (atEnd !== this.followLog) {
      this.followLog = atEnd;
      this.host.requestUpdate();
    }
    if (atEnd) this.setUnseen(false);
  }

  private scrollToEnd(): void {
    const box = this.box;
    if (box) box.scrollTop = box.scrollHeight;
    this.setUnseen(false);
  }

  private onJumpToLatest(): void {
    this.followLog = true;
    this.scrollToEnd();
    this.host.requestUpdate();
    this.box?.focus();
  }

  private setUnseen(unseen: boolean): void {
    if (unseen === this.unseenLines) return;
    this.unseenLines = unseen;
    this.host.requestUpdate();
  }
}
