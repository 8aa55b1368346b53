import { createHash, randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import pino from 'pino';
import sharp from 'sharp';
import { ulid } from 'ulid';
import { jobArtifacts } from '@flightdeck/workers';
import { parseByteRange } from '../src/api/byte-ranges';
import { ARTIFACT_CHUNK_BYTES, GridFsArtifactStore } from '../src/artifacts/artifact-store';
import { ORPHAN_SWEEP_TIMING, OrphanChunkSweeper } from '../src/artifacts/orphan-chunk-sweeper';
import { RedisLease } from '../src/ops/redis-lease';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { httpClient, waitForJobStatus, type HttpClient } from './support/http-client';

// Artifacts (GridFS on the real FerretDB) through the API, and the `image.transform` job type that
// reads and writes them. One in-process app with every role and a small size limit.

const MAX_BYTES = 2 * 1024 * 1024;

let app: TestFlightdeck;
beforeAll(async () => {
  app = await startTestFlightdeck({ ARTIFACT_MAX_BYTES: String(MAX_BYTES), PROGRESS_INTERVAL_MS: '0' });
});
afterAll(() => app.stop());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface UploadOptions {
  name?: string;
  contentType?: string;
  jobId?: string;
  apiKey?: string;
}

/** `POST /v1/artifacts` with a raw body: a buffer (sent with Content-Length) or a stream (chunked, no length). */
async function upload(body: Uint8Array | ReadableStream<Uint8Array>, options: UploadOptions = {}) {
  const query = new URLSearchParams({
    name: options.name ?? 'file.bin',
    ...(options.jobId ? { jobId: options.jobId } : {}),
  });
  const response = await fetch(`${app.url}/v1/artifacts?${query}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${options.apiKey ?? app.apiKey}`,
      ...(options.contentType ? { 'content-type': options.contentType } : {}),
    },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  return { status: response.status, headers: response.headers, body: await response.json() };
}

async function download(id: string, apiKey = app.apiKey, method = 'GET', headers: Record<string, string> = {}) {
  const response = await fetch(`${app.url}/v1/artifacts/${id}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...headers },
  });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** `GET /v1/artifacts/{id}` with a `Range` (and any other) header. */
const downloadRange = (id: string, range: string, headers: Record<string, string> = {}) =>
  download(id, app.apiKey, 'GET', { range, ...headers });

/** A key of the default workspace with only these scopes. */
async function keyWith(...scopes: string[]): Promise<string> {
  const created = await app.http.post('/v1/api-keys', { name: `artifacts ${scopes.join(' ')}`, scopes });
  expect(created.status).toBe(201);
  return created.body.key;
}

/** A body sent in pieces without a Content-Length, as a client streaming a file of unknown size does. */
function streamOf(bytes: Buffer, pieceBytes = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + pieceBytes));
      offset += pieceBytes;
    },
  });
}

const chunks = () => mongoose.connection.db!.collection('artifacts.chunks');
/** Chunks whose artifact has no files document: what an upload that failed half-way would leave. */
async function orphanChunkCount(): Promise<number> {
  const fileIds = new Set(
    (await mongoose.connection.db!.collection('artifacts.files').find({}).toArray()).map((f) => f._id),
  );
  const all = await chunks()
    .find({}, { projection: { files_id: 1 } })
    .toArray();
  return all.filter((chunk) => !fileIds.has(chunk.files_id)).length;
}

const submit = async (http: HttpClient, body: Record<string, unknown>) => {
  const answer = await http.post('/v1/jobs', body);
  expect(answer.status).toBe(202);
  return answer.body.id as string;
};

describe('artifact upload and download', () => {
  it('round-trips a file: the same bytes, type, size and name, with safe download headers', async () => {
    const bytes = Buffer.from('hello, artifacts\n');
    const uploaded = await upload(bytes, { name: 'hello world.txt', contentType: 'text/plain; charset=utf-8' });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toEqual({
      id: expect.any(String),
      jobId: null,
      name: 'hello world.txt',
      contentType: 'text/plain; charset=utf-8',
      size: bytes.byteLength,
      sha256: sha256(bytes),
      createdAt: expect.any(String),
    });
    expect(uploaded.headers.get('location')).toBe(`/v1/artifacts/${uploaded.body.id}`);

    const got = await download(uploaded.body.id);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(bytes)).toBe(true);
    expect(got.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(got.headers.get('content-length')).toBe(String(bytes.byteLength));
    expect(got.headers.get('content-disposition')).toBe('attachment; filename="hello world.txt"');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-security-policy')).toContain('sandbox');
    expect(got.headers.get('etag')).toBe(`"${sha256(bytes)}"`);
    expect(got.headers.get('accept-ranges')).toBe('bytes');

    const head = await download(uploaded.body.id, app.apiKey, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.byteLength));
    expect(head.bytes.byteLength).toBe(0);
  });

  it('stores bytes without a Content-Type as application/octet-stream, and quotes awkward names', async () => {
    const bytes = randomBytes(100);
    const uploaded = await upload(bytes, { name: 'résumé "final".bin' });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.contentType).toBe('application/octet-stream');
    const got = await download(uploaded.body.id);
    expect(got.headers.get('content-type')).toBe('application/octet-stream');
    expect(got.headers.get('content-disposition')).toContain(`filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.bin`);
    expect(got.bytes.equals(bytes)).toBe(true);
  });

  it('splits a file larger than one chunk into several chunks, and reads it back whole', async () => {
    const bytes = randomBytes(Math.floor(4.5 * ARTIFACT_CHUNK_BYTES));
    const uploaded = await upload(bytes, { name: 'big.bin' });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ size: bytes.byteLength, sha256: sha256(bytes) });
    expect(await chunks().countDocuments({ files_id: uploaded.body.id })).toBe(5);

    const got = await download(uploaded.body.id);
    expect(got.headers.get('content-length')).toBe(String(bytes.byteLength));
    expect(got.bytes.equals(bytes)).toBe(true);
  });

  it('takes a streamed body of unknown length', async () => {
    const bytes = randomBytes(3 * ARTIFACT_CHUNK_BYTES + 17);
    const uploaded = await upload(streamOf(bytes), { name: 'streamed.bin' });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ size: bytes.byteLength, sha256: sha256(bytes) });
    expect((await download(uploaded.body.id)).bytes.equals(bytes)).toBe(true);
  });

  it('refuses a file over ARTIFACT_MAX_BYTES with 413, declared or streamed, and keeps none of it', async () => {
    const tooBig = randomBytes(MAX_BYTES + 1);
    const declared = await upload(tooBig, { name: 'declared.bin' });
    expect(declared.status).toBe(413);
    expect(declared.body.error).toMatchObject({ code: 'payload_too_large' });

    const streamed = await upload(streamOf(tooBig), { name: 'streamed-too-big.bin' });
    expect(streamed.status).toBe(413);
    expect(streamed.body.error).toMatchObject({ code: 'payload_too_large' });
    expect(await orphanChunkCount()).toBe(0);

    // Exactly the limit is fine.
    expect((await upload(tooBig.subarray(0, MAX_BYTES), { name: 'just-fits.bin' })).status).toBe(201);
  });

  it('keeps nothing of an upload the client abandons half-way', async () => {
    const controller = new AbortController();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(stream) {
        if (sent >= 3 * ARTIFACT_CHUNK_BYTES) {
          // Leave once the server has stored some of it, so there is something to clean up.
          while ((await orphanChunkCount()) === 0) await new Promise((r) => setTimeout(r, 20));
          controller.abort();
          return new Promise(() => undefined); // never sends the rest
        }
        stream.enqueue(randomBytes(64 * 1024));
        sent += 64 * 1024;
      },
    });
    await expect(
      fetch(`${app.url}/v1/artifacts?name=abandoned.bin`, {
        method: 'POST',
        headers: { authorization: `Bearer ${app.apiKey}` },
        body,
        duplex: 'half',
        signal: controller.signal,
      } as RequestInit),
    ).rejects.toThrow();
    const deadline = Date.now() + 10_000;
    // The server notices the cut connection, stops, and deletes the chunks it had written.
    while ((await orphanChunkCount()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await orphanChunkCount()).toBe(0);
    expect(
      await mongoose.connection.db!.collection('artifacts.files').countDocuments({ filename: 'abandoned.bin' }),
    ).toBe(0);
    // The server is still fine.
    expect((await upload(Buffer.from('after'), { name: 'after.txt' })).status).toBe(201);
  });

  it('validates the name and the Content-Type (422)', async () => {
    const bytes = Buffer.from('x');
    const noName = await fetch(`${app.url}/v1/artifacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${app.apiKey}` },
      body: bytes,
    });
    expect(noName.status).toBe(422);
    expect((await upload(bytes, { name: '../etc/passwd' })).status).toBe(422);
    const badType = await upload(bytes, { contentType: 'not a media type' });
    expect(badType.status).toBe(422);
    expect(badType.body.error.issues).toEqual([expect.objectContaining({ path: 'Content-Type' })]);
  });

  it('answers 404 for an unknown artifact', async () => {
    expect((await download('01JF0000000000000000000000')).status).toBe(404);
  });

  it('answers a JSON 500, not a broken file, when stored chunks are missing', async () => {
    const uploaded = await upload(randomBytes(2 * ARTIFACT_CHUNK_BYTES), {
      name: 'damaged.png',
      contentType: 'image/png',
    });
    await chunks().deleteMany({ files_id: uploaded.body.id });
    const got = await download(uploaded.body.id);
    expect(got.status).toBe(500);
    expect(got.headers.get('content-type')).toMatch(/^application\/json/);
    expect(got.headers.get('content-disposition')).toBeNull();
    expect(JSON.parse(got.bytes.toString()).error.code).toBe('internal_error');

    // Damage found after bytes went out: the connection is cut, never a short file that looks whole.
    const partly = await upload(randomBytes(3 * ARTIFACT_CHUNK_BYTES), { name: 'partly.bin' });
    await chunks().deleteMany({ files_id: partly.body.id, n: 2 });
    await expect(download(partly.body.id)).rejects.toThrow();
  });
});

describe('artifacts of a job, and workspaces', () => {
  it('lists the files attached to a job; an unknown job is 404 on upload and list', async () => {
    const jobId = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 } });
    const first = await upload(Buffer.from('one'), { name: 'one.txt', contentType: 'text/plain', jobId });
    const second = await upload(Buffer.from('two'), { name: 'two.txt', contentType: 'text/plain', jobId });
    expect(first.status).toBe(201);
    expect(first.body.jobId).toBe(jobId);

    const listed = await app.http.get(`/v1/jobs/${jobId}/artifacts`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ items: [first.body, second.body], nextCursor: null });

    expect((await upload(Buffer.from('x'), { jobId: 'no-such-job' })).status).toBe(404);
    expect((await app.http.get('/v1/jobs/no-such-job/artifacts')).status).toBe(404);
  });

  it("keeps artifacts to their workspace: another workspace's are 404 to download, list or transform", async () => {
    const jobId = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 } });
    const mine = await upload(await encode(8, 8, 'png'), { name: 'mine.png', jobId });
    expect(mine.status).toBe(201);

    const other = await app.createWorkspace(`artifacts-other-${Date.now()}`);
    const theirDownload = await download(mine.body.id, other.apiKey);
    expect(theirDownload.status).toBe(404);
    expect(JSON.parse(theirDownload.bytes.toString()).error.code).toBe('not_found');
    expect((await other.http.get(`/v1/jobs/${jobId}/artifacts`)).status).toBe(404);
    expect((await upload(Buffer.from('x'), { jobId, apiKey: other.apiKey })).status).toBe(404);

    const theirJob = await submit(other.http, {
      type: 'image.transform',
      payload: { input: { artifactId: mine.body.id } },
    });
    const failed = await waitForJobStatus(other.http, theirJob, ['completed', 'failed']);
    expect(failed.status).toBe('failed');
    expect(failed.error.message).toContain(`input artifact ${mine.body.id} not found`);
  });

  it('deletes every artifact of a workspace, bytes included, when the workspace is deleted', async () => {
    const owner = await app.signup('Artifact Leaver');
    const uploads = await Promise.all(
      ['a.bin', 'b.bin'].map((name) =>
        owner.http.request(
          'POST',
          `/v1/artifacts?name=${name}`,
          randomBytes(ARTIFACT_CHUNK_BYTES + 1).toString('hex'),
          {
            'content-type': 'application/octet-stream',
          },
        ),
      ),
    );
    const ids = uploads.map((uploaded) => uploaded.body.id as string);
    const mine = await upload(Buffer.from('stays'), { name: 'stays.txt' });
    expect(await chunks().countDocuments({ files_id: { $in: ids } })).toBe(6);

    expect((await owner.http.delete('/v1/workspace')).status).toBe(204);
    expect(
      await mongoose.connection.db!.collection('artifacts.files').countDocuments({ _id: { $in: ids } } as never),
    ).toBe(0);
    expect(await chunks().countDocuments({ files_id: { $in: ids } })).toBe(0);
    expect((await download(mine.body.id)).bytes.toString()).toBe('stays');
  });

  it("replaces a job's earlier artifact of the same name when a handler puts it again (safe to run twice)", async () => {
    const store = await GridFsArtifactStore.open(mongoose.connection, MAX_BYTES);
    const artifacts = jobArtifacts(store, app.workspaceId, 'job-run-twice');
    const first = await artifacts.put('out.txt', 'text/plain', Buffer.from('first run'));
    const second = await artifacts.put('out.txt', 'text/plain', Buffer.from('second run'));
    await artifacts.put('other.txt', 'text/plain', Buffer.from('kept'));
    const listed = await store.listForJob(app.workspaceId, 'job-run-twice', { limit: 10, cursor: undefined });
    expect(listed.items.map((artifact) => [artifact.id, artifact.name])).toEqual([
      [second.id, 'out.txt'],
      [expect.any(String), 'other.txt'],
    ]);
    expect(await store.find(app.workspaceId, first.id)).toBeUndefined();
    expect(await chunks().countDocuments({ files_id: first.id })).toBe(0);
    expect((await artifacts.get(second.id)).bytes.toString()).toBe('second run');
  });
});

describe('byte ranges (Range: bytes=…)', () => {
  /** Three chunks and a bit: ranges can start, end and cross chunk boundaries. */
  const bytes = randomBytes(3 * ARTIFACT_CHUNK_BYTES + 1000);
  const size = bytes.byteLength;
  const C = ARTIFACT_CHUNK_BYTES;
  let id: string;
  beforeAll(async () => {
    const uploaded = await upload(bytes, { name: 'ranged file.bin', contentType: 'application/x-test' });
    expect(uploaded.status).toBe(201);
    id = uploaded.body.id;
  });

  it.each([
    ['the first bytes', 'bytes=0-99', 0, 99],
    ['one byte', 'bytes=7-7', 7, 7],
    ['within one chunk', `bytes=${C + 10}-${C + 20}`, C + 10, C + 20],
    ['exactly one chunk', `bytes=${C}-${2 * C - 1}`, C, 2 * C - 1],
    ['across one chunk boundary', `bytes=${C - 10}-${C + 9}`, C - 10, C + 9],
    ['across three chunk boundaries', `bytes=100-${3 * C + 50}`, 100, 3 * C + 50],
    ['from an offset to the end', `bytes=${C + 5}-`, C + 5, size - 1],
    ['the last bytes', 'bytes=-500', size - 500, size - 1],
    ['the last byte', `bytes=${size - 1}-${size - 1}`, size - 1, size - 1],
    ['a suffix longer than the file (all of it)', `bytes=-${size + 10}`, 0, size - 1],
    ['a last byte past the end (up to the end)', `bytes=${3 * C}-${size + 100}`, 3 * C, size - 1],
    ['a lower-case unit with spaces', 'BYTES= 10-19 ', 10, 19],
  ])('answers 206 with %s (%s)', async (_what, range, start, end) => {
    const got = await downloadRange(id, range);
    expect(got.status).toBe(206);
    expect(got.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`);
    expect(got.headers.get('content-length')).toBe(String(end - start + 1));
    expect(got.bytes.equals(bytes.subarray(start, end + 1))).toBe(true);
    // The download's other headers stay.
    expect(got.headers.get('accept-ranges')).toBe('bytes');
    expect(got.headers.get('content-type')).toBe('application/x-test');
    expect(got.headers.get('content-disposition')).toBe('attachment; filename="ranged file.bin"');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(got.headers.get('etag')).toBe(`"${sha256(bytes)}"`);
  });

  it.each([
    ['starts at the end', `bytes=${size}-`],
    ['starts past the end', `bytes=${size + 5}-${size + 10}`],
    ['asks for the last zero bytes', 'bytes=-0'],
  ])('answers 416 range_not_satisfiable, with Content-Range: bytes */size, when the range %s', async (_what, range) => {
    const got = await downloadRange(id, range);
    expect(got.status).toBe(416);
    expect(got.headers.get('content-range')).toBe(`bytes */${size}`);
    expect(got.headers.get('content-type')).toMatch(/^application\/json/);
    expect(got.headers.get('content-disposition')).toBeNull();
    expect(JSON.parse(got.bytes.toString())).toEqual({
      error: { code: 'range_not_satisfiable', message: expect.any(String) },
    });
  });

  it('answers 416 to any range of an empty file', async () => {
    const empty = await upload(Buffer.alloc(0), { name: 'empty.bin' });
    expect(empty.status).toBe(201);
    const got = await downloadRange(empty.body.id, 'bytes=0-');
    expect(got.status).toBe(416);
    expect(got.headers.get('content-range')).toBe('bytes */0');
    expect((await download(empty.body.id)).status).toBe(200);
  });

  it.each([
    ['several ranges', 'bytes=0-9,20-29'],
    ['another unit', 'items=0-9'],
    ['a range that does not parse', 'bytes=ten-twenty'],
    ['a last byte before the first', 'bytes=20-10'],
  ])('ignores %s: 200 with the whole file', async (_what, range) => {
    const got = await downloadRange(id, range);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-range')).toBeNull();
    expect(got.headers.get('content-length')).toBe(String(size));
    expect(got.bytes.equals(bytes)).toBe(true);
  });

  it('keeps the range when If-Range is the ETag, and sends the whole file for any other validator', async () => {
    const etag = `"${sha256(bytes)}"`;
    const same = await downloadRange(id, 'bytes=0-9', { 'if-range': etag });
    expect(same.status).toBe(206);
    expect(same.bytes.equals(bytes.subarray(0, 10))).toBe(true);
    for (const other of ['"0000"', `W/${etag}`, 'Wed, 21 Oct 2015 07:28:00 GMT']) {
      const changed = await downloadRange(id, 'bytes=0-9', { 'if-range': other });
      expect([other, changed.status, changed.bytes.byteLength]).toEqual([other, 200, size]);
    }
  });

  it('answers 304 without the bytes when If-None-Match names the ETag, and the file otherwise', async () => {
    const etag = `"${sha256(bytes)}"`;
    for (const current of [etag, `W/${etag}`, `"0000", ${etag}`, '*']) {
      const got = await download(id, app.apiKey, 'GET', { 'if-none-match': current });
      expect([current, got.status, got.bytes.byteLength, got.headers.get('etag')]).toEqual([current, 304, 0, etag]);
    }
    const stale = await download(id, app.apiKey, 'GET', { 'if-none-match': '"0000"' });
    expect([stale.status, stale.bytes.byteLength]).toEqual([200, size]);
    // Another workspace learns nothing from a validator either.
    const other = await app.createWorkspace(`etag-other-${Date.now()}`);
    expect((await download(id, other.apiKey, 'GET', { 'if-none-match': etag })).status).toBe(404);
  });

  it("answers HEAD with the whole file's headers, whatever the Range", async () => {
    const head = await download(id, app.apiKey, 'HEAD', { range: 'bytes=0-9' });
    expect(head.status).toBe(200);
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    expect(head.headers.get('content-length')).toBe(String(size));
    expect(head.headers.get('content-range')).toBeNull();
  });

  it("answers 404 for another workspace's artifact before looking at the range", async () => {
    const other = await app.createWorkspace(`ranges-other-${Date.now()}`);
    const got = await download(id, other.apiKey, 'GET', { range: `bytes=${size + 1}-` });
    expect(got.status).toBe(404);
  });

  it('cuts the connection when a chunk of the range is missing once bytes went out', async () => {
    const damaged = await upload(randomBytes(3 * C), { name: 'damaged-range.bin' });
    await chunks().deleteMany({ files_id: damaged.body.id, n: 2 });
    expect((await downloadRange(damaged.body.id, `bytes=0-${C}`)).status).toBe(206);
    await expect(downloadRange(damaged.body.id, `bytes=${C - 10}-`)).rejects.toThrow();
  });
});

