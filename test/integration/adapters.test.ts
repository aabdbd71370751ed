import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getItems } from '#functions/adapters/dynamo-util.ts';
import { sharedStack } from '../helpers/stack.ts';

let db: DynamoDBDocumentClient;
// A table of its own on the shared stack's DynamoDB Local.
const TABLE = 'adapters';

beforeAll(async () => {
  const s = await sharedStack();
  const client = new DynamoDBClient({
    endpoint: s.rt.endpoints.dynamodb,
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  db = DynamoDBDocumentClient.from(client);
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
    }),
  );
  const items = Array.from({ length: 950 }, (_, i) => ({ PK: `P#${i}`, SK: 'S', n: i }));
  for (let i = 0; i < items.length; i += 25) {
    await db.send(
      new BatchWriteCommand({
        RequestItems: { [TABLE]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
});
afterAll(() => db?.destroy());

describe('Adapter helper: getItems (the reads behind the keys-only indexes)', () => {
  it('fetches more keys than one BatchGetItem takes, in the order asked, leaving out the missing ones', async () => {
    const wanted = Array.from({ length: 950 }, (_, i) => (i * 37) % 950);
    const keys = wanted.flatMap((n) => [
      { PK: `P#${n}`, SK: 'S', GSI1PK: 'ignored' },
      ...(n % 50 === 0 ? [{ PK: `MISSING#${n}`, SK: 'S' }] : []),
    ]);
    const items = await getItems(db, TABLE, keys, { consistent: true });
    expect(items.map((i) => i.n)).toEqual(wanted);
  });

  it('returns a key asked twice twice, and nothing for no keys', async () => {
    const k = { PK: 'P#7', SK: 'S' };
    expect((await getItems(db, TABLE, [k, k])).map((i) => i.n)).toEqual([7, 7]);
    expect(await getItems(db, TABLE, [])).toEqual([]);
  });
});
