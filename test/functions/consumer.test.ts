/**
 * The dossier event consumer (functions/lib/consumer.ts): one call per dossier with its events,
 * and whether any of that dossier's records is a redelivery (ApproximateReceiveCount > 1).
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { dossierEventConsumer } from '#functions/lib/consumer.ts';
import { lambdaContext } from '#local/gateway.ts';
import type { Dossier } from '#shared/dossier.ts';

const record = (messageId: string, dossierId: string, receiveCount: string, occurredAt: string): SQSRecord => ({
  messageId,
  receiptHandle: messageId,
  body: JSON.stringify({
    id: messageId,
    'detail-type': 'DossierStatusChanged',
    source: 'motcua.dossiers',
    time: occurredAt,
    detail: { id: `e-${messageId}`, type: 'DossierStatusChanged', dossierId, occurredAt },
  }),
  attributes: {
    ApproximateReceiveCount: receiveCount,
    SentTimestamp: '0',
    SenderId: 'test',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:local:000000000000:test',
  awsRegion: 'ap-southeast-1',
});

describe('Function: dossierEventConsumer', () => {
  it("tells each dossier's handler whether one of its records was received before", async () => {
    const seen: { dossierId: string | undefined; events: number; redelivered: boolean }[] = [];
    const handler = dossierEventConsumer(
      'test',
      async (ids) => new Map(ids.map((id) => [id, { id } as Dossier])),
      async (d, events, { redelivered }) => {
        seen.push({ dossierId: d?.id, events: events.length, redelivered });
      },
    );
    const event: SQSEvent = {
      Records: [
        record('m1', 'A', '1', '2026-06-09T01:00:00.000Z'),
        record('m2', 'B', '1', '2026-06-09T01:00:01.000Z'),
        record('m3', 'A', '2', '2026-06-09T01:00:02.000Z'),
        record('m4', 'C', '8', '2026-06-09T01:00:03.000Z'),
      ],
    };
    const r = await handler(event, lambdaContext('test', 30));
    expect(r).toEqual({ batchItemFailures: [] });
    expect(seen.sort((a, b) => String(a.dossierId).localeCompare(String(b.dossierId)))).toEqual([
      { dossierId: 'A', events: 2, redelivered: true },
      { dossierId: 'B', events: 1, redelivered: false },
      { dossierId: 'C', events: 1, redelivered: true },
    ]);
  });

  it('still serves a handler that takes only the dossier and its events', async () => {
    const got: string[] = [];
    const handler = dossierEventConsumer(
      'test',
      async (ids) => new Map(ids.map((id) => [id, { id } as Dossier])),
      async (d) => {
        got.push(d?.id ?? '');
      },
    );
    await handler({ Records: [record('m1', 'A', '3', '2026-06-09T01:00:00.000Z')] }, lambdaContext('test', 30));
    expect(got).toEqual(['A']);
  });
});