describe('parseByteRange', () => {
  it.each([
    ['bytes=0-0', 10, { start: 0, end: 0 }],
    ['bytes=2-', 10, { start: 2, end: 9 }],
    ['bytes=-3', 10, { start: 7, end: 9 }],
    ['bytes=-30', 10, { start: 0, end: 9 }],
    ['bytes=5-99', 10, { start: 5, end: 9 }],
    ['bytes=99999999999999999999-', 10, 'unsatisfiable'],
    ['bytes=10-', 10, 'unsatisfiable'],
    ['bytes=-0', 10, 'unsatisfiable'],
    ['bytes=-1', 0, 'unsatisfiable'],
    ['bytes=0-', 0, 'unsatisfiable'],
    ['bytes=-', 10, 'whole'],
    ['bytes=1-2,4-5', 10, 'whole'],
    ['bytes=3-1', 10, 'whole'],
    ['bytes=1.5-2', 10, 'whole'],
    ['pages=1-2', 10, 'whole'],
    ['', 10, 'whole'],
  ])('%s of %i bytes → %o', (header, size, expected) => {
    expect(parseByteRange(header, size)).toEqual(expected);
  });
});

describe('deleting an artifact', () => {
  it('answers 204, then the artifact is gone: 404 to download and again to delete, unlisted, its chunks removed', async () => {
    const jobId = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 } });
    const doomed = await upload(randomBytes(2 * ARTIFACT_CHUNK_BYTES + 1), { name: 'doomed.bin', jobId });
    const kept = await upload(Buffer.from('kept'), { name: 'kept.txt', jobId });
    expect(await chunks().countDocuments({ files_id: doomed.body.id })).toBe(3);

    const deleted = await app.http.delete(`/v1/artifacts/${doomed.body.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBe('');

    const gone = await download(doomed.body.id);
    expect(gone.status).toBe(404);
    expect(JSON.parse(gone.bytes.toString()).error.code).toBe('not_found');
    expect(await chunks().countDocuments({ files_id: doomed.body.id })).toBe(0);
    expect(await mongoose.connection.db!.collection('artifacts.files').countDocuments({ _id: doomed.body.id })).toBe(0);
    expect((await app.http.get(`/v1/jobs/${jobId}/artifacts`)).body.items).toEqual([kept.body]);
    const again = await app.http.delete(`/v1/artifacts/${doomed.body.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');
    // The job's other artifact is untouched.
    expect((await download(kept.body.id)).bytes.toString()).toBe('kept');
  });

  it('records who deleted what in the audit log (artifact.deleted)', async () => {
    const doomed = await upload(Buffer.from('audited'), { name: 'audited.txt' });
    expect((await app.http.delete(`/v1/artifacts/${doomed.body.id}`)).status).toBe(204);
    const audit = await app.http.get('/v1/audit?action=artifact.deleted');
    expect(audit.status).toBe(200);
    expect(audit.body.items[0]).toMatchObject({
      action: 'artifact.deleted',
      actor: { type: 'apiKey' },
      target: { type: 'artifact', id: doomed.body.id },
      details: { name: 'audited.txt', jobId: null, size: 7 },
    });
  });

  it("answers 404 for another workspace's artifact, exactly as GET does, and leaves it alone", async () => {
    const mine = await upload(Buffer.from('mine'), { name: 'mine.txt' });
    const other = await app.createWorkspace(`delete-other-${Date.now()}`);
    const theirs = await other.http.delete(`/v1/artifacts/${mine.body.id}`);
    const theirRead = await other.http.get(`/v1/artifacts/${mine.body.id}`);
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual({ error: { code: 'not_found', message: theirRead.body.error.message } });
    expect((await download(mine.body.id)).bytes.toString()).toBe('mine');
  });

  it('needs artifacts:delete: a key with jobs:write may, one with only jobs:read may not (403)', async () => {
    const doomed = await upload(Buffer.from('x'), { name: 'permission.txt' });
    const reader = httpClient(app.url, await keyWith('jobs:read'));
    const refused = await reader.delete(`/v1/artifacts/${doomed.body.id}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect((await download(doomed.body.id)).status).toBe(200);

    const writer = httpClient(app.url, await keyWith('jobs:write'));
    expect((await writer.delete(`/v1/artifacts/${doomed.body.id}`)).status).toBe(204);
  });

  it('lets members delete, not viewers (403)', async () => {
    const owner = await app.signup('Artifact Owner');
    const viewer = await app.signup('Artifact Viewer');
    const member = await app.signup('Artifact Member');
    for (const [person, role] of [
      [viewer, 'viewer'],
      [member, 'member'],
    ] as const)
      expect((await owner.http.post('/v1/members', { email: person.user.email, role })).status).toBe(201);
    const uploaded = await owner.http.request('POST', '/v1/artifacts?name=team.txt', 'team', {
      'content-type': 'text/plain',
    });
    expect(uploaded.status).toBe(201);
    const path = `/v1/artifacts/${uploaded.body.id}`;
    const refused = await viewer.in(owner.slug).delete(path);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect((await member.in(owner.slug).delete(path)).status).toBe(204);
  });
});

describe("paging a job's artifacts", () => {
  let jobId: string;
  let all: { id: string }[];
  beforeAll(async () => {
    jobId = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 } });
    all = [];
    for (let index = 0; index < 5; index++)
      all.push(
        (await upload(Buffer.from(`file ${index}`), { name: `page-${index}.txt`, jobId })).body as { id: string },
      );
  });

  it('lists every artifact on one page by default, nextCursor null', async () => {
    const listed = await app.http.get(`/v1/jobs/${jobId}/artifacts`);
    expect(listed.body).toEqual({ items: all, nextCursor: null });
  });

  it('pages oldest first with limit and cursor, as comments do, to a last page whose nextCursor is null', async () => {
    const pages: { items: { id: string }[]; nextCursor: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const query: string = new URLSearchParams({ limit: '2', ...(cursor ? { cursor } : {}) }).toString();
      const page = await app.http.get(`/v1/jobs/${jobId}/artifacts?${query}`);
      expect(page.status).toBe(200);
      pages.push(page.body);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((page) => page.items)).toEqual(all);
    expect(pages[0]!.nextCursor).toBe(all[1]!.id);
  });

  it('says nextCursor is null when a page ends exactly at the last artifact', async () => {
    const page = await app.http.get(`/v1/jobs/${jobId}/artifacts?limit=5`);
    expect(page.body).toEqual({ items: all, nextCursor: null });
  });

  it.each([['limit=0'], ['limit=201'], ['limit=two'], ['limit=-1'], ['page=2']])(
    'refuses ?%s with 422',
    async (query) => {
      const answer = await app.http.get(`/v1/jobs/${jobId}/artifacts?${query}`);
      expect(answer.status).toBe(422);
      expect(answer.body.error.code).toBe('validation_failed');
    },
  );
});

/** Raw RGB pixels of a two-colour image (left half red, right half blue), for sharp to encode. */
function solid(width: number, height: number) {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) pixels.set(x < width / 2 ? [220, 20, 20] : [20, 20, 220], (y * width + x) * 3);
  return { raw: { width, height, channels: 3 as const }, data: pixels } as const;
}
const encode = (width: number, height: number, format: 'png' | 'jpeg') => {
  const { raw, data } = solid(width, height);
  return sharp(data, { raw }).toFormat(format).toBuffer();
};

describe('image.transform', () => {
  let input: { id: string };
  beforeAll(async () => {
    const uploaded = await upload(await encode(400, 300, 'png'), { name: 'photo.png', contentType: 'image/png' });
    expect(uploaded.status).toBe(201);
    input = uploaded.body;
  });

  it.each([
    {
      transform: {
        crop: { left: 50, top: 50, width: 200, height: 100 },
        resize: { width: 100 },
        format: 'webp',
        quality: 80,
      },
      expected: {
        width: 100,
        height: 50,
        format: 'webp',
        sharpFormat: 'webp',
        contentType: 'image/webp',
        name: 'photo.webp',
      },
    },
    {
      transform: { resize: { width: 64, height: 64, fit: 'fill' }, format: 'jpeg', quality: 50 },
      expected: {
        width: 64,
        height: 64,
        format: 'jpeg',
        sharpFormat: 'jpeg',
        contentType: 'image/jpeg',
        name: 'photo.jpg',
      },
    },
    {
      transform: { resize: { height: 30 }, format: 'avif' },
      expected: {
        width: 40,
        height: 30,
        format: 'avif',
        sharpFormat: 'heif',
        contentType: 'image/avif',
        name: 'photo.avif',
      },
    },
    {
      transform: { crop: { left: 0, top: 0, width: 10, height: 20 } },
      expected: {
        width: 10,
        height: 20,
        format: 'png',
        sharpFormat: 'png',
        contentType: 'image/png',
        name: 'photo.png',
      },
    },
  ])(
    'makes a $expected.width x $expected.height $expected.format artifact of the job',
    async ({ transform, expected }) => {
      const jobId = await submit(app.http, {
        type: 'image.transform',
        payload: { input: { artifactId: input.id }, ...transform },
      });
      const job = await waitForJobStatus(app.http, jobId, ['completed', 'failed']);
      expect(job).toMatchObject({ status: 'completed', progress: 100, error: null, queue: 'image' });
      expect(job.result).toEqual({
        artifactId: expect.any(String),
        width: expected.width,
        height: expected.height,
        format: expected.format,
        size: expect.any(Number),
      });

      const output = await download(job.result.artifactId);
      expect(output.status).toBe(200);
      expect(output.headers.get('content-type')).toBe(expected.contentType);
      expect(output.bytes.byteLength).toBe(job.result.size);
      const metadata = await sharp(output.bytes).metadata();
      expect(metadata).toMatchObject({ width: expected.width, height: expected.height, format: expected.sharpFormat });

      const listed = await app.http.get(`/v1/jobs/${jobId}/artifacts`);
      expect(listed.body.items).toEqual([
        expect.objectContaining({ id: job.result.artifactId, jobId, name: expected.name, size: job.result.size }),
      ]);
    },
  );

  it('crops the area asked for (left half red, right half blue)', async () => {
    const jobId = await submit(app.http, {
      type: 'image.transform',
      payload: { input: { artifactId: input.id }, crop: { left: 300, top: 0, width: 50, height: 50 }, format: 'png' },
    });
    const job = await waitForJobStatus(app.http, jobId, ['completed', 'failed']);
    expect(job.status).toBe('completed');
    const { data } = await sharp((await download(job.result.artifactId)).bytes)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 3)]).toEqual([20, 20, 220]);
  });

  it.each([
    [{}, 'payload.input'],
    [{ input: { artifactId: 'x' }, resize: { width: 20_000 } }, 'payload.resize.width'],
    [{ input: { artifactId: 'x' }, resize: {} }, 'payload.resize'],
    [{ input: { artifactId: 'x' }, format: 'gif' }, 'payload.format'],
    [{ input: { artifactId: 'x' }, quality: 0 }, 'payload.quality'],
    [{ input: { artifactId: 'x' }, crop: { left: -1, top: 0, width: 1, height: 1 } }, 'payload.crop.left'],
  ])('refuses the payload %o at submit with 422 naming %s', async (payload, path) => {
    const answer = await app.http.post('/v1/jobs', { type: 'image.transform', payload });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('invalid_payload');
    expect(answer.body.error.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  });

  it('fails at once, saying which input is missing, when the input artifact does not exist', async () => {
    const jobId = await submit(app.http, {
      type: 'image.transform',
      payload: { input: { artifactId: '01JF0000000000000000000000' } },
      attempts: 3,
    });
    const job = await waitForJobStatus(app.http, jobId, ['completed', 'failed']);
    expect(job.status).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.error.message).toBe('input artifact 01JF0000000000000000000000 not found in this workspace');
  });

  it('fails clearly when the input is not an image, or the crop lies outside it', async () => {
    const text = await upload(Buffer.from('not an image'), { name: 'notes.txt', contentType: 'text/plain' });
    const notImage = await submit(app.http, {
      type: 'image.transform',
      payload: { input: { artifactId: text.body.id } },
    });
    const outside = await submit(app.http, {
      type: 'image.transform',
      payload: { input: { artifactId: input.id }, crop: { left: 350, top: 0, width: 100, height: 10 } },
    });
    const [first, second] = await Promise.all(
      [notImage, outside].map((id) => waitForJobStatus(app.http, id, ['completed', 'failed'])),
    );
    expect(first.status).toBe('failed');
    expect(first.error.message).toMatch(new RegExp(`^input artifact ${text.body.id} is not an image sharp can read`));
    expect(second.status).toBe('failed');
    expect(second.error.message).toBe('crop 100x10 at (350, 0) lies outside the 400x300 input');
  });
});

describe('sweeping orphaned chunks', () => {
  const HOUR = 60 * 60_000;
  let store: GridFsArtifactStore;
  beforeAll(async () => {
    store = await GridFsArtifactStore.open(mongoose.connection, MAX_BYTES);
  });

  /** Chunks of an artifact id that has no files document, as if written `ageMs` ago (chunk ids carry their time). */
  async function insertChunks(filesId: string, ageMs: number, count: number, firstN = 0): Promise<void> {
    const seconds = Math.floor((Date.now() - ageMs) / 1000);
    await chunks().insertMany(
      Array.from({ length: count }, (_, index) => ({
        _id: new mongoose.mongo.ObjectId(mongoose.mongo.ObjectId.generate(seconds)),
        files_id: filesId,
        n: firstN + index,
        data: new mongoose.mongo.Binary(randomBytes(16)),
      })) as never[],
    );
  }
  const chunkCount = (filesId: string) => chunks().countDocuments({ files_id: filesId });

  /** An artifact uploaded two hours ago: its chunks and its files document are old. */
  async function oldArtifact(): Promise<{ id: string; bytes: Buffer }> {
    const bytes = randomBytes(2 * ARTIFACT_CHUNK_BYTES + 3);
    const uploaded = await upload(bytes, { name: 'old.bin' });
    const seconds = Math.floor((Date.now() - 2 * HOUR) / 1000);
    const stored = await chunks().find({ files_id: uploaded.body.id }).toArray();
    await chunks().deleteMany({ files_id: uploaded.body.id });
    await chunks().insertMany(
      stored.map((chunk) => ({
        ...chunk,
        _id: new mongoose.mongo.ObjectId(mongoose.mongo.ObjectId.generate(seconds)),
      })),
    );
    return { id: uploaded.body.id, bytes };
  }

  it('removes old orphans, keeps the chunks of artifacts and orphans still within the grace period', async () => {
    const old = ulid();
    const fresh = ulid();
    // An upload that began long ago and wrote a chunk just now is still going on.
    const slow = ulid();
    await insertChunks(old, 2 * HOUR, 3);
    await insertChunks(fresh, 60_000, 2);
    await insertChunks(slow, 2 * HOUR, 2);
    await insertChunks(slow, 1_000, 1, 2);
    const live = await oldArtifact();
    const recent = await upload(randomBytes(ARTIFACT_CHUNK_BYTES + 1), { name: 'recent.bin' });

    const sweeper = new OrphanChunkSweeper(
      store,
      new RedisLease(app.redis, `${app.keys.artifactSweep}:${ulid()}`, HOUR),
      pino({ level: 'silent' }),
    );
    const swept = await sweeper.sweep();
    expect(swept.files).toBeGreaterThanOrEqual(1);
    expect(swept.chunks).toBeGreaterThanOrEqual(3);

    expect(await chunkCount(old)).toBe(0);
    expect(await chunkCount(fresh)).toBe(2);
    expect(await chunkCount(slow)).toBe(3);
    expect(await chunkCount(live.id)).toBe(3);
    expect((await download(live.id)).bytes.equals(live.bytes)).toBe(true);
    expect(await chunkCount(recent.body.id)).toBe(2);
    expect((await download(recent.body.id)).status).toBe(200);

    await chunks().deleteMany({ files_id: { $in: [fresh, slow] } });
  });

  it('walks the chunks in batches: orphans spread over several batches all go, artifacts between them stay', async () => {
    const orphans = [ulid(), ulid(), ulid()];
    for (const [index, id] of orphans.entries()) await insertChunks(id, 2 * HOUR, index + 2);
    const kept = await oldArtifact();

    const swept = await store.removeOrphanChunks(new Date(Date.now() - HOUR), undefined, 2);
    expect(swept.files).toBeGreaterThanOrEqual(3);
    for (const id of orphans) expect(await chunkCount(id)).toBe(0);
    expect(await chunkCount(kept.id)).toBe(3);
    expect(await orphanChunkCount()).toBe(0);
  });

  it('sweeps once per period across processes: the lease goes to the first, and to the next once it runs out', async () => {
    const key = `${app.keys.artifactSweep}:${ulid()}`;
    const timing = { ...ORPHAN_SWEEP_TIMING, everyMs: 5_000 };
    const logger = pino({ level: 'silent' });
    const [first, second] = [0, 1].map(
      () => new OrphanChunkSweeper(store, new RedisLease(app.redis, key, timing.everyMs), logger, timing),
    );
    const orphan = ulid();
    await insertChunks(orphan, 2 * HOUR, 1);

    expect(await first!.tick()).toEqual({ files: 1, chunks: 1 });
    expect(await chunkCount(orphan)).toBe(0);
    // This period's sweep is done: neither the other process nor the same one sweeps again.
    expect(await second!.tick()).toBeNull();
    expect(await first!.tick()).toBeNull();
    const left = await app.redis.pttl(key);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(timing.everyMs);
    // Once the period is over, whichever process asks first sweeps.
    await app.redis.pexpire(key, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await second!.tick()).toEqual({ files: 0, chunks: 0 });
    expect(await first!.tick()).toBeNull();
    await Promise.all([first!.stop(), second!.stop()]);
  });
});
