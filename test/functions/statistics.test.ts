/**
 * The statistics' reading of the table stream: which image of a dossier a batch keeps, and where the
 * batch is handed back when a fact cannot be written (a table that does not answer).
 */
import { createServer, type Server } from 'node:http';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossierImages } from '#functions/adapters/dossier-stream.ts';
import { ENV } from '#wiring/definitions.ts';

const image = (id: string, version: number, extra: Record<string, unknown> = {}) => ({
  PK: `DOSSIER#${id}`,
  SK: 'DOSSIER',
  entity: 'dossier',
  id,
  version,
  status: version,
  components: [],
  fee: 0,
  pauses: [],
  supplementCount: 0,
  GSI1PK: 'WARD#bimson#DOSSIER',
  ...extra,
});
const record = (seq: string, item: Record<string, unknown> | undefined, eventName = 'MODIFY'): DynamoDBRecord =>
  ({
    eventName,
    dynamodb: { SequenceNumber: seq, ...(item ? { NewImage: marshall(item) } : {}) },
  }) as DynamoDBRecord;

describe('dossierImages', () => {
  it("keeps each dossier's newest image, with the sequence number of its first record, keys stripped", () => {
    const { latest, unreadable } = dossierImages([
      record('9', image('a', 3)),
      record('10', image('b', 1)),
      record('11', image('a', 5)),
      record('12', image('a', 4)),
    ]);
    expect(unreadable).toEqual([]);
    expect([...latest.keys()]).toEqual(['a', 'b']);
    expect(latest.get('a')).toEqual({
      dossier: { id: 'a', version: 5, status: 5, components: [], fee: 0, pauses: [], supplementCount: 0 },
      firstSequenceNumber: '9',
    });
    expect(latest.get('b')?.firstSequenceNumber).toBe('10');
  });

  it('passes over removals and reports what is not a dossier', () => {
    const { latest, unreadable } = dossierImages([
      record('1', undefined, 'REMOVE'),
      record('2', { PK: 'FACT#a', SK: 'FACT', entity: 'fact', id: 'a', version: 1 }),
      record('3', image('c', 1)),
    ]);
    expect([...latest.keys()]).toEqual(['c']);
    expect(unreadable).toEqual([{ sequenceNumber: '2', error: 'not a dossier image (entity fact)' }]);
  });
});

describe('the statistics handler when the table fails', () => {
  let server: Server;
  let writes = 0;
  beforeAll(async () => {
    // DynamoDB's wire protocol refusing every call: the SDK gets a non-retryable validation error.
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        writes++;
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'com.amazon.coral.validate#ValidationException', message: 'refused' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    process.env[ENV.dynamoEndpoint] = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    process.env[ENV.table] = 'motcua';
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('tries each dossier once and hands the batch back from the lowest first record of a failed one', async () => {
    const { handler } = await import('#functions/statistics.ts');
    const event = {
      Records: [record('10', image('a', 2)), record('9', image('b', 2)), record('11', image('a', 3))],
    } as DynamoDBStreamEvent;
    const r = await handler(event, {} as never);
    expect(writes).toBe(2);
    // '9' < '10' as numbers although not as text.
    expect(r).toEqual({ batchItemFailures: [{ itemIdentifier: '9' }] });
  });
});
