import { ConfigError, loadConfig } from './config';
import { startFlightdeck } from './flightdeck';
import { createLogger } from './logger';
import { shutdownDeadlineMs } from './shutdown-steps';

/** On an exit that cannot wait: how long the embedded services get to exit after SIGTERM before we go. */
const EXIT_NOW_WAIT_MS = 500;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config);
  // Node still ends the process on an uncaught error; this only says why, in the log's own format.
  process.on('uncaughtExceptionMonitor', (error, origin) => logger.fatal({ err: error, origin }, 'uncaught error'));
  const flightdeck = await startFlightdeck(config, logger);

  const base = `http://localhost:${flightdeck.port}`;
  const firstStart = flightdeck.bootstrap?.printedOnce;
  if (firstStart) {
    // Printed once, on the first start of an empty database; only hashes are stored.
    console.log(
      [
        '',
        'Flightdeck created the "default" workspace. Keep these; they are not shown again:',
        `  owner sign-in: ${firstStart.email} / ${firstStart.password}`,
        `  API key:       ${firstStart.apiKey}`,
        '',
        'Submit a job:',
        `  curl -s -X POST ${base}/v1/jobs -H "Authorization: Bearer ${firstStart.apiKey}" \\`,
        `       -H 'Content-Type: application/json' -d '{"type":"demo.sleep","payload":{"ms":2000,"steps":4}}'`,
        `Then: curl -s ${base}/v1/jobs/<id> -H "Authorization: Bearer ${firstStart.apiKey}"`,
        `API reference: ${base}/v1/docs`,
        '',
      ].join('\n'),
    );
  } else if (config.ROLES.includes('api')) {
    logger.info(
      {
        submit: `curl -X POST ${base}/v1/jobs -H "Authorization: Bearer <api key>" -H 'Content-Type: application/json' -d '{"type":"demo.sleep","payload":{"ms":2000}}'`,
        reference: `${base}/v1/docs`,
      },
      'ready for jobs',
    );
  }

  let signals = 0;
  /** Stops the embedded services (briefly waiting for them), then exits: for when the shutdown cannot go on. */
  const exitNow = (code: number) => {
    void flightdeck.stopEmbeddedServices(EXIT_NOW_WAIT_MS).finally(() => process.exit(code));
  };
  const shutdown = (signal: NodeJS.Signals) => {
    if (++signals > 1) {
      logger.warn({ signal }, 'second signal: exiting now');
      return exitNow(1);
    }
    logger.info({ signal }, 'shutting down');
    // Every step of the shutdown is bounded; this catches whatever escaped its bound.
    setTimeout(() => {
      logger.error('shutdown did not end in time; exiting');
      exitNow(1);
    }, shutdownDeadlineMs(config.SHUTDOWN_TIMEOUT_MS));
    flightdeck.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error('flightdeck failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
