/** Bytes `start` to `end` of a file, both included (as `Content-Range` counts them). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * What a `Range` header asks of a file of `size` bytes (RFC 9110 §14): one range (`bytes=a-b`,
 * `bytes=a-`, `bytes=-n`), `unsatisfiable` when that range holds no byte of the file (→ 416), or
 * `whole` when the header is to be ignored and the whole file sent (→ 200): another unit, a header
 * that does not parse, and several ranges — answering those with one multipart body is allowed to
 * be skipped, and the whole file is what most clients asking for several ranges can use anyway.
 */
export function parseByteRange(header: string, size: number): ByteRange | 'unsatisfiable' | 'whole' {
  const match = /^bytes=(.*)$/i.exec(header.trim());
  if (!match) return 'whole';
  const specs = match[1]!.split(',').map((spec) => spec.trim());
  if (specs.length !== 1) return 'whole';
  const spec = /^(\d*)-(\d*)$/.exec(specs[0]!);
  if (!spec || (spec[1] === '' && spec[2] === '')) return 'whole';
  const [first, last] = [spec[1]!, spec[2]!];
  if (first === '') {
    // The last `n` bytes; all of them when the file is shorter. None is no range at all.
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  // `last` before `first` is not a range (invalid, so ignored), not one that misses the file.
  if (last !== '' && Number(last) < start) return 'whole';
  if (start >= size) return 'unsatisfiable';
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

/**
 * Whether a request's `If-Range` lets its `Range` apply: absent, or naming the file's current
 * (strong) ETag. Anything else — a weak or different tag, a date (we send no Last-Modified) — means
 * the client's partial copy may be of another version: it gets the whole file.
 */
export const ifRangeHolds = (ifRange: string | undefined, etag: string | undefined): boolean =>
  ifRange === undefined || (etag !== undefined && ifRange.trim() === etag);

/**
 * Whether a request's `If-None-Match` names the file's current ETag (RFC 9110 §13.1.2: `*`, or a
 * list of tags compared weakly, `W/` ignored): the client's copy is current, and it gets `304`.
 */
export function ifNoneMatchHits(ifNoneMatch: string | undefined, etag: string | undefined): boolean {
  if (ifNoneMatch === undefined || etag === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
}
