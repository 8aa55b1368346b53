import pino from 'pino';
import { ShutdownSteps } from '../src/shutdown-steps';

const never = () => new Promise<void>(() => undefined);

describe('ShutdownSteps', () => {
  it('cuts a step that overruns its bound, and runs the next one all the same', async () => {
    const steps = new ShutdownSteps(pino({ level: 'silent' }), Date.now() + 10_000);
    const cut: string[] = [];
    const ran: string[] = [];
    const started = Date.now();
    await steps.run('hangs', never, 100, () => cut.push('hangs'));
    await steps.run(
      'fails',
      () => Promise.reject(new Error('gone')),
      100,
      () => cut.push('fails'),
    );
    await steps.run(
      'ends',
      async () => void ran.push('ends'),
      100,
      () => cut.push('ends'),
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(cut).toEqual(['hangs']);
    expect(ran).toEqual(['ends']);
  });

  it('never runs a step past the shutdown deadline, whatever its own bound', async () => {
    const steps = new ShutdownSteps(pino({ level: 'silent' }), Date.now() + 200);
    const started = Date.now();
    await steps.run('first', never, 5_000);
    await steps.run('second', never, 5_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
