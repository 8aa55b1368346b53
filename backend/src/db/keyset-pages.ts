import { InvalidInputError } from '../domain-errors';

/**
 * Keyset pagination, one way for every paged list (jobs, job logs, the workspace's activity,
 * comments, artifacts, the audit log). A page is read one item past its limit, to know whether
 * another follows; its `nextCursor` names where it ended: the sort key of its last item. Lists sorted
 * by `_id` alone (ULIDs) use that id as the cursor (`pageById`); lists sorted by two fields use
 * `<first>:<second>` in base64url (`encodeCursor`, `decodeCursor`), opaque to clients. A cursor that
 * does not decode is a 422 `validation_failed` naming `cursor`.
 */

export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

/** The cursor after an item sorted by two fields: `<first>:<second>`, base64url. */
export const encodeCursor = (first: string | number, second: string | number): string =>
  Buffer.from(`${first}:${second}`).toString('base64url');

/** The two parts of a cursor whose decoded text matches `pattern` (two groups); else a 422. */
export function decodeCursor(cursor: string, pattern: RegExp): [string, string] {
  const match = pattern.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match)
    throw new InvalidInputError('validation_failed', 'cursor is not valid', [
      { path: 'cursor', message: 'unknown cursor' },
    ]);
  return [match[1]!, match[2]!];
}

/**
 * The MongoDB condition "past the cursor" on two sort fields, in the sort's direction (`-1`: newest
 * first, so past means less): `first` beyond, or `first` equal and `second` beyond.
 */
export function pastKey(
  [first, second]: [string, string],
  [firstValue, secondValue]: [unknown, unknown],
  direction: 1 | -1,
): { $or: Record<string, unknown>[] } {
  const beyond = direction === 1 ? '$gt' : '$lt';
  return {
    $or: [{ [first]: { [beyond]: firstValue } }, { [first]: firstValue, [second]: { [beyond]: secondValue } }],
  };
}

/** The page of `limit` items from `records` (read with a limit of `limit + 1`), and the next page's cursor. */
export function keysetPage<Doc, Item>(
  records: Doc[],
  limit: number,
  present: (record: Doc) => Item,
  cursorOf: (last: Doc) => string,
): Page<Item> {
  const page = records.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(present), nextCursor: records.length > limit && last ? cursorOf(last) : null };
}

/** The part of a mongoose model a page needs (models' own filter types are too narrow to share). */
interface FindByFilter {
  find(filter: Record<string, unknown>): {
    sort(order: Record<string, 1 | -1>): { limit(count: number): { lean<T>(): Promise<T> } };
  };
}

/**
 * One page of documents ordered by `_id` (ULIDs: creation order), newest or oldest first; the cursor
 * is the last `_id` of the previous page.
 */
export async function pageById<Doc extends { _id: string }, Item>(
  model: FindByFilter,
  filter: Record<string, unknown>,
  options: { order: 'newest' | 'oldest'; limit: number; cursor: string | undefined },
  present: (record: Doc) => Item,
): Promise<Page<Item>> {
  const newestFirst = options.order === 'newest';
  const query = options.cursor ? { ...filter, _id: { [newestFirst ? '$lt' : '$gt']: options.cursor } } : filter;
  const records = await model
    .find(query)
    .sort({ _id: newestFirst ? -1 : 1 })
    .limit(options.limit + 1)
    .lean<Doc[]>();
  return keysetPage(records, options.limit, present, (last) => last._id);
}
