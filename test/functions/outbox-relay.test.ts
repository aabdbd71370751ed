/**
 * The outbox relay against a PutEvents server on the wire (a small stand-in that refuses chosen
 * entries, as EventBridge can): batching across records and the partial batch response.
 */
import { createServer, type Server } from 'node:http';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENV } from '#wiring/definitions.ts';

let server: Server;
let calls: { DetailType: string; Detail: string }[][] = [];
let handler: (e: DynamoDBStreamEvent, c: unknown) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entries = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries: any[] }).Entries;
      calls.push(entries);
      const out = entries.map((e, i) =>
        e.DetailType === 'Refused' ? { ErrorCode: 'InternalFailure', ErrorMessage: 'no' } : { EventId: `e${i}` },
      );
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ FailedEntryCount: out.filter((o) => o.ErrorCode).length, Entries: out }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  process.env[ENV.eventsEndpoint] = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  process.env[ENV.bus] = 'motcua';
  ({ handler } = (await import('#functions/outbox-relay.ts')) as any);
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  calls = [];
});

const event = (n: number, type = 'DossierStatusChanged') => ({
  id: `ev-${n}-${type}`,
  type,
  dossierId: `d${n}`,
  occurredAt: '2026-06-09T01:00:00.000Z',
});
const record = (seq: number, image: Record<string, unknown>, eventName = 'INSERT') =>
  ({
    eventID: String(seq),
    eventName,
    dynamodb: { SequenceNumber: String(seq), NewImage: marshall(image, { removeUndefinedValues: true }) },
  }) as unknown as DynamoDBStreamEvent['Records'][number];
const history = (seq: number, events: unknown[]) =>
  record(seq, { PK: `DOSSIER#${seq}`, SK: 'HIST#000001', entity: 'history', outbox: true, events });

describe('Function: outbox-relay', () => {
  it('publishes the events of many records ten to a PutEvents call, in record order', async () => {
    const records = Array.from({ length: 12 }, (_, i) =>
      i === 3
        ? record(100 + i, { PK: 'OUTBOX#x', SK: 'OUTBOX', entity: 'outbox', outbox: true, event: event(i) })
        : history(100 + i, i === 5 ? [event(i), event(i, 'DossierSubmitted')] : [event(i)]),
    );
    const r = await handler({ Records: records }, {});
    expect(r.batchItemFailures).toEqual([]);
    expect(calls.map((c) => c.length)).toEqual([10, 3]);
    expect(calls.flat().map((e) => JSON.parse(e.Detail).dossierId)).toEqual([
      'd0',
      'd1',
      'd2',
      'd3',
      'd4',
      'd5',
      'd5',
      'd6',
      'd7',
      'd8',
      'd9',
      'd10',
      'd11',
    ]);
  });

  it('publishes nothing for records that carry no events', async () => {
    const r = await handler(
      { Records: [history(1, []), record(2, { PK: 'DOSSIER#2', SK: 'DOSSIER', entity: 'dossier' }, 'MODIFY')] },
      {},
    );
    expect(r.batchItemFailures).toEqual([]);
    expect(calls).toHaveLength(0);
  });

  it('hands back the batch from the first record whose events were refused, and sends no further call', async () => {
    const records = Array.from({ length: 14 }, (_, i) => history(200 + i, [event(i, i === 4 ? 'Refused' : 'X')]));
    const r = await handler({ Records: records }, {});
    expect(r.batchItemFailures).toEqual([{ itemIdentifier: '204' }]);
    expect(calls).toHaveLength(1);
  });
});
