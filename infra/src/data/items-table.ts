import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * What the API's DynamoDB items store sends (apps/api/src/services/items/dynamodb-store.ts), and
 * nothing more: no Scan, no batch or table operations (a test derives this list from the code).
 */
export const itemsTableActions = [
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
] as const;

/** The index the store lists by (ADR 0090); its key shape must match `tableDefinition()` in the API. */
export const itemsByCreatedIndex = 'byCreated';

/**
 * The items table (single-table keys, ADR 0090; ADR 0093): on-demand, point-in-time recovery,
 * encrypted with the AWS-managed KMS key, deletion-protected and retained when the stack goes.
 */
export class ItemsTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'PK', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'SK', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addLocalSecondaryIndex({
      indexName: itemsByCreatedIndex,
      sortKey: { name: 'createdKey', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }

  /** Item-level access to this table and its index only. */
  grantItems(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...itemsTableActions],
      resourceArns: [this.table.tableArn, `${this.table.tableArn}/index/${itemsByCreatedIndex}`],
    });
  }
}
