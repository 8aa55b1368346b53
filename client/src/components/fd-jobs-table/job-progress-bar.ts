import { html } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';

/**
 * A job's progress as a bar, for the jobs table's rows and the job page's header: `percent` (0–100,
 * see `progressPercent`) for assistive technology, and as `--_progress` (0–1) for the host's styles
 * of `.bar` and `.bar__fill`. `label` names the bar.
 */
export function renderProgressBar(percent: number, label: string) {
  return html`<span
    class="bar"
    role="progressbar"
    aria-label=${label}
    aria-valuemin="0"
    aria-valuemax="100"
    aria-valuenow=${percent}
    aria-valuetext="${percent}%"
    style=${styleMap({ '--_progress': String(percent / 100) })}
  >
    <span class="bar__fill"></span>
  </span>`;
}
