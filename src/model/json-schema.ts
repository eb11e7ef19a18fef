/**
 * The part of JSON Schema (draft-07) the model's schemas use, and `FromSchema`: the TypeScript type of the
 * documents a schema accepts, computed by the compiler from the schema written as an `as const` object. So a
 * schema is the one source of both its validator (ajv) and its type, and the two cannot drift apart.
 *
 * Only what the schemas here use is understood: `type` (one or a list), `const`, `enum`, `oneOf`/`anyOf`,
 * `properties` with `required`, `additionalProperties` (false, or a schema: a record), `items` (one schema,
 * or a list: a tuple) and `$ref` to `#/definitions/NAME` of the root. Constraints (`minimum`, `pattern`,
 * `format`, ...) narrow the documents, not the type.
 */

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'array' | 'object';
type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };

export interface JsonSchema {
  readonly $schema?: string;
  readonly $id?: string;
  readonly $ref?: string;
  readonly title?: string;
  readonly description?: string;
  readonly type?: JsonType | readonly JsonType[];
  readonly const?: JsonValue;
  readonly enum?: readonly JsonValue[];
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly properties?: { readonly [name: string]: JsonSchema };
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema | readonly JsonSchema[];
  readonly additionalItems?: boolean;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly format?: 'date-time';
  readonly definitions?: { readonly [name: string]: JsonSchema };
}

/** Shows an intersection of mapped types as one object type (in hovers and errors). */
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The named schemas `$ref` may point at: the root's `definitions`. */
type Definitions = Readonly<Record<string, unknown>>;

type Primitive<T, S, D extends Definitions> = T extends 'string'
  ? string
  : T extends 'number' | 'integer'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'null'
        ? null
        : T extends 'array'
          ? ArrayOf<S, D>
          : T extends 'object'
            ? ObjectOf<S, D>
            : never;

type ArrayOf<S, D extends Definitions> = S extends { items: infer I }
  ? I extends readonly unknown[]
    ? { -readonly [K in keyof I]: Resolve<I[K], D> }
    : Resolve<I, D>[]
  : unknown[];

type RequiredKeys<S> = S extends { required: readonly (infer R)[] } ? R : never;

type ObjectOf<S, D extends Definitions> = Simplify<
  (S extends { properties: infer P }
    ? { -readonly [K in keyof P as K extends RequiredKeys<S> ? K : never]: Resolve<P[K], D> } & {
        -readonly [K in keyof P as K extends RequiredKeys<S> ? never : K]?: Resolve<P[K], D>;
      }
    : unknown) &
    (S extends { additionalProperties: infer A }
      ? A extends boolean
        ? unknown
        : Record<string, Resolve<A, D>>
      : unknown)
>;

type Resolve<S, D extends Definitions> = S extends { $ref: `#/definitions/${infer Name}` }
  ? Resolve<D[Name], D>
  : S extends { const: infer C }
    ? C
    : S extends { enum: readonly (infer E)[] }
      ? E
      : S extends { oneOf: readonly (infer O)[] }
        ? Resolve<O, D>
        : S extends { anyOf: readonly (infer O)[] }
          ? Resolve<O, D>
          : S extends { type: infer T }
            ? T extends readonly (infer U)[]
              ? Primitive<U, S, D>
              : Primitive<T, S, D>
            : unknown;

/**
 * The type of what `Schema` accepts; `Root` is the document whose `definitions` its `$ref`s name (the schema
 * itself unless it is one of those definitions).
 */
export type FromSchema<Schema, Root = Schema> = Resolve<
  Schema,
  Root extends { definitions: infer D extends Definitions } ? D : Readonly<Record<string, never>>
>;
