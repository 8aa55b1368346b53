import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from './config';

const VERSION = '0.1.0';

/** The process's one pino logger: base fields, secrets redacted, pretty only in development on a terminal. */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV' | 'ROLES'>,
  destination?: DestinationStream,
): Logger {
  const pretty = config.NODE_ENV === 'development' && process.stdout.isTTY;
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
