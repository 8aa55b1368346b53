import type { ActivityEntry, Job } from '@flightdeck/contract';
import { html, nothing } from 'lit';
import { attemptsOf, describeActivity, type Attempt } from './job-activity';
import type { Loading } from './job-page-data';
import { durationBetween, formatDuration } from './job-page-format';
import { renderTime } from './job-time';

// The job page's read-only summaries: pure templates of the job and its activity.

/** What the header says of the job: where it runs, its attempts, when it was created, started, finished. */
export function renderFacts(job: Job) {
  const ran = durationBetween(job.startedAt, job.finishedAt);
  const waited = durationBetween(job.createdAt, job.startedAt);
  const facts: [string, unknown][] = [
    ['Queue', job.queue],
    ['Attempts', `${job.attemptsMade} of ${job.attempts}`],
    ['Created', renderTime(job.createdAt)],
    [
      job.status === 'delayed' ? 'Runs at' : 'Started',
      job.status === 'delayed' ? renderTime(job.runAt) : renderTime(job.startedAt),
    ],
    ['Finished', renderTime(job.finishedAt)],
    ['Took', ran !== null ? formatDuration(ran) : waited !== null ? `waited ${formatDuration(waited)}` : '—'],
  ];
  return html`
    <dl class="facts">
      ${facts.map(
        ([term, value]) =>
          html`<div class="fact">
            <dt>${term}</dt>
            <dd>${value}</dd>
          </div>`,
      )}
    </dl>
  `;
}

/** The job's activity (who did what, and its attempts), oldest first. */
export function renderActivity(activity: readonly ActivityEntry[], activityLoad: Loading) {
  const attempts = attemptsOf(activity);
  return html`
    <section class="panel section" aria-labelledby="activity-heading">
      <h3 id="activity-heading">Activity</h3>
      ${attempts.length > 0 ? renderAttempts(attempts) : nothing}
      ${
        activityLoad === 'loading' && activity.length === 0
          ? html`<p class="muted">Loading activity…</p>`
          : activityLoad === 'failed' && activity.length === 0
            ? html`<p class="muted">Could not load the activity. What happens from now on shows here.</p>`
            : html`<ol class="activity" aria-label="Activity, oldest first">
                ${activity.map(
                  (entry) => html`
                    <li class="activity__item activity__item--${entry.actor ? 'person' : 'job'}">
                      <span class="activity__text">${describeActivity(entry)}</span>
                      ${renderTime(entry.at)}
                    </li>
                  `,
                )}
              </ol>`
      }
    </section>
  `;
}

function renderAttempts(attempts: Attempt[]) {
  return html`
    <h4 class="subheading" id="attempts-heading">Attempts</h4>
    <ol class="attempts" aria-labelledby="attempts-heading">
      ${attempts.map((attempt) => {
        const took = durationBetween(attempt.startedAt, attempt.endedAt);
        const outcome =
          attempt.outcome === 'running'
            ? 'running'
            : attempt.outcome === 'retrying'
              ? 'failed, retried'
              : attempt.outcome;
        const status =
          attempt.outcome === 'retrying' ? 'failed' : attempt.outcome === 'running' ? 'active' : attempt.outcome;
        return html`
          <li class="attempt status-${status}">
            <span class="attempt__number">#${attempt.number}</span>
            <span class="badge">${outcome}</span>
            <span class="attempt__time">${took !== null ? formatDuration(took) : ''}</span>
            ${attempt.error ? html`<span class="attempt__error">${attempt.error}</span>` : nothing}
          </li>
        `;
      })}
    </ol>
  `;
}
