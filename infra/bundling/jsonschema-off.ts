/**
 * Stands in for the `jsonschema` package in the Lambda bundles (see aliases.ts). Its only user is
 * ElectroDB's `src/validations.js`, which checks each entity model against JSON schemas whenever an
 * `Entity` is built, and tests every instance given to `new Service()` the same way to tell a raw
 * model from an `Entity` (`getInstanceType` in `src/util.js`). The models are fixed at build time and
 * validated by every test run and the local stack (which load the real package), so the bundles
 * skip it: no schema is checked, the package (29 KB) is not bundled.
 *
 * What is kept is the one answer ElectroDB's logic depends on: a value that lacks a property the
 * schema requires is not a model. Without it an `Entity` instance given to `new Service()` would be
 * taken for a model and wrapped in a second `Entity`.
 */
interface Schema {
  required?: unknown;
}

interface ValidationError {
  property: string;
  message: string;
  argument: string;
}

export class Validator {
  /** ElectroDB registers its custom formats on the prototype; they are never called here. */
  declare customFormats: Record<string, (input: unknown) => boolean>;

  addSchema(): void {}

  validate(instance: unknown, schema: Schema): { errors: ValidationError[] } {
    if (typeof instance !== 'object' || instance === null) return { errors: [{ property: 'instance', message: 'is not of a type(s) object', argument: 'object' }] };
    const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
    const missing = required.filter((name) => (instance as Record<string, unknown>)[name] === undefined);
    return { errors: missing.map((name) => ({ property: 'instance', message: `requires property "${name}"`, argument: name })) };
  }
}
Validator.prototype.customFormats = {};
