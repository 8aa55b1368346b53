import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from './config';

const VERSION = '0.1.0';

/**
 * Whether log lines are pretty: as `LOG_FORMAT` says, else on a terminal (a person reads them) and
 * never when piped or in a container (a log collector reads JSON).
 */
export function prettyLogs(config: Pick<Config, 'LOG_FORMAT'>, stdoutIsTty = Boolean(process.stdout.isTTY)): boolean {
  return config.LOG_FORMAT ? config.LOG_FORMAT === 'pretty' : stdoutIsTty;
}

/** The process's one pino logger: base fields, secrets redacted, pretty or JSON lines (`prettyLogs`). */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT' | 'ROLES'>,
  destination?: DestinationStream,
): Logger {
  const pretty = prettyLogs(config);
  const options: pino.LoggerOptions = {
    level: config.LOG_LEVEL,
    base: { service: 'flightdeck', role: config.ROLES.join(','), version: VERSION, pid: process.pid },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'res.headers["set-cookie"]',
        'apiKey',
        'key',
        '*.key',
        'token',
        '*.token',
        'password',
        '*.password',
        'passwordHash',
        '*.passwordHash',
        'secret',
        '*.secret',
      ],
      censor: '[redacted]',
    },
    ...(pretty && !destination
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } }
      : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
