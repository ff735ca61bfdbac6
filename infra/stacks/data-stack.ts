import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type ITable,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { TABLE } from '../../functions/data/table.ts';

/**
 * What outlives every deployment of the code: the one DynamoDB table. Kept in its own stack so a
 * broken application stack can be deleted and redeployed without touching the data.
 *
 * After a restore (docs/operations.md "Point-in-time restore") the application runs on the
 * restored table, named by the context keys `restoredTableName` and `restoredTableStreamArn`:
 * `table` is then that table, referenced by name (the App stack no longer imports this stack's
 * outputs), while this stack keeps its own table unchanged (retained, deletion-protected: the
 * state before the restore) and keeps exporting what the App stack imported before, so either
 * stack can be deployed first.
 */
export class DataStack extends Stack {
  /** The table the application runs on: this stack's own, or the restored one named in the context. */
  readonly table: ITable;
  /** The table this stack creates and keeps. */
  readonly ownTable: Table;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const own = new Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE.ttlAttribute,
      stream: StreamViewType[TABLE.streamView],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // The AWS-managed key (aws/dynamodb): encrypted with KMS and audited in CloudTrail, without a
      // key policy to keep in step with every function role.
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const index of TABLE.globalIndexes) {
      own.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    this.ownTable = own;

    const restored = restoredTable(this);
    if (!restored) {
      this.table = own;
      return;
    }
    this.table = Table.fromTableAttributes(this, 'RestoredTable', restored);
    // The exports an App stack deployed before the switch still imports: kept (same names), so
    // this stack's deployment does not fail on an export in use while the App stack moves off them.
    this.exportValue(own.tableName);
    this.exportValue(own.tableArn);
    this.exportValue(own.tableStreamArn!);
  }
}

const TABLE_NAME_PATTERN = /^[a-zA-Z0-9_.-]{3,255}$/;

/** `restoredTableName` + `restoredTableStreamArn` from the context: both or neither, the stream the named table's. */
export function restoredTable(scope: Construct): { tableName: string; tableStreamArn: string } | undefined {
  const read = (key: string): string | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') throw new Error(`context ${key} must be a string`);
    return value;
  };
  const tableName = read('restoredTableName');
  const tableStreamArn = read('restoredTableStreamArn');
  if (tableName === undefined && tableStreamArn === undefined) return undefined;
  if (tableName === undefined || tableStreamArn === undefined) {
    throw new Error('context restoredTableName and restoredTableStreamArn go together (docs/operations.md "Point-in-time restore")');
  }
  if (!TABLE_NAME_PATTERN.test(tableName)) throw new Error(`context restoredTableName: "${tableName}" is not a DynamoDB table name`);
  const stream = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/([^/]+)\/stream\/[^/]+$/.exec(tableStreamArn);
  if (!stream) throw new Error(`context restoredTableStreamArn: "${tableStreamArn}" is not a DynamoDB stream ARN`);
  if (stream[1] !== tableName) {
    throw new Error(`context restoredTableStreamArn is the stream of table ${stream[1]}, not of restoredTableName ${tableName}`);
  }
  return { tableName, tableStreamArn };
}
