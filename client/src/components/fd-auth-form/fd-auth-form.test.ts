import type { Fixture } from '../../../test/support/browser';
import type { FakeServer } from '../../../test/support/fake-server';
import { fixturePages } from '../../../test/support/fixture-pages';

let fixture: Fixture;

// The form, talking to a scripted API through the real ApiClient (so the error bodies and headers
// are read as in production). `window.server` is the fake; `window.signedIn` collects fd-signed-in.
const FIXTURE_SCRIPT = `
  import './components/fd-auth-form/fd-auth-form.component';
  import { scriptedApi } from '../test/support/scripted-page';

  const page = window as unknown as Record<string, unknown>;
  page.signedIn = [];
  const form = document.createElement('fd-auth-form');
  form.mode = (new URLSearchParams(location.search).get('mode') ?? 'sign-in') as 'sign-in';
  form.api = scriptedApi().api;
  document.addEventListener('fd-signed-in', (event) => (page.signedIn as unknown[]).push(event.detail.session));
  document.body.append(form);
`;

const SESSION = {
  user: { id: 'u1', email: 'ada@example.com', name: 'Ada Lovelace' },
  workspaces: [{ id: 'w1', slug: 'ada', name: 'Ada', role: 'owner' }],
};

const pages = fixturePages(FIXTURE_SCRIPT);

async function open(mode: 'sign-in' | 'sign-up', answers: FakeServer['answers'] = {}) {
  fixture = await pages.open({ path: `/?mode=${mode}` });
  await fixture.page.evaluate((scripted) => {
    (window as unknown as { server: FakeServer }).server.answers = scripted;
  }, answers);
  await fixture.page.getByRole('heading').waitFor();
  return fixture.page;
}

const requests = () => fixture.page.evaluate(() => (window as unknown as { server: FakeServer }).server.requests);
const signedIn = () => fixture.page.evaluate(() => (window as unknown as { signedIn: unknown[] }).signedIn);
const isFocused = (selector: string) =>
  fixture.page.evaluate((id) => document.querySelector('fd-auth-form')!.shadowRoot!.activeElement?.id === id, selector);

describe('fd-auth-form, signing in', () => {
  it('signs in and announces the session with fd-signed-in', async () => {
    const page = await open('sign-in', { 'POST /v1/auth/login': { status: 200, body: SESSION } });
    await page.getByRole('heading', { name: 'Sign in to Flightdeck' }).waitFor();
    await page.getByLabel('Email').fill(' ada@example.com ');
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await fixture.page.waitForFunction(() => (window as unknown as { signedIn: unknown[] }).signedIn.length > 0);
    await expect(signedIn()).resolves.toEqual([SESSION]);
    const [login] = await requests();
    expect(login).toMatchObject({
      method: 'POST',
      path: '/v1/auth/login',
      credentials: 'same-origin',
      body: { email: 'ada@example.com', password: 'correct horse battery' },
    });
  });

  it("shows the server's refusal in an alert, and checks empty fields before sending", async () => {
    const page = await open('sign-in', {
      'POST /v1/auth/login': {
        status: 401,
        body: { error: { code: 'invalid_credentials', message: 'wrong email or password' } },
      },
    });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Enter an email address.').waitFor();
    await page.getByText('Enter your password.').waitFor();
    await expect(page.getByLabel('Email').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByLabel('Email').getAttribute('aria-describedby')).resolves.toBe('email-error');
    await expect(isFocused('email')).resolves.toBe(true);
    await expect(requests()).resolves.toEqual([]);

    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password', { exact: true }).fill('not it');
    await page.getByLabel('Password', { exact: true }).press('Enter');
    await page.getByRole('alert').getByText('Wrong email or password.').waitFor();
    await expect(page.getByLabel('Email').getAttribute('aria-invalid')).resolves.toBe('false');
    await expect(signedIn()).resolves.toEqual([]);
  });

  it('after too many attempts (429) says how long to wait, from Retry-After, and keeps the button off until then', async () => {
    const page = await open('sign-in', {
      'POST /v1/auth/login': [
        {
          status: 429,
          headers: { 'retry-after': '2' },
          body: { error: { code: 'rate_limited', message: 'too many sign-in attempts' } },
        },
        { status: 200, body: SESSION },
      ],
    });
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password', { exact: true }).fill('guess number nine');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('alert').getByText('Too many attempts. Try again in 2 s.').waitFor();
    const waiting = page.getByRole('button', { name: /^Try again in [12] s$/ });
    await expect(waiting.isDisabled()).resolves.toBe(true);

    // Once the wait is over, the button is back and the message, now wrong, is gone.
    const button = page.getByRole('button', { name: 'Sign in' });
    await button.waitFor({ timeout: 5_000 });
    await expect(button.isEnabled()).resolves.toBe(true);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    await button.click();
    await fixture.page.waitForFunction(() => (window as unknown as { signedIn: unknown[] }).signedIn.length > 0);
    await expect(signedIn()).resolves.toEqual([SESSION]);
  });

  it('links to sign-up, keeping where to go afterwards', async () => {
    const page = await open('sign-in');
    await page.evaluate(() => (document.querySelector('fd-auth-form')!.next = '/w/acme/settings/members'));
    await expect(page.getByRole('link', { name: 'Create an account' }).getAttribute('href')).resolves.toBe(
      '/sign-up?next=%2Fw%2Facme%2Fsettings%2Fmembers',
    );
  });
});

