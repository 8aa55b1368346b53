import { fakeHost } from '../../test/support/fake-controller-host';
import { FormSubmitController } from './form-submit-controller';

describe('FormSubmitController', () => {
  it('runs one submission at a time and says so while it runs', async () => {
    const host = fakeHost();
    const form = new FormSubmitController(host);
    expect(host.controllers).toEqual([form]);
    let finish!: () => void;
    const first = form.run(() => new Promise<void>((resolve) => (finish = resolve)));
    expect(form.submitting).toBe(true);
    await expect(form.run(async () => undefined)).resolves.toBe(false);
    finish();
    await expect(first).resolves.toBe(true);
    expect(form.submitting).toBe(false);
    expect(host.updates).toBeGreaterThanOrEqual(2);
  });

  it('shows what a failed submission says, and clears it at the next one', async () => {
    const form = new FormSubmitController(fakeHost());
    await form.run(
      async () => {
        throw new Error('name taken');
      },
      (error) => `Not saved: ${(error as Error).message}`,
    );
    expect(form.failure).toBe('Not saved: name taken');
    await form.run(async () => undefined);
    expect(form.failure).toBe('');
    form.fail('Sign in first.');
    expect(form.failure).toBe('Sign in first.');
    form.clear();
    expect(form.failure).toBe('');
  });

  it('lets a failure without a handler reach the caller, and still ends the submission', async () => {
    const form = new FormSubmitController(fakeHost());
    await expect(
      form.run(async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(form.submitting).toBe(false);
  });
  it('shows what is missing instead of running without it, and runs once it is there', async () => {
    const form = new FormSubmitController(fakeHost());
    const submit = jest.fn(async (_api: string) => undefined);
    await expect(form.runWith(undefined, 'Sign in first.', submit)).resolves.toBe(false);
    expect(submit).not.toHaveBeenCalled();
    expect(form.failure).toBe('Sign in first.');
    await expect(form.runWith('api', 'Sign in first.', submit)).resolves.toBe(true);
    expect(submit).toHaveBeenCalledWith('api');
    expect(form.failure).toBe('');
  });
});
