import fc, { type Arbitrary } from 'fast-check';
import { safeParse, type $ZodType as ZodType } from 'zod/v4/core';
import { jsonSchemaOf } from '../../../tools/openapi/build.ts';

/**
 * fast-check arbitraries driven by the routes' own zod schemas (through their JSON Schema, the
 * same one the OpenAPI document shows): `valid(schema)` makes inputs the schema accepts, and
 * `invalid(schema)` makes mutants of them that it refuses — a field of the wrong type, a required
 * field missing, an unknown field, a value out of range or off its pattern, or something else
 * entirely. Every mutant is checked against the zod schema itself, so "invalid" is never a guess.
 */
type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  default?: unknown;
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const EMAIL = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/), fc.stringMatching(/^[a-z]{2,10}$/), fc.constantFrom('test', 'example', 'de', 'com'))
  .map(([user, host, tld]) => `${user}@${host}.${tld}`);

function stringArb(s: Schema): Arbitrary<string> {
  if (s.format === 'email') return EMAIL;
  let arb: Arbitrary<string>;
  if (s.pattern) {
    try {
      arb = fc.stringMatching(new RegExp(s.pattern));
    } catch {
      arb = fc.string();
    }
  } else if (s.format === 'date-time') {
    arb = fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  } else if (s.format === 'date') {
    arb = fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  } else {
    const min = s.minLength ?? 0;
    const max = Math.max(min, Math.min(s.maxLength ?? 40, 40));
    // Printable text that survives zod's .trim() (no edge spaces when a minimum length applies).
    return fc.stringMatching(new RegExp(`^[A-Za-z0-9äöüéñ][A-Za-z0-9 äöüéñ.,-]{${Math.max(0, min - 1)},${Math.max(0, max - 1)}}$`)).filter((v) => v.trim() === v);
  }
  return arb.filter((v) => v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Infinity));
}

function numberArb(s: Schema, integer: boolean): Arbitrary<number> {
  const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000);
  const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : Math.max(min + 1000, 1000));
  if (integer) return fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, Number.MAX_SAFE_INTEGER)) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Inputs the schema accepts (best effort; callers filter with zod). */
export function validOf(s: Schema): Arbitrary<Json> {
  if (s.const !== undefined) return fc.constant(s.const as Json);
  if (s.enum) return fc.constantFrom(...(s.enum as Json[]));
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map(validOf));
  if (s.allOf?.length) return validOf(s.allOf[0]!);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return stringArb(s);
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validOf(s.items ?? {}), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, Math.max(s.minItems ?? 0, 3)) });
    case 'object': {
      const props = s.properties ?? {};
      const required = new Set(s.required ?? []);
      const model: Record<string, Arbitrary<Json>> = {};
      for (const [k, v] of Object.entries(props)) model[k] = validOf(v);
      return fc.record(model, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) }) as Arbitrary<Json>;
    }
    default:
      return fc.jsonValue() as Arbitrary<Json>;
  }
}

/** Something of another JSON type than the schema wants. */
const wrongTyped: Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 20 }),
  fc.constant(''),
  fc.constant('x'.repeat(5000)),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
  fc.constantFrom('0', '-1', '1e309', 'NaN', 'true', '{}', '[]', '\u0000', '🙂', '<script>', "' OR 1=1 --", '../../etc/passwd', 'acc_00000000000000000000000000'),
) as Arbitrary<Json>;

/** Values just outside what a leaf schema allows. */
function outOfRange(s: Schema): Json[] {
  const out: Json[] = [];
  if (s.maxLength !== undefined) out.push('y'.repeat(s.maxLength + 1));
  if (s.minLength !== undefined && s.minLength > 0) out.push('');
  if (s.pattern || s.format) out.push('not-matching !', ' padded ', 'ACC_lowercase?');
  if (s.maximum !== undefined) out.push(s.maximum + 1);
  if (s.minimum !== undefined) out.push(s.minimum - 1);
  if (s.type === 'integer') out.push(1.5);
  if (s.enum) out.push('not-a-member', String(s.enum[0]).toUpperCase() + '!');
  if (s.const !== undefined) out.push(typeof s.const === 'string' ? `${s.const}x` : 'other');
  if (s.type === 'array') {
    if (s.maxItems !== undefined && s.maxItems <= 200) out.push(Array.from({ length: s.maxItems + 1 }, () => null));
    if (s.minItems) out.push([]);
  }
  return out;
}

type Path = Array<string | number>;

