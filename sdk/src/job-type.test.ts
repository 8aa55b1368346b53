import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defineJobType, registrationOf } from './job-type';
import { SDK_VERSION } from './version';

describe('defineJobType', () => {
  it('refuses a name Flightdeck would refuse, where the type is written', () => {
    const run = async () => ({});
    expect(() => defineJobType({ name: 'Email Render', payload: z.object({}), run })).toThrow(/Email Render/);
    expect(() => defineJobType({ name: 'email..render', payload: z.object({}), run })).toThrow(TypeError);
    expect(defineJobType({ name: 'email.render', payload: z.object({}), run }).name).toBe('email.render');
  });
});

describe('registrationOf', () => {
  it('sends the payload as a submitter writes it (defaults optional) and the result as run returns it', () => {
    const definition = defineJobType({
      name: 'report.build',
      queue: 'reports',
      payload: z.strictObject({ title: z.string(), pages: z.number().int().default(1) }),
      result: z.strictObject({ url: z.string() }),
      defaults: { attempts: 2 },
      run: async () => ({ url: 'https://example.test/r' }),
    });
    const registration = registrationOf(definition);
    expect(registration).toEqual({
      queue: 'reports',
      payloadSchema: expect.objectContaining({ type: 'object', required: ['title'], additionalProperties: false }),
      resultSchema: expect.objectContaining({ type: 'object', required: ['url'] }),
      defaults: { attempts: 2 },
    });
    expect(registration.payloadSchema.properties).toEqual({
      title: { type: 'string' },
      pages: { type: 'integer', default: 1, minimum: expect.any(Number), maximum: expect.any(Number) },
    });
  });

  it('leaves out what the definition does not say', () => {
    const registration = registrationOf(defineJobType({ name: 'a.b', payload: z.object({}), run: async () => 1 }));
    expect(Object.keys(registration)).toEqual(['payloadSchema']);
  });
});

it('says the version package.json says', () => {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  expect(SDK_VERSION).toBe(manifest.version);
});
