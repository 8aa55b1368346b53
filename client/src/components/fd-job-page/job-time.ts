import { html } from 'lit';
import { formatFullTime, formatWhen } from './job-page-format';

/** A moment on the job page: when, relative, with the full time on hover; a dash when there is none. */
export function renderTime(iso: string | null) {
  if (!iso) return '—';
  return html`<time datetime=${iso} title=${formatFullTime(iso)}>${formatWhen(iso)}</time>`;
}
