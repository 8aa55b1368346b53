/**
 * The embeddable job status: a bundle of its own (client/vite.embed.config.ts builds it to
 * dist/embed/fd-job-status.js, which Flightdeck serves at /embed/fd-job-status.js) that other web
 * pages load with a script tag. It defines `<fd-job-status>` and nothing else. See docs/embedding.md.
 */
import { FdJobStatus } from '../components/fd-job-status/fd-job-status.component';

// The server is where this script came from, unless the element names another with `api`.
const script = document.currentScript;
if (script instanceof HTMLScriptElement && script.src) FdJobStatus.defaultServer = new URL(script.src).origin;
