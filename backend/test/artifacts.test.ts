import { createHash, randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import sharp from 'sharp';
import { jobArtifacts } from '@flightdeck/workers';
import { ARTIFACT_CHUNK_BYTES, GridFsArtifactStore } from '../src/artifacts/artifact-store';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { waitForJobStatus, type HttpClient } from './support/http-client';

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

async function download(id: string, apiKey = app.apiKey, method = 'GET') {
  const response = await fetch(`${app.url}/v1/artifacts/${id}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}` },
  });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
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
    expect(listed.body).toEqual({ items: [first.body, second.body] });

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

  it("replaces a job's earlier artifact of the same name when a handler puts it again (safe to run twice)", async () => {
    const store = await GridFsArtifactStore.open(mongoose.connection, MAX_BYTES);
    const artifacts = jobArtifacts(store, app.workspaceId, 'job-run-twice');
    const first = await artifacts.put('out.txt', 'text/plain', Buffer.from('first run'));
    const second = await artifacts.put('out.txt', 'text/plain', Buffer.from('second run'));
    await artifacts.put('other.txt', 'text/plain', Buffer.from('kept'));
    const listed = await store.listForJob(app.workspaceId, 'job-run-twice');
    expect(listed.map((artifact) => [artifact.id, artifact.name])).toEqual([
      [second.id, 'out.txt'],
      [expect.any(String), 'other.txt'],
    ]);
    expect(await store.find(app.workspaceId, first.id)).toBeUndefined();
    expect(await chunks().countDocuments({ files_id: first.id })).toBe(0);
    expect((await artifacts.get(second.id)).bytes.toString()).toBe('second run');
  });
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
