import { Writable } from 'node:stream';
import { createLogger, prettyLogs } from '../src/logger';

describe('logger', () => {
  it('is pretty on a terminal and JSON when piped, unless LOG_FORMAT says which', () => {
    expect(prettyLogs({}, true)).toBe(true);
    expect(prettyLogs({}, false)).toBe(false);
    expect(prettyLogs({ LOG_FORMAT: 'json' }, true)).toBe(false);
    expect(prettyLogs({ LOG_FORMAT: 'pretty' }, false)).toBe(true);
  });

  it('redacts credentials and secrets wherever they appear', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ LOG_LEVEL: 'info', ROLES: ['api'] }, sink);
    logger.info(
      {
        req: { headers: { authorization: 'Bearer fd_secret_key', cookie: 'fd_session=fds_secret_session' } },
        res: { headers: { 'set-cookie': 'fd_session=fds_other_secret' } },
        user: { email: 'a@example.test', password: 'hunter2hunter2', passwordHash: '$argon2id$v=19$secret' },
        created: { key: 'fd_new_key_secret', token: 'eyJ.secret.token' },
        secret: 'webhook-secret',
      },
      'something happened',
    );
    const line = lines.join('');
    expect(line).toContain('something happened');
    expect(line).toContain('a@example.test');
    for (const secret of [
      'fd_secret_key',
      'fds_secret_session',
      'fds_other_secret',
      'hunter2',
      'argon2id',
      'fd_new_key_secret',
      'eyJ.secret',
      'webhook-secret',
    ]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('[redacted]');
  });
});
