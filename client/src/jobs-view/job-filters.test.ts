import { buildJob } from '../../test/support/job-factory';
import {
  emptyMessage,
  filtersFromSavedView,
  filtersFromSearch,
  isFiltered,
  matchesFilters,
  queryFromFilters,
  savedFiltersFromFilters,
  searchFromFilters,
  type ViewFilters,
} from './job-filters';

const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);

describe('filters in the address', () => {
  it('reads every filter from the query and writes them back in one canonical order', () => {
    const search = '?q=timeout&status=failed&type=http.request&queue=http&claimedBy=nobody&range=24h';
    const filters = filtersFromSearch(search);
    expect(filters).toEqual({
      status: 'failed',
      type: 'http.request',
      queue: 'http',
      claimedBy: 'nobody',
      range: '24h',
      q: 'timeout',
    });
    expect(searchFromFilters(filters)).toBe(
      '?status=failed&type=http.request&queue=http&claimedBy=nobody&range=24h&q=timeout',
    );
    expect(filtersFromSearch(searchFromFilters(filters))).toEqual(filters);
  });

  it('leaves out what the API would refuse: unknown states and ranges, bad times, blank or long text', () => {
    expect(filtersFromSearch('?status=exploded&range=2y&from=yesterday&type=%20%20&q=' + 'x'.repeat(101))).toEqual({});
  });

  it('keeps a custom range as ISO times, and a relative range wins over one', () => {
    expect(filtersFromSearch('?from=2026-03-01T10:00:00Z&to=2026-03-01T11:00:00.000Z')).toEqual({
      from: '2026-03-01T10:00:00.000Z',
      to: '2026-03-01T11:00:00.000Z',
    });
    expect(filtersFromSearch('?range=1h&from=2026-03-01T10:00:00Z')).toEqual({ range: '1h' });
  });

  it('is empty without filters, and encodes text safely', () => {
    expect(searchFromFilters({})).toBe('');
    expect(isFiltered({})).toBe(false);
    expect(isFiltered({ q: 'a' })).toBe(true);
    const search = searchFromFilters({ q: 'a&b=c ü' });
    expect(filtersFromSearch(search)).toEqual({ q: 'a&b=c ü' });
  });
});

describe('queryFromFilters', () => {
  it('turns "me" into the person and a relative range into a start time', () => {
    expect(queryFromFilters({ claimedBy: 'me', range: '1h', status: 'failed' }, { me: 'u_ada', now: NOW })).toEqual({
      status: 'failed',
      claimedBy: 'u_ada',
      from: '2026-03-01T11:00:00.000Z',
    });
  });

  it('drops "me" for an API key, which claims nothing', () => {
    expect(queryFromFilters({ claimedBy: 'me' }, { me: null, now: NOW })).toEqual({});
  });
});

describe('matchesFilters', () => {
  const job = buildJob({
    id: '01JOBABCDEF',
    type: 'http.request',
    queue: 'http',
    status: 'failed',
    error: { message: 'Upstream Timed Out' },
    createdAt: '2026-03-01T11:30:00.000Z',
    claimedBy: { id: 'u_bob', name: 'Bob', at: '2026-03-01T11:31:00.000Z' },
  });

  it('matches what the server would list', () => {
    expect(matchesFilters(job, {})).toBe(true);
    expect(matchesFilters(job, { status: 'failed', type: 'http.request', queue: 'http', claimedBy: 'u_bob' })).toBe(
      true,
    );
    expect(matchesFilters(job, { from: '2026-03-01T11:30:00.000Z', to: '2026-03-01T11:30:00.001Z' })).toBe(true);
  });

  it('does not match another status, type, queue, claimer or time', () => {
    expect(matchesFilters(job, { status: 'queued' })).toBe(false);
    expect(matchesFilters(job, { type: 'http' })).toBe(false); // type is exact; the text search finds parts
    expect(matchesFilters(job, { queue: 'demo' })).toBe(false);
    expect(matchesFilters(job, { claimedBy: 'u_ada' })).toBe(false);
    expect(matchesFilters(job, { claimedBy: 'nobody' })).toBe(false);
    expect(matchesFilters({ ...job, claimedBy: null }, { claimedBy: 'nobody' })).toBe(true);
    expect(matchesFilters(job, { from: '2026-03-01T11:30:00.001Z' })).toBe(false);
    expect(matchesFilters(job, { to: '2026-03-01T11:30:00.000Z' })).toBe(false);
  });

  it('searches the exact id, or part of the type or error message in any case', () => {
    expect(matchesFilters(job, { q: '01JOBABCDEF' })).toBe(true);
    expect(matchesFilters(job, { q: '01JOBABC' })).toBe(false);
    expect(matchesFilters(job, { q: 'REQUEST' })).toBe(true);
    expect(matchesFilters(job, { q: 'timed out' })).toBe(true);
    expect(matchesFilters({ ...job, error: null }, { q: 'timed out' })).toBe(false);
  });
});

describe('saved views', () => {
  it('store the API filters: me as the saver, a relative range as one', () => {
    const filters: ViewFilters = { status: 'failed', claimedBy: 'me', range: '24h', q: 'x' };
    expect(savedFiltersFromFilters(filters, 'u_ada')).toEqual({
      status: 'failed',
      claimedBy: 'u_ada',
      q: 'x',
      range: '24h',
    });
    expect(savedFiltersFromFilters({ from: '2026-03-01T10:00:00.000Z' }, null)).toEqual({
      from: '2026-03-01T10:00:00.000Z',
    });
  });

  it('read back with the viewer as "me" and times as a custom range', () => {
    const saved = { claimedBy: 'u_ada', from: '2026-03-01T10:00:00.000Z', status: 'failed' as const };
    expect(filtersFromSavedView(saved, 'u_ada')).toEqual({ ...saved, claimedBy: 'me' });
    expect(filtersFromSavedView(saved, 'u_bob')).toEqual(saved);
    expect(filtersFromSavedView({ range: '1h', from: '2026-03-01T10:00:00.000Z' }, null)).toEqual({ range: '1h' });
  });
});

describe('emptyMessage', () => {
  it('says what was looked for', () => {
    expect(emptyMessage({})).toBe('No jobs yet');
    expect(emptyMessage({ status: 'failed', range: '1h' })).toBe('No failed jobs in the last hour');
    expect(emptyMessage({ type: 'demo.sleep', claimedBy: 'me', q: 'boom' })).toBe(
      'No demo.sleep jobs claimed by you matching “boom”',
    );
    expect(emptyMessage({ claimedBy: 'u_bob', queue: 'http' }, { nameOf: () => 'Bob' })).toBe(
      'No jobs in queue http claimed by Bob',
    );
    expect(emptyMessage({ claimedBy: 'nobody', status: 'active' })).toBe('No active jobs that nobody claimed');
  });
});
