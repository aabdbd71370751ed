/**
 * The local event bus: a small server that speaks EventBridge's PutEvents wire protocol (so the
 * relay's SDK code is the cloud's), matches each event against the manifest's rules with
 * EventBridge pattern semantics, and sends it to the rules' target queues as EventBridge would.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { functions } from '#wiring/manifest.ts';
import { matches } from './event-pattern.ts';

interface BusRule {
  readonly name: string;
  readonly pattern: Record<string, unknown>;
  readonly queueUrl: string;
}

export function rulesFromManifest(queueUrlOf: (fn: string) => string): BusRule[] {
  return functions.flatMap((fn) =>
    (fn.queue?.rules ?? []).map((r) => ({ name: r.name, pattern: r.pattern, queueUrl: queueUrlOf(fn.name) })),
  );
}

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
  Time?: number | string;
  EventBusName?: string;
}

interface LocalBus {
  readonly endpoint: string;
  readonly server: Server;
  /** Events put so far (for the start-up summary and tests). */
  count(): number;
}

export async function startEventBus(sqs: SQSClient, rules: readonly BusRule[], region: string): Promise<LocalBus> {
  let count = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        if (target !== 'AWSEvents.PutEvents') {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(
            JSON.stringify({ __type: 'UnknownOperationException', message: `${target} is not supported locally` }),
          );
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries?: PutEventsEntry[] };
        const out: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[] = [];
        // Each matching rule's queue gets one message per event, as EventBridge delivers them;
        // locally the messages of one PutEvents call go to a queue in SendMessageBatch calls.
        const byQueue = new Map<string, { entry: number; body: string }[]>();
        for (const [k, e] of (body.Entries ?? []).entries()) {
          try {
            const id = randomUUID();
            const time =
              e.Time === undefined ? new Date() : new Date(typeof e.Time === 'number' ? e.Time * 1000 : e.Time);
            const envelope = {
              version: '0',
              id,
              'detail-type': e.DetailType ?? '',
              source: e.Source ?? '',
              account: '000000000000',
              time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
              region,
              resources: e.Resources ?? [],
              detail: JSON.parse(e.Detail ?? '{}') as unknown,
            };
            const text = JSON.stringify(envelope);
            for (const r of rules) {
              if (!matches(r.pattern, envelope)) continue;
              const list = byQueue.get(r.queueUrl) ?? [];
              byQueue.set(r.queueUrl, list);
              list.push({ entry: k, body: text });
            }
            out[k] = { EventId: id };
          } catch (err) {
            out[k] = { ErrorCode: 'InternalFailure', ErrorMessage: String(err) };
          }
        }
        const failedEntry = (k: number, message: string) => {
          out[k] = { ErrorCode: 'InternalFailure', ErrorMessage: message };
        };
        for (const [queueUrl, messages] of byQueue) {
          for (let at = 0; at < messages.length; at += 10) {
            const batch = messages.slice(at, at + 10);
            try {
              const r = await sqs.send(
                new SendMessageBatchCommand({
                  QueueUrl: queueUrl,
                  Entries: batch.map((m, i) => ({ Id: String(i), MessageBody: m.body })),
                }),
              );
              for (const f of r.Failed ?? []) {
                const m = batch[Number(f.Id)];
                if (m) failedEntry(m.entry, f.Message ?? f.Code ?? 'SendMessageBatch failed');
              }
            } catch (err) {
              for (const m of batch) failedEntry(m.entry, String(err));
            }
          }
        }
        const failed = out.filter((o) => o.ErrorCode).length;
        count += out.length - failed;
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ FailedEntryCount: failed, Entries: out }));
      })().catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'InternalException', message: String(err) }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { endpoint: `http://127.0.0.1:${port}`, server, count: () => count };
}
