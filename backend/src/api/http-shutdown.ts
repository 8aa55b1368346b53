import type http from 'node:http';

/** How often a closing server looks for connections whose last response has ended. */
const IDLE_SWEEP_MS = 100;

/**
 * Stops accepting connections and resolves once every open one has ended. Node closes only the
 * connections idle at `close()`: one whose request was still running stays open, once its response
 * ends, for the whole keep-alive timeout (65 s here). So idle connections are closed as they become
 * idle, and whatever is still open after `deadlineMs` is cut.
 */
export function closeHttpServer(server: http.Server, deadlineMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const deadline = setTimeout(() => server.closeAllConnections(), deadlineMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
