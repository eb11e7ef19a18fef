import { Ajv } from 'ajv';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { FromSchema } from '../../../src/model/json-schema.js';

// The type checks below are checked by `npm run typecheck` (tsc reads test files); a wrong type fails it.
const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'size', 'kind', 'tags', 'bounds', 'point'],
  properties: {
    name: { type: 'string', minLength: 1 },
    size: { type: ['integer', 'null'], minimum: 0 },
    kind: { enum: ['a', 'b', null] },
    version: { const: 'v1' },
    tags: { type: 'object', additionalProperties: { type: ['number', 'null'] } },
    bounds: { type: 'array', items: [{ type: 'number' }, { type: ['number', 'null'] }], minItems: 2 },
    point: { oneOf: [{ type: 'null' }, { $ref: '#/definitions/point' }] },
    points: { type: 'array', items: { $ref: '#/definitions/point' } },
  },
  definitions: {
    point: {
      type: 'object',
      required: ['t'],
      properties: { t: { type: 'number' }, label: { type: 'string' } },
    },
  },
} as const;

describe('FromSchema', () => {
  it('derives required, optional, nullable, enum, const, record, tuple and $ref types', () => {
    type Point = { t: number; label?: string };
    expectTypeOf<FromSchema<typeof schema>>().toEqualTypeOf<{
      name: string;
      size: number | null;
      kind: 'a' | 'b' | null;
      version?: 'v1';
      tags: Record<string, number | null>;
      bounds: [number, number | null];
      point: Point | null;
      points?: Point[];
    }>();
    expectTypeOf<FromSchema<typeof schema.definitions.point, typeof schema>>().toEqualTypeOf<Point>();
  });

  it('types documents the schema accepts, and not the ones it rejects', () => {
    const validate = new Ajv({ strict: true, strictTuples: false }).compile(schema);
    const doc: FromSchema<typeof schema> = {
      name: 'x',
      size: null,
      kind: null,
      tags: { a: 1, b: null },
      bounds: [0, null],
      point: { t: 1 },
    };
    expect(validate(doc)).toBe(true);
    // @ts-expect-error -- a name must be a string, for the type as for the schema
    const wrong: FromSchema<typeof schema> = { ...doc, name: 1 };
    expect(validate(wrong)).toBe(false);
  });
});