/** Every place in a value (with its schema, when known) a mutation can hit. */
function places(value: Json, s: Schema | undefined, path: Path = []): Array<{ path: Path; schema?: Schema; value: Json }> {
  const here = { path, schema: s, value };
  const schema = s && (s.anyOf ?? s.oneOf) ? undefined : s;
  if (Array.isArray(value)) return [here, ...value.flatMap((v, i) => places(v, schema?.items, [...path, i]))];
  if (value && typeof value === 'object') {
    return [here, ...Object.entries(value).flatMap(([k, v]) => places(v, schema?.properties?.[k], [...path, k]))];
  }
  return [here];
}

function setAt(root: Json, path: Path, next: Json | undefined): Json | undefined {
  if (path.length === 0) return next;
  const copy = structuredClone(root) as Record<string | number, Json>;
  let cursor = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) cursor = cursor[key] as Record<string | number, Json>;
  const last = path.at(-1)!;
  if (next === undefined) {
    if (Array.isArray(cursor)) cursor.splice(last as number, 1);
    else delete cursor[last];
  } else cursor[last] = next;
  return copy;
}

/** One mutation of a valid value. */
function mutate(base: Json, s: Schema): Arbitrary<Json | undefined> {
  const spots = places(base, s);
  const objects = spots.filter((p) => p.value && typeof p.value === 'object' && !Array.isArray(p.value));
  const choices: Array<Arbitrary<Json | undefined>> = [
    // A field (or the whole) of the wrong type.
    fc.tuple(fc.constantFrom(...spots), wrongTyped).map(([spot, v]) => setAt(base, spot.path, v)),
    // Something else entirely.
    fc.jsonValue({ maxDepth: 3 }) as Arbitrary<Json>,
    fc.constant(undefined),
  ];
  if (objects.length) {
    // An unknown field: objects are strict.
    choices.push(
      fc.tuple(fc.constantFrom(...objects), fc.constantFrom('unknown', '__proto__x', 'isAdmin', 'accountId', 'id', 'version'), wrongTyped).map(([spot, k, v]) =>
        setAt(base, [...spot.path, k], v),
      ),
    );
  }
  const withRequired = objects.flatMap((o) => (o.schema?.required ?? []).map((k) => [...o.path, k]));
  if (withRequired.length) choices.push(fc.constantFrom(...withRequired).map((path) => setAt(base, path, undefined)));
  const edges = spots.flatMap((spot) => (spot.schema ? outOfRange(spot.schema).map((v) => ({ path: spot.path, v })) : []));
  if (edges.length) choices.push(fc.constantFrom(...edges).map(({ path, v }) => setAt(base, path, v)));
  return fc.oneof(...choices);
}

/** Valid inputs of a zod schema: generated from its JSON Schema, kept only when zod accepts them. */
export function valid(zod: ZodType): Arbitrary<Json> {
  return validOf(jsonSchemaOf(zod) as Schema).filter((v) => safeParse(zod, v).success);
}

/** Mutants of valid inputs that the zod schema refuses. */
export function invalid(zod: ZodType): Arbitrary<Json | undefined> {
  const schema = jsonSchemaOf(zod) as Schema;
  return validOf(schema)
    .chain((base) => mutate(base, schema))
    .filter((v) => !safeParse(zod, v === undefined ? {} : v).success);
}

/** What a URL can carry is text: odd text for query strings and path segments. */
const urlText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ maxLength: 30, unit: 'grapheme' }),
  fc.constantFrom(' ', '-1', '0', '101', '1.5', 'NaN', 'true', 'x'.repeat(3000), '%00', '🙂', 'acc_', 'ord_0', '2026-13-45', "' OR '1'='1", '..', 'acc_01JD1STR1BVT0R00000000000'),
);

/** Path parameters (all of the route's, by name) of which at least one is refused. */
export function invalidParams(zod: ZodType, names: string[]): Arbitrary<Record<string, string>> {
  return fc
    .tuple(...names.map(() => urlText))
    .map((values) => Object.fromEntries(names.map((n, i) => [n, values[i]!])))
    .filter((p) => Object.values(p).every((v) => v.length > 0) && !safeParse(zod, p).success);
}

/** Query strings the schema refuses. */
export function invalidStrings(zod: ZodType): Arbitrary<Record<string, string>> {
  const schema = jsonSchemaOf(zod) as Schema;
  const keys = Object.keys(schema.properties ?? {});
  const text = fc.oneof(urlText, fc.constant(''));
  const entry = keys.length ? fc.oneof(fc.constantFrom(...keys), fc.constantFrom('unknown', 'limit', 'cursor')) : fc.constantFrom('unknown', 'x', 'limit');
  return fc
    .dictionary(entry, text, { minKeys: 1, maxKeys: 3 })
    .filter((q) => !safeParse(zod, q).success);
}
