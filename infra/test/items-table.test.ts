import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../docker/bundle.ts';
import { itemsByCreatedIndex, itemsTableActions } from '../src/data/items-table.ts';
import { onlyResource, policyStatements, resourcesOf, type Synth, synth, taskRoleOf } from './synth.ts';

const apiSrc = join(repoRoot, 'apps', 'api', 'src');

/** DynamoDB operations the API's shipped code sends through the document client (lib-dynamodb). */
function dynamoOperationsTheApiSends(): string[] {
  const found = new Set<string>();
  for (const file of readdirSync(apiSrc, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    const text = readFileSync(join(apiSrc, file), 'utf8');
    const imported = new Set<string>();
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/lib-dynamodb'/g))
      for (const name of (m[1] ?? '').split(',')) imported.add(name.trim().replace(/^type\s+/, ''));
    for (const m of text.matchAll(/new\s+(\w+)Command\s*\(/g)) {
      const name = m[1] ?? '';
      if (!imported.has(`${name}Command`)) continue;
      // The document client's Get/Put/Update/Delete are GetItem/PutItem/...; Query is Query.
      found.add(`dynamodb:${name === 'Query' ? name : `${name}Item`}`);
    }
  }
  return [...found].sort();
}

describe('items table (ADR 0093)', () => {
  let s: Synth;
  beforeAll(() => {
    s = synth();
  });

  it('is on-demand, point-in-time recoverable, KMS-encrypted, protected and retained, with the API’s keys', () => {
    const [id, table] = onlyResource(s.template, 'AWS::DynamoDB::Table');
    expect(table).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
    });
    expect(table.LocalSecondaryIndexes).toEqual([
      {
        IndexName: itemsByCreatedIndex,
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'createdKey', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
    expect(s.template.toJSON().Resources[id].DeletionPolicy).toBe('Retain');
  });

  it('grants exactly the operations the API’s store sends (derived from its code), on this table only', () => {
    const sent = dynamoOperationsTheApiSends();
    expect(sent).toContain('dynamodb:Query');
    expect([...itemsTableActions].sort()).toEqual(sent);

    const [tableId] = onlyResource(s.template, 'AWS::DynamoDB::Table');
    const statements = policyStatements(s.template, (st) =>
      [st.Action].flat().some((a) => a.startsWith('dynamodb:')),
    );
    expect(statements).toHaveLength(1);
    const [st] = statements;
    expect([st?.Action].flat().sort()).toEqual(sent);
    const resources = JSON.stringify(st?.Resource);
    expect(resources).toContain(JSON.stringify({ 'Fn::GetAtt': [tableId, 'Arn'] }));
    expect(resources).toContain(`/index/${itemsByCreatedIndex}`);
    expect(resources).not.toContain('*');
    // The service's task role only: not the migration task's, not an execution role.
    const roleOf = (name: string) => taskRoleOf(s.template, name);
    expect(st?.roles).toContain(roleOf('api'));
    expect(roleOf('migrate')).not.toBe(roleOf('api'));
    expect(st?.roles).not.toContain(roleOf('migrate'));
  });

  it('tells the service to keep items in that table', () => {
    const [tableId] = onlyResource(s.template, 'AWS::DynamoDB::Table');
    const [, task] =
      resourcesOf(s.template, 'AWS::ECS::TaskDefinition').find(([, t]) =>
        JSON.stringify(t.ContainerDefinitions).includes('"Name":"api"'),
      ) ?? [];
    const env = JSON.stringify(task?.ContainerDefinitions);
    expect(env).toContain('{"Name":"ITEMS_STORE","Value":"dynamodb"}');
    expect(env).toContain(`{"Name":"DYNAMODB_TABLE","Value":{"Ref":"${tableId}"}}`);
    expect(env).not.toContain('DYNAMODB_ENDPOINT');
  });
});
