/** The part of a mongoose model a page needs (models' own filter types are too narrow to share). */
interface FindByFilter {
  find(filter: Record<string, unknown>): {
    sort(order: Record<string, 1 | -1>): { limit(count: number): { lean<T>(): Promise<T> } };
  };
}

/**
 * One page of documents ordered by `_id` (ULIDs: creation order), newest or oldest first; the cursor
 * is the last `_id` of the previous page. Reads one document more than the page to know if another follows.
 */
export async function pageById<Doc extends { _id: string }, Item>(
  model: FindByFilter,
  filter: Record<string, unknown>,
  options: { order: 'newest' | 'oldest'; limit: number; cursor: string | undefined },
  present: (record: Doc) => Item,
): Promise<{ items: Item[]; nextCursor: string | null }> {
  const newestFirst = options.order === 'newest';
  const query = options.cursor ? { ...filter, _id: { [newestFirst ? '$lt' : '$gt']: options.cursor } } : filter;
  const records = await model
    .find(query)
    .sort({ _id: newestFirst ? -1 : 1 })
    .limit(options.limit + 1)
    .lean<Doc[]>();
  const page = records.slice(0, options.limit);
  return {
    items: page.map(present),
    nextCursor: records.length > options.limit ? page[page.length - 1]!._id : null,
  };
}