describe('fd-auth-form, signing up', () => {
  it('states the password policy next to the field and checks its length before sending', async () => {
    const page = await open('sign-up');
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    const password = page.getByLabel('Password', { exact: true });
    await expect(password.getAttribute('autocomplete')).resolves.toBe('new-password');
    await expect(password.getAttribute('aria-describedby')).resolves.toBe('password-hint');
    await page.getByText('At least 10 characters.', { exact: false }).waitFor();

    await page.getByLabel('Name').fill('Ada Lovelace');
    await page.getByLabel('Email').fill('ada@example.com');
    await password.fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Use at least 10 characters (this one has 5).').waitFor();
    await expect(password.getAttribute('aria-describedby')).resolves.toBe('password-error password-hint');
    await expect(requests()).resolves.toEqual([]);
  });

  it("puts the server's weak_password message under the password, exactly as it says it", async () => {
    const page = await open('sign-up', {
      'POST /v1/auth/signup': {
        status: 422,
        body: {
          error: { code: 'weak_password', message: 'this password is one of the most common ones; choose another' },
        },
      },
    });
    await page.getByLabel('Name').fill('Ada Lovelace');
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password', { exact: true }).fill('password123');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('This password is one of the most common ones; choose another.').waitFor();
    await expect(page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(isFocused('password')).resolves.toBe(true);
    await expect(requests()).resolves.toMatchObject([
      { path: '/v1/auth/signup', body: { name: 'Ada Lovelace', email: 'ada@example.com', password: 'password123' } },
    ]);
  });

  it('shows email_taken under the email, and validation issues under their fields', async () => {
    const page = await open('sign-up', {
      'POST /v1/auth/signup': [
        {
          status: 409,
          body: { error: { code: 'email_taken', message: 'an account with this email exists; sign in instead' } },
        },
        {
          status: 422,
          body: {
            error: {
              code: 'validation_failed',
              message: 'invalid request body',
              issues: [{ path: 'name', message: 'Too big: expected string to have <=100 characters' }],
            },
          },
        },
      ],
    });
    await page.getByLabel('Name').fill('Ada');
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password', { exact: true }).fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('An account with this email exists; sign in instead.').waitFor();
    await expect(page.getByLabel('Email').getAttribute('aria-invalid')).resolves.toBe('true');

    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Too big: expected string to have <=100 characters.').waitFor();
    await page.getByRole('alert').getByText('Check the fields marked below.').waitFor();
    await expect(page.getByLabel('Name').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(fixture.problems).toEqual([]);
  });

  it('shows the password on request, for people who cannot see what they type', async () => {
    const page = await open('sign-up');
    const password = page.getByLabel('Password', { exact: true });
    await page.getByLabel('Show password').check();
    await expect(password.getAttribute('type')).resolves.toBe('text');
    await page.getByLabel('Show password').uncheck();
    await expect(password.getAttribute('type')).resolves.toBe('password');
  });
});
