import {
  inWorkspace,
  parseRoute,
  pathAfterSignIn,
  routePath,
  safeNextPath,
  signInRoute,
  type ConsoleRoute,
} from './console-routes';

describe('parseRoute and routePath', () => {
  const canonical: [string, ConsoleRoute][] = [
    ['/', { page: 'home' }],
    ['/sign-in', { page: 'sign-in', next: null }],
    ['/sign-up', { page: 'sign-up', next: null }],
    ['/w/acme', { page: 'jobs', workspace: 'acme' }],
    [
      '/w/acme/jobs/01JOB0000000000000000000001',
      { page: 'job', workspace: 'acme', jobId: '01JOB0000000000000000000001' },
    ],
    ['/w/acme/settings/members', { page: 'members', workspace: 'acme' }],
    ['/w/acme/settings/api-keys', { page: 'api-keys', workspace: 'acme' }],
    ['/w/acme/ops', { page: 'ops', workspace: 'acme' }],
    ['/w/acme/activity', { page: 'activity', workspace: 'acme' }],
    ['/w/acme/job-types', { page: 'job-types', workspace: 'acme' }],
  ];

  it.each(canonical)('reads %s and builds it back', (path, route) => {
    expect(parseRoute(path)).toEqual(route);
    expect(routePath(route)).toBe(path);
  });

  it('keeps the job page of the public contract: /w/<slug>/jobs/<id>', () => {
    expect(routePath({ page: 'job', workspace: 'team-a', jobId: 'abc' })).toBe('/w/team-a/jobs/abc');
  });

  it('reads other spellings of the same pages', () => {
    expect(parseRoute('/w/acme/')).toEqual({ page: 'jobs', workspace: 'acme' });
    expect(parseRoute('/w/acme/jobs')).toEqual({ page: 'jobs', workspace: 'acme' });
    expect(parseRoute('/w/acme/settings')).toEqual({ page: 'members', workspace: 'acme' });
  });

  it('encodes and decodes slugs and ids', () => {
    const route: ConsoleRoute = { page: 'job', workspace: 'a b', jobId: 'x/y' };
    expect(routePath(route)).toBe('/w/a%20b/jobs/x%2Fy');
    expect(parseRoute('/w/a%20b/jobs/x%2Fy')).toEqual(route);
  });

  it('calls anything else not-found, bad escapes included', () => {
    for (const path of [
      '/v1/docs',
      '/w',
      '/w/acme/settings/billing',
      '/w/acme/jobs/1/extra',
      '/w/acme/activity/1',
      '/w/%E0%A4%A',
      '/x',
    ])
      expect(parseRoute(path)).toEqual({ page: 'not-found' });
  });

  it('reads ?next= on the sign-in and sign-up pages, only when it is safe', () => {
    expect(parseRoute('/sign-in', '?next=%2Fw%2Facme%2Fsettings%2Fmembers')).toEqual({
      page: 'sign-in',
      next: '/w/acme/settings/members',
    });
    expect(parseRoute('/sign-up', '?next=https%3A%2F%2Fevil.example')).toEqual({ page: 'sign-up', next: null });
    expect(routePath({ page: 'sign-in', next: '/w/acme' })).toBe('/sign-in?next=%2Fw%2Facme');
  });
});

describe('safeNextPath', () => {
  it('accepts console paths on this origin, with their query and fragment', () => {
    expect(safeNextPath('/w/acme/jobs/1?view=failed#top')).toBe('/w/acme/jobs/1?view=failed#top');
    expect(safeNextPath('/')).toBe('/');
  });

  it('refuses other sites and anything that is not a console page', () => {
    for (const value of [
      null,
      '',
      'w/acme',
      '//evil.example/w/x',
      '/\\evil.example',
      'https://evil.example/w/x',
      'javascript:alert(1)',
      '/v1/docs',
      '/sign-in',
      '/ w/acme',
    ])
      expect(safeNextPath(value)).toBeNull();
  });
});

describe('signInRoute', () => {
  it('comes back to where the person was, except home', () => {
    expect(signInRoute('/w/acme/settings/api-keys')).toEqual({ page: 'sign-in', next: '/w/acme/settings/api-keys' });
    expect(signInRoute('/')).toEqual({ page: 'sign-in', next: null });
    expect(signInRoute('/v1/nope')).toEqual({ page: 'sign-in', next: null });
  });
});

describe('pathAfterSignIn', () => {
  const workspaces = [{ slug: 'first' }, { slug: 'second' }];

  it('goes to next when given, else to the first workspace, else home', () => {
    expect(pathAfterSignIn('/w/second/settings/members', workspaces)).toBe('/w/second/settings/members');
    expect(pathAfterSignIn(null, workspaces)).toBe('/w/first');
    expect(pathAfterSignIn('/', workspaces)).toBe('/w/first');
    expect(pathAfterSignIn(null, [])).toBe('/');
  });
});

describe('inWorkspace', () => {
  it('keeps the page, except a job page, whose job is not in the other workspace', () => {
    expect(inWorkspace({ page: 'members', workspace: 'a' }, 'b')).toEqual({ page: 'members', workspace: 'b' });
    expect(inWorkspace({ page: 'job', workspace: 'a', jobId: 'j' }, 'b')).toEqual({ page: 'jobs', workspace: 'b' });
  });
});
