import * as z from 'zod';
import { FUNCTIONS, ROUTES } from '../../functions/registry.ts';
import { buildOpenApi, jsonSchemaOf, type HandlerModule } from '../../tools/openapi/build.ts';

/**
 * How the document builder turns zod schemas into components (tools/openapi/build.ts), on made-up
 * schemas: every route of the table answers and takes the same ones here.
 */
const Money = z.object({ amount: z.number().int(), currency: z.string().length(3) }).strict().meta({ id: 'TestMoney', examples: [{ amount: 1999, currency: 'EUR' }] });
const Thing = z.object({ id: z.string(), price: Money, version: z.number().int() }).strict().meta({ id: 'TestThing', description: 'A thing' });
// Its input differs from its output: `quantity` has a default, so a client may leave it out.
const NewThing = z.object({ name: z.string(), quantity: z.number().int().default(1), price: Money }).strict().meta({ id: 'TestNewThing' });
const page = z.object({ items: z.array(Thing), nextCursor: z.string().nullable() }).strict();

const modules = Object.fromEntries(
  Object.keys(FUNCTIONS).map((fn) => [fn, { handler: { schemas: { auth: true, params: z.object({}).strict(), body: NewThing, response: page } } } satisfies HandlerModule]),
);
const doc = buildOpenApi(modules, '0.0.0-test');
const op = doc.paths[ROUTES[0]!.path]![ROUTES[0]!.method.toLowerCase()] as { requestBody: { content: Record<string, { schema: unknown }> }; responses: Record<string, { content?: Record<string, { schema: unknown; example?: unknown }> }> };

describe('the OpenAPI builder', () => {
  it('refers to a schema with an id as a component, nested ones too', () => {
    const schema = op.responses['200']!.content!['application/json']!.schema as { properties: { items: { items: unknown } } };
    expect(schema.properties.items.items).toEqual({ $ref: '#/components/schemas/TestThing' });
    expect(doc.components.schemas.TestThing).toMatchObject({ description: 'A thing', properties: { price: { $ref: '#/components/schemas/TestMoney' } } });
    expect(doc.components.schemas.TestMoney).toMatchObject({ examples: [{ amount: 1999, currency: 'EUR' }] });
  });

  it('names the input of a body whose input and output differ apart ({id}Input), and only what it reaches', () => {
    expect(op.requestBody.content['application/json']!.schema).toEqual({ $ref: '#/components/schemas/TestNewThingInput' });
    expect((doc.components.schemas.TestNewThingInput as { required: string[] }).required).toEqual(['name', 'price']);
    expect(doc.components.schemas.TestNewThing).toBeUndefined();
    // Money reads the same both ways: one component.
    expect(doc.components.schemas.TestMoneyInput).toBeUndefined();
    expect(Object.keys(doc.components.schemas).filter((n) => n.startsWith('__'))).toEqual([]);
  });

  it('makes up no example when a required part has none', () => {
    // TestThing has no example of its own and its `id` none either.
    expect(op.responses['200']!.content!['application/json']!.example).toBeUndefined();
  });

  it('gives the schema-driven tests a self-contained schema (no $ref)', () => {
    const inline = jsonSchemaOf(NewThing);
    expect(JSON.stringify(inline)).not.toContain('$ref');
    expect(inline).toMatchObject({ properties: { price: { properties: { currency: { minLength: 3, maxLength: 3 } } } } });
  });
});
