import { CreateQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues, startPoller } from '#local/queues.ts';
import { type SqsLocal, startSqsLocal } from '#local/servers.ts';
import type { FunctionSpec } from '#wiring/manifest.ts';

let server: SqsLocal;
let sqs: SQSClient;
beforeAll(async () => {
  server = await startSqsLocal();
  sqs = new SQSClient({ endpoint: server.endpoint, region: 'ap-southeast-1' });
});
afterAll(async () => server?.stop());

const probe = (name: string): FunctionSpec => ({
  name,
  description: 'probe',
  memoryMb: 128,
  timeoutS: 5,
  access: {},
  queue: { batchSize: 10, maxReceiveCount: 3, visibilityTimeoutS: 30 },
});

describe('Local queue pollers with fauxqs (SQS wire protocol)', () => {
  it('redelivers only the failed record of a batch, and moves it to the DLQ after maxReceiveCount', async () => {
    const queues = await createQueues(sqs, [probe('probe-a')]);
    const q = queues.get('probe-a')!;
    const seen: Record<string, number> = {};
    const batches: number[] = [];
    const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      batches.push(event.Records.length);
      for (const r of event.Records) seen[r.body] = (seen[r.body] ?? 0) + 1;
      return {
        batchItemFailures: event.Records.filter((r) => r.body === 'bad').map((r) => ({ itemIdentifier: r.messageId })),
      };
    };
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: ['good-1', 'bad', 'good-2'].map((b, i) => ({ Id: String(i), MessageBody: b })),
      }),
    );
    const poller = startPoller(sqs, q, async () => ({ handler }), { retryDelayS: 1, region: 'ap-southeast-1' });
    const deadline = Date.now() + 20_000;
    let dead: string[] = [];
    while (Date.now() < deadline && dead.length === 0) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.dlqUrl, WaitTimeSeconds: 1 }));
      dead = (r.Messages ?? []).map((m) => m.Body ?? '');
    }
    await poller.stop();
    expect(dead).toEqual(['bad']);
    expect(seen).toEqual({ 'good-1': 1, 'good-2': 1, bad: 3 });
    expect(batches[0]).toBeGreaterThanOrEqual(1);
  });

  it('fails the whole batch when the handler throws, as Lambda does', async () => {
    const queues = await createQueues(sqs, [probe('probe-b')]);
    const q = queues.get('probe-b')!;
    let calls = 0;
    const handler = async (): Promise<SQSBatchResponse> => {
      calls++;
      if (calls === 1) throw new Error('boom');
      return { batchItemFailures: [] };
    };
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: [{ Id: '1', MessageBody: 'x' }] }));
    const poller = startPoller(sqs, q, async () => ({ handler }), { retryDelayS: 1, region: 'ap-southeast-1' });
    const t0 = Date.now();
    while (calls < 2 && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 100));
    await poller.stop();
    expect(calls).toBe(2);
    const left = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 1 }));
    expect(left.Messages ?? []).toHaveLength(0);
  });

  it('gathers a batch over its batching window, past ten records, and without one invokes per poll', async () => {
    const windowed: FunctionSpec = {
      ...probe('probe-w'),
      queue: { batchSize: 40, maxBatchingWindowS: 2, maxReceiveCount: 3, visibilityTimeoutS: 30 },
    };
    const queues = await createQueues(sqs, [windowed, probe('probe-nw')]);
    const run = async (name: string) => {
      const q = queues.get(name)!;
      const batches: string[][] = [];
      const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
        batches.push(event.Records.map((r) => r.body));
        return { batchItemFailures: [] };
      };
      const poller = startPoller(sqs, q, async () => ({ handler }), { retryDelayS: 1, region: 'ap-southeast-1' });
      // 25 records in three sends over ~0.6 s: one window takes them all.
      for (const [from, n] of [
        [0, 10],
        [10, 10],
        [20, 5],
      ] as const) {
        await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: q.url,
            Entries: Array.from({ length: n }, (_, i) => ({ Id: String(i), MessageBody: `m${from + i}` })),
          }),
        );
        await new Promise((r) => setTimeout(r, 300));
      }
      const t0 = Date.now();
      while (batches.flat().length < 25 && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 100));
      await poller.stop();
      return batches;
    };
    const gathered = await run('probe-w');
    expect(gathered).toHaveLength(1);
    expect(gathered[0]?.sort()).toEqual(Array.from({ length: 25 }, (_, i) => `m${i}`).sort());
    const plain = await run('probe-nw');
    expect(plain.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...plain.map((b) => b.length))).toBeLessThanOrEqual(10);
    expect(plain.flat()).toHaveLength(25);
  });

  it('creates queues idempotently at every start', async () => {
    await createQueues(sqs, [probe('probe-c')]);
    const again = await createQueues(sqs, [probe('probe-c')]);
    expect(again.get('probe-c')?.url).toContain('motcua-probe-c');
    const direct = await sqs.send(new CreateQueueCommand({ QueueName: 'motcua-probe-c-dlq' }));
    expect(direct.QueueUrl).toBe(again.get('probe-c')?.dlqUrl);
  });
});
