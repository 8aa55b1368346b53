import { UnrecoverableError } from 'bullmq';
import sharp from 'sharp';
import type { Artifact } from '@flightdeck/contract';
import type { ArtifactStore } from '../artifact-store';
import imageTransform, { imageTransformPayloadSchema } from './image.transform';
import { fakeJobContext } from '../../test/support/fake-job-context';

/** An in-memory artifact store: a unit-test fake (the integration tests use GridFS on FerretDB). */
function memoryStore() {
  const files = new Map<string, { artifact: Artifact & { workspaceId: string }; bytes: Buffer }>();
  let next = 0;
  const store: ArtifactStore = {
    async put({ workspaceId, jobId, name, contentType, bytes }) {
      const artifact = {
        id: `a${++next}`,
        jobId: jobId ?? null,
        name,
        contentType,
        size: bytes.byteLength,
        createdAt: new Date().toISOString(),
      };
      files.set(artifact.id, { artifact: { ...artifact, workspaceId }, bytes: Buffer.from(bytes) });
      return artifact;
    },
    async read(workspaceId, id) {
      const file = files.get(id);
      if (!file || file.artifact.workspaceId !== workspaceId) return undefined;
      const { workspaceId: _workspace, ...artifact } = file.artifact;
      return { artifact, bytes: file.bytes };
    },
    async removeJobArtifactsNamed(workspaceId, jobId, name, keepId) {
      for (const [id, { artifact }] of files) {
        if (artifact.workspaceId === workspaceId && artifact.jobId === jobId && artifact.name === name && id !== keepId)
          files.delete(id);
      }
    },
  };
  return { store, files };
}

const context = (store: ArtifactStore, signal?: AbortSignal) =>
  fakeJobContext({ store, ...(signal ? { signal } : {}) });

const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .png()
    .toBuffer();

describe('image.transform', () => {
  it('crops, then resizes, then encodes, storing the output as an artifact of the job', async () => {
    const { store, files } = memoryStore();
    const input = await store.put({
      workspaceId: 'w1',
      name: 'photo.png',
      contentType: 'image/png',
      bytes: await png(400, 300),
    });
    const { ctx, progress, lines } = context(store);
    const payload = imageTransformPayloadSchema.parse({
      input: { artifactId: input.id },
      crop: { left: 100, top: 50, width: 200, height: 100 },
      resize: { width: 50 },
      format: 'webp',
      quality: 70,
    });
    const result = await imageTransform.run(payload, ctx);

    expect(result).toMatchObject({ width: 50, height: 25, format: 'webp' });
    const output = files.get(result.artifactId)!;
    expect(output.artifact).toMatchObject({ jobId: 'job-1', name: 'photo.webp', contentType: 'image/webp' });
    expect(result.size).toBe(output.bytes.byteLength);
    const metadata = await sharp(output.bytes).metadata();
    expect(metadata).toMatchObject({ format: 'webp', width: 50, height: 25 });
    expect(progress).toEqual([20, 40, 80, 100]);
    expect(lines).toEqual([expect.stringContaining('400x300 png → 50x25 webp')]);
    expect(imageTransform.resultSchema!.safeParse(result).success).toBe(true);
  });

  it("keeps the input's format when none is asked for, and replaces its own output when run again", async () => {
    const { store, files } = memoryStore();
    const input = await store.put({
      workspaceId: 'w1',
      name: 'a.png',
      contentType: 'image/png',
      bytes: await png(20, 10),
    });
    const payload = imageTransformPayloadSchema.parse({ input: { artifactId: input.id }, resize: { height: 5 } });
    const first = await imageTransform.run(payload, context(store).ctx);
    const second = await imageTransform.run(payload, context(store).ctx);
    expect(second).toMatchObject({ width: 10, height: 5, format: 'png' });
    expect(files.has(first.artifactId)).toBe(false);
    expect([...files.values()].filter(({ artifact }) => artifact.jobId === 'job-1')).toHaveLength(1);
  });

  it('fails unrecoverably, saying why, on a missing input, a non-image input or a crop outside the input', async () => {
    const { store } = memoryStore();
    const { ctx } = context(store);
    const missing = imageTransform.run(imageTransformPayloadSchema.parse({ input: { artifactId: 'nope' } }), ctx);
    await expect(missing).rejects.toThrow(UnrecoverableError);
    await expect(missing).rejects.toThrow('input artifact nope not found in this workspace');

    const text = await store.put({
      workspaceId: 'w1',
      name: 't.txt',
      contentType: 'text/plain',
      bytes: Buffer.from('hi'),
    });
    await expect(
      imageTransform.run(imageTransformPayloadSchema.parse({ input: { artifactId: text.id } }), ctx),
    ).rejects.toThrow(/is not an image sharp can read/);

    const image = await store.put({
      workspaceId: 'w1',
      name: 'i.png',
      contentType: 'image/png',
      bytes: await png(10, 10),
    });
    await expect(
      imageTransform.run(
        imageTransformPayloadSchema.parse({
          input: { artifactId: image.id },
          crop: { left: 5, top: 0, width: 10, height: 10 },
        }),
        ctx,
      ),
    ).rejects.toThrow('crop 10x10 at (5, 0) lies outside the 10x10 input');
  });

  it("does not read another workspace's artifact", async () => {
    const { store } = memoryStore();
    const theirs = await store.put({
      workspaceId: 'w2',
      name: 'x.png',
      contentType: 'image/png',
      bytes: await png(4, 4),
    });
    await expect(
      imageTransform.run(imageTransformPayloadSchema.parse({ input: { artifactId: theirs.id } }), context(store).ctx),
    ).rejects.toThrow(`input artifact ${theirs.id} not found`);
  });

  it('stops when its signal has fired', async () => {
    const { store, files } = memoryStore();
    const input = await store.put({
      workspaceId: 'w1',
      name: 'a.png',
      contentType: 'image/png',
      bytes: await png(8, 8),
    });
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(
      imageTransform.run(
        imageTransformPayloadSchema.parse({ input: { artifactId: input.id } }),
        context(store, controller.signal).ctx,
      ),
    ).rejects.toThrow('cancelled');
    expect(files.size).toBe(1);
  });

  it.each([
    {},
    { input: {} },
    { input: { artifactId: '' } },
    { input: { artifactId: 'a' }, format: 'gif' },
    { input: { artifactId: 'a' }, quality: 0 },
    { input: { artifactId: 'a' }, quality: 101 },
    { input: { artifactId: 'a' }, resize: {} },
    { input: { artifactId: 'a' }, resize: { width: 10_001 } },
    { input: { artifactId: 'a' }, resize: { width: 10, fit: 'stretch' } },
    { input: { artifactId: 'a' }, crop: { left: -1, top: 0, width: 1, height: 1 } },
    { input: { artifactId: 'a' }, crop: { left: 0, top: 0, width: 0, height: 1 } },
    { input: { artifactId: 'a' }, crop: { left: 0, top: 0, width: 1 } },
    { input: { artifactId: 'a' }, extra: true },
  ])('refuses the payload %o', (payload) => {
    expect(imageTransformPayloadSchema.safeParse(payload).success).toBe(false);
  });
});
