/**
 * The local stream reader applies the cloud mapping's limits (wiring/definitions.ts DELIVERY.stream):
 * a record that keeps failing is retried `retryAttempts` times, the batch bisected down to it, then
 * its position goes to the relay's dead-letter queue and the reader goes on with the records behind it; `npm run redrive -- outbox-relay`
 * (tools/stream-replay.ts) reads the records again from the stream and publishes them.
 */

import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetQueueUrlCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from '#local/gateway.ts';
import type { StreamFailureRecord, StreamHandler } from '#local/streams.ts';
import { DELIVERY, dlqName } from '#wiring/definitions.ts';
import { functions } from '#wiring/manifest.ts';
import { replayStreamFailures } from '../../tools/stream-replay.ts';
import { applicant, eventually, type Stack, startStack } from '../helpers/stack.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => s?.stop());

const relay = functions.find((f) => f.access.eventBus && f.tableStream);

const notifications = async (ids: string[]) => {
  const r = await s.call('GET', '/local/notifications?limit=500');
  return (r.json.items as { dossierId: string; kind: string }[]).filter((n) => ids.includes(n.dossierId));
};

describe('Local stream reader: the manifest limits and the replay', () => {
  it('gives up on a record after the retries, keeps its position alone in the DLQ, delivers the records behind it, and the replay publishes it', async () => {
    if (!relay?.tableStream) throw new Error('no relay in the manifest');
    const citizen = await s.token('citizen', 'citizen-limits');
    const pid = (await s.call('GET', '/v1/procedures?ward=bimson')).json.items.find((p: any) =>
      p.channels.includes('full-online'),
    ).id;
    const submit = async (n: number) =>
      (
        await s.call('POST', '/v1/dossiers', {
          token: citizen,
          body: { ward: 'bimson', procedureId: pid, channel: 'online', applicant: applicant(n) },
        })
      ).json as { id: string };

    // A relay that cannot publish one dossier's events (a bus outage for it, say): every other record goes.
    await s.rt.stopRelay();
    const poisoned = await submit(81);
    // Written behind the poisoned one, so in the same batch in hand when the reader starts again.
    const behind = await submit(83);
    let poison = poisoned.id;
    let attempts = 0;
    s.rt.startRelay(
      (h: StreamHandler): StreamHandler =>
        async (e: DynamoDBStreamEvent) => {
          const at = e.Records.findIndex((r) => poison !== '' && JSON.stringify(r.dynamodb?.NewImage).includes(poison));
          if (at < 0) return h(e);
          attempts++;
          if (at > 0) await h({ Records: e.Records.slice(0, at) });
          return { batchItemFailures: [{ itemIdentifier: e.Records[at]?.dynamodb?.SequenceNumber as string }] };
        },
    );

    const failure = await eventually(async () => {
      const url = (
        await s.rt.sqs.send(new GetQueueUrlCommand({ QueueName: dlqName(relay.name) })).catch(() => undefined)
      )?.QueueUrl;
      if (!url) return undefined;
      const r = await s.rt.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, VisibilityTimeout: 0 }),
      );
      const body = r.Messages?.[0]?.Body;
      return body ? { url, record: JSON.parse(body) as StreamFailureRecord } : undefined;
    }, 45_000);
    // As many attempts as the cloud mapping makes: the first and `retryAttempts` retries.
    expect(attempts).toBe(DELIVERY.stream.retryAttempts + 1);
    expect(failure.record.requestContext.condition).toBe('RetryAttemptsExhausted');
    expect(failure.record.requestContext.approximateInvokeCount).toBe(DELIVERY.stream.retryAttempts + 1);
    expect(failure.record.DDBStreamBatchInfo).toMatchObject({
      shardId: expect.any(String),
      startSequenceNumber: expect.any(String),
      endSequenceNumber: expect.any(String),
      streamArn: expect.stringContaining('stream'),
    });

    // Bisected down to the poisoned record alone: only its position is in the DLQ, and the records
    // behind it in the same batch were delivered.
    expect(failure.record.DDBStreamBatchInfo.batchSize).toBe(1);
    expect(failure.record.DDBStreamBatchInfo.endSequenceNumber).toBe(
      failure.record.DDBStreamBatchInfo.startSequenceNumber,
    );
    await eventually(async () => ((await notifications([behind.id])).length > 0 ? true : undefined));

    // The reader went on: a later dossier is notified, the poisoned one is not.
    const later = await submit(82);
    await eventually(async () => ((await notifications([later.id])).length > 0 ? true : undefined));
    expect(await notifications([poisoned.id])).toHaveLength(0);

    // The replay reads the records again from the stream and publishes them with the real relay.
    poison = '';
    const mod = (await import('#functions/outbox-relay.ts')) as {
      handler: (e: DynamoDBStreamEvent, c: unknown) => ReturnType<StreamHandler>;
    };
    const result = await replayStreamFailures({
      sqs: s.rt.sqs,
      streams: new DynamoDBStreamsClient({ endpoint: s.rt.endpoints.dynamodb, region: 'ap-southeast-1' }),
      dlqUrl: failure.url,
      region: 'ap-southeast-1',
      batchSize: relay.tableStream.batchSize,
      filters: relay.tableStream.filters,
      handler: (e) => mod.handler(e, lambdaContext(relay.name, relay.timeoutS)),
    });
    expect(result.kept).toEqual([]);
    expect(result.replayed).toBe(1);
    expect(result.records).toBeGreaterThan(0);
    const got = await eventually(async () => {
      const n = await notifications([poisoned.id]);
      return n.length > 0 ? n : undefined;
    });
    expect(got.map((n) => n.kind)).toContain('submitted');
    // The position is gone from the dead-letter queue.
    const left = await s.rt.sqs.send(new ReceiveMessageCommand({ QueueUrl: failure.url, MaxNumberOfMessages: 10 }));
    expect(left.Messages ?? []).toHaveLength(0);
  });
});
