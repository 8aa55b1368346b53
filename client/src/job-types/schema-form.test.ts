import { fieldsOf, payloadOf } from './schema-form';

// The schema of a registered type as zod's z.toJSONSchema (input shape) makes it.
const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    title: { type: 'string', maxLength: 10, description: 'Shown on the cover' },
    pages: { type: 'integer', minimum: 1, maximum: 100, default: 3 },
    ratio: { type: 'number' },
    draft: { type: 'boolean' },
    format: { type: 'string', enum: ['pdf', 'html'] },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['title', 'format'],
  additionalProperties: false,
};

describe('fieldsOf', () => {
  it('makes one field per property, with its kind, bounds, default and whether it is required', () => {
    expect(fieldsOf(schema)).toEqual([
      { name: 'title', kind: 'string', required: true, description: 'Shown on the cover', initial: '', maxLength: 10 },
      { name: 'pages', kind: 'integer', required: false, description: '', initial: '3', minimum: 1, maximum: 100 },
      { name: 'ratio', kind: 'number', required: false, description: '', initial: '' },
      { name: 'draft', kind: 'boolean', required: false, description: '', initial: '' },
      { name: 'format', kind: 'choice', required: true, description: '', initial: '', options: ['pdf', 'html'] },
      { name: 'tags', kind: 'json', required: false, description: '', initial: '' },
    ]);
  });

  it('offers one JSON field for a schema that is not an object with properties', () => {
    expect(fieldsOf({ type: 'object' })).toEqual([expect.objectContaining({ name: '', kind: 'json' })]);
  });
});

describe('payloadOf', () => {
  const fields = fieldsOf(schema);

  it('turns the texts into a payload, leaving empty optional fields to the defaults', () => {
    expect(
      payloadOf(fields, { title: ' Q3 ', format: 'pdf', pages: '', ratio: '1.5', draft: 'true', tags: '["a"]' }),
    ).toEqual({
      payload: { title: 'Q3', format: 'pdf', ratio: 1.5, draft: true, tags: ['a'] },
    });
  });

  it('names each field that is wrong', () => {
    expect(
      payloadOf(fields, { title: 'a very long title', pages: '2.5', ratio: 'x', format: 'doc', tags: '[' }),
    ).toEqual({
      errors: {
        title: 'At most 10 characters.',
        pages: 'A whole number.',
        ratio: 'A number.',
        format: 'One of pdf, html.',
        tags: 'Not valid JSON.',
      },
    });
    expect(payloadOf(fields, { pages: '0' })).toEqual({
      errors: { title: 'Required.', pages: 'At least 1.', format: 'Required.' },
    });
  });

  it('takes a whole payload as JSON when the schema has no properties', () => {
    const whole = fieldsOf({ type: 'object' });
    expect(payloadOf(whole, { '': '{"a":1}' })).toEqual({ payload: { a: 1 } });
    expect(payloadOf(whole, { '': '[1]' })).toEqual({ errors: { '': 'The payload must be a JSON object.' } });
  });
});
