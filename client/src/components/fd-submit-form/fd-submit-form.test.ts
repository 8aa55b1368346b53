import type { Fixture } from '../../../test/support/browser';
import { fixturePages } from '../../../test/support/fixture-pages';

let fixture: Fixture;

// The form sits in another component's shadow root, to show that its event crosses it. The page
// gets a scripted API: `window.answer` decides what the next submit gets back.
const FIXTURE_SCRIPT = `
  import './components/fd-submit-form/fd-submit-form.component';
  import { ApiError } from './api/api-client';

  const host = document.createElement('div');
  document.body.append(host);
  const form = document.createElement('fd-submit-form');
  host.attachShadow({ mode: 'open' }).append(form);

  const page = window as unknown as Record<string, unknown>;
  page.requests = [];
  page.submitted = [];
  page.answer = 'accept';
  form.api = {
    async submitJob(input) {
      (page.requests as unknown[]).push(input);
      if (page.answer === 'refuse') {
        throw new ApiError('payload.ms: Too big: expected number to be <=600000', 422, 'invalid_payload', [
          { path: 'payload.ms', message: 'Too big: expected number to be <=600000' },
        ]);
      }
      if (page.answer === 'unreachable') throw new ApiError('Could not reach Flightdeck (Failed to fetch).', 0, 'network_error');
      return { id: '01JTESTJOB0000000000ABCDEF', status: 'queued', type: 'demo.sleep' } as never;
    },
    listJobs: async () => ({ items: [], nextCursor: null }),
    getJob: async () => { throw new Error('unused'); },
  };
  document.addEventListener('fd-job-submitted', (event) => (page.submitted as unknown[]).push(event.detail.job.id));
`;

const pages = fixturePages(FIXTURE_SCRIPT);
beforeEach(async () => {
  fixture = await pages.open();
  await fixture.page.getByRole('button', { name: 'Submit job' }).waitFor();
});

const read = (name: string) =>
  fixture.page.evaluate((key) => (window as unknown as Record<string, unknown>)[key], name);

describe('fd-submit-form', () => {
  it('submits a demo.sleep job and announces it with an fd-job-submitted event that bubbles out of shadow roots', async () => {
    const { page } = fixture;
    await page.getByLabel('Duration (ms)').fill('1500');
    await page.getByLabel('Steps').fill('3');
    await page.getByLabel('Fail at the end').check();
    await page.getByRole('button', { name: 'Submit job' }).click();

    await page.getByRole('status').getByText('Submitted job 00ABCDEF.').waitFor();
    await expect(read('requests')).resolves.toEqual([
      { type: 'demo.sleep', payload: { ms: 1500, steps: 3, fail: true } },
    ]);
    await expect(read('submitted')).resolves.toEqual(['01JTESTJOB0000000000ABCDEF']);
  });

  it('refuses wrong fields before sending, marks them invalid and moves focus to the first', async () => {
    const { page } = fixture;
    const duration = page.getByLabel('Duration (ms)');
    const steps = page.getByLabel('Steps');
    await duration.fill('');
    await steps.fill('101');
    await page.getByRole('button', { name: 'Submit job' }).click();

    await page.getByText('Duration is required.').waitFor();
    await page.getByText('Steps must be between 1 and 100.').waitFor();
    await expect(duration.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(steps.getAttribute('aria-invalid')).resolves.toBe('true');
    // The message is part of the field's description.
    await expect(duration.evaluate((input) => input.getAttribute('aria-describedby'))).resolves.toContain('ms-error');
    await expect(
      duration.evaluate((input) => input === (input.getRootNode() as ShadowRoot).activeElement),
    ).resolves.toBe(true);
    await expect(read('requests')).resolves.toEqual([]);

    // Typing clears a field's error.
    await duration.fill('10');
    await expect(duration.getAttribute('aria-invalid')).resolves.toBe('false');
  });

  it("shows the API's own message when it refuses the job, next to the field it names", async () => {
    const { page } = fixture;
    await page.evaluate(() => ((window as unknown as Record<string, unknown>).answer = 'refuse'));
    await page.getByRole('button', { name: 'Submit job' }).click();
    await page
      .getByRole('alert')
      .getByText('The job was not accepted: payload.ms: Too big: expected number to be <=600000')
      .waitFor();
    await expect(page.getByLabel('Duration (ms)').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(read('submitted')).resolves.toEqual([]);
  });

  it('says when the API cannot be reached, and can be used again', async () => {
    const { page } = fixture;
    await page.evaluate(() => ((window as unknown as Record<string, unknown>).answer = 'unreachable'));
    await page.getByRole('button', { name: 'Submit job' }).click();
    await page
      .getByRole('alert')
      .getByText('Could not reach Flightdeck (Failed to fetch).', { exact: false })
      .waitFor();
    await expect(page.getByRole('button', { name: 'Submit job' }).isEnabled()).resolves.toBe(true);

    await page.evaluate(() => ((window as unknown as Record<string, unknown>).answer = 'accept'));
    await page.getByRole('button', { name: 'Submit job' }).click();
    await page
      .getByRole('status')
      .getByText(/Submitted job/)
      .waitFor();
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    expect(fixture.problems).toEqual([]);
  });

  it('can be submitted from the keyboard', async () => {
    const { page } = fixture;
    await page.getByLabel('Steps').focus();
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .getByText(/Submitted job/)
      .waitFor();
    await expect(read('requests')).resolves.toEqual([
      { type: 'demo.sleep', payload: { ms: 3000, steps: 5, fail: false } },
    ]);
  });
});
