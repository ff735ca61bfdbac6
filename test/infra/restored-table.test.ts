import { restoredTable } from '../../infra/stacks/data-stack.ts';
import { FUNCTIONS } from '../../functions/registry.ts';
import { synthApp, SYNTH_TIMEOUT_MS, tempApp } from './synth.ts';

/**
 * docs/operations.md "Point-in-time restore": with `restoredTableName` + `restoredTableStreamArn`
 * the application runs on the restored table (every function's TABLE_NAME, its IAM, both stream
 * mappings), the App stack imports nothing of the Data stack any more, and the Data stack keeps its
 * own table and still exports what an App stack deployed before imports, so neither deploy order
 * fails on an export in use.
 */
type Json = Record<string, any>;
const RESTORED = 'clp-prod-restored-20261203';
const STREAM = `arn:aws:dynamodb:eu-central-1:123456789012:table/${RESTORED}/stream/2026-12-03T21:00:00.000`;

let before: { data: Json; app: Json };
let after: { data: Json; app: Json };

function synth(context: Record<string, unknown>): { data: Json; app: Json } {
  const { built, assembly } = synthApp({ context });
  return {
    data: assembly.getStackArtifact(built.data.artifactId).template as Json,
    app: assembly.getStackArtifact(built.application.artifactId).template as Json,
  };
}

const exportNames = (template: Json): string[] =>
  Object.values((template.Outputs ?? {}) as Record<string, Json>)
    .map((o) => o.Export?.Name)
    .filter((name): name is string => typeof name === 'string')
    .sort();

const resourcesOf = (template: Json, type: string): Json[] =>
  Object.values(template.Resources as Record<string, Json>).filter((r) => r.Type === type);

beforeAll(() => {
  before = synth({});
  after = synth({ restoredTableName: RESTORED, restoredTableStreamArn: STREAM });
}, SYNTH_TIMEOUT_MS);

describe('the application on a restored table', () => {
  it('before a restore the App stack imports the table from the Data stack', () => {
    expect(JSON.stringify(before.app)).toContain('Fn::ImportValue');
    expect(exportNames(before.data).length).toBeGreaterThan(0);
  });

  it('every function with table access gets the restored table name, and the App stack imports nothing of the Data stack', () => {
    const names = resourcesOf(after.app, 'AWS::Lambda::Function')
      .map((fn) => fn.Properties.Environment?.Variables?.TABLE_NAME)
      .filter((name) => name !== undefined);
    const withTable = Object.values(FUNCTIONS).filter((spec) => spec.table !== 'none').length;
    expect(names).toHaveLength(withTable);
    expect(new Set(names)).toEqual(new Set([RESTORED]));
    expect(JSON.stringify(after.app)).not.toContain('Fn::ImportValue');
  });

  it('both stream consumers read the restored table\'s stream', () => {
    const sources = resourcesOf(after.app, 'AWS::Lambda::EventSourceMapping').map((m) => m.Properties.EventSourceArn);
    expect(sources).toEqual([STREAM, STREAM]);
  });

  it('the functions\' table permissions name the restored table and its indexes, not the old one', () => {
    const policies = JSON.stringify(resourcesOf(after.app, 'AWS::IAM::Policy'));
    expect(policies).toContain(`:table/${RESTORED}`);
    expect(policies).toContain(`:table/${RESTORED}/index/gsi1`);
  });

  it('the Data stack keeps its own table as it was and the exports an older App stack imports', () => {
    const tables = (t: Json) => resourcesOf(t, 'AWS::DynamoDB::Table');
    expect(tables(after.data)).toEqual(tables(before.data));
    expect(tables(after.data)[0]).toMatchObject({ DeletionPolicy: 'Retain' });
    expect(exportNames(after.data)).toEqual(exportNames(before.data));
  });
});

describe('restoredTableName and restoredTableStreamArn', () => {
  const read = (context: Record<string, unknown>) => restoredTable(tempApp({ context }));

  it('are both given or neither', () => {
    expect(read({})).toBeUndefined();
    expect(() => read({ restoredTableName: RESTORED })).toThrow(/go together/);
    expect(() => read({ restoredTableStreamArn: STREAM })).toThrow(/go together/);
  });

  it('refuse a stream of another table, and what is not a table name or a stream ARN', () => {
    expect(() => read({ restoredTableName: 'other-table', restoredTableStreamArn: STREAM })).toThrow(/stream of table clp-prod-restored-20261203/);
    expect(() => read({ restoredTableName: 'no spaces', restoredTableStreamArn: STREAM })).toThrow(/not a DynamoDB table name/);
    expect(() => read({ restoredTableName: RESTORED, restoredTableStreamArn: `arn:aws:dynamodb:eu-central-1:123456789012:table/${RESTORED}` })).toThrow(/not a DynamoDB stream ARN/);
    expect(read({ restoredTableName: RESTORED, restoredTableStreamArn: STREAM })).toEqual({ tableName: RESTORED, tableStreamArn: STREAM });
  });
});
