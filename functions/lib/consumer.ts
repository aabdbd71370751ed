/**
 * Queue consumers: handle one record and throw on failure; Powertools' batch processor turns
 * throws into a partial batch response, so only the failed records come back (then the DLQ).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Dossier } from '#shared/dossier.ts';
import type { AnyDomainEvent } from '#shared/events.ts';
import { logContext, logger } from './powertools.ts';

/** The EventBridge envelope as a rule delivers it to SQS. */
interface BusEnvelope {
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly time: string;
  readonly detail: AnyDomainEvent;
}

function parseEnvelope(record: SQSRecord): BusEnvelope {
  const v: unknown = JSON.parse(record.body);
  if (!v || typeof v !== 'object' || !('detail' in v) || !('detail-type' in v)) {
    throw new Error('not an EventBridge envelope');
  }
  return v as BusEnvelope;
}

export function sqsConsumer(name: string, handleRecord: (record: SQSRecord) => Promise<void>) {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    try {
      await handleRecord(record);
    } catch (e) {
      logger.warn('record failed', { consumer: name, messageId: record.messageId, error: String(e) });
      throw e;
    }
  };
  return middy<SQSEvent, SQSBatchResponse>()
    .use(logContext())
    .handler((event, context) =>
      processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false }),
    );
}

/** What `handle` is told of the dossier's records besides their events. */
interface DossierRecords {
  /** One of the dossier's records in the batch was received before (SQS ApproximateReceiveCount > 1). */
  readonly redelivered: boolean;
}

/**
 * A consumer of bus events that needs each event's dossier: the batch's dossiers (or what the
 * consumer reads with them, `T`) are read in one round trip, and `handle` gets each dossier once
 * with all of its events in the batch (oldest first), and whether any of its records is a
 * redelivery. A failed dossier fails only its own records (partial batch response).
 */
export function dossierEventConsumer<T = Dossier>(
  name: string,
  load: (ids: readonly string[]) => Promise<Map<string, T>>,
  handle: (read: T | undefined, events: readonly AnyDomainEvent[], records: DossierRecords) => Promise<void>,
) {
  return middy<SQSEvent, SQSBatchResponse>()
    .use(logContext())
    .handler(async (event) => {
      const failures: { itemIdentifier: string }[] = [];
      const groups = new Map<string, { records: SQSRecord[]; events: AnyDomainEvent[] }>();
      for (const r of event.Records) {
        try {
          const e = parseEnvelope(r).detail;
          const g = groups.get(e.dossierId) ?? { records: [], events: [] };
          g.records.push(r);
          g.events.push(e);
          groups.set(e.dossierId, g);
        } catch (e) {
          logger.warn('unreadable record', { consumer: name, messageId: r.messageId, error: String(e) });
          failures.push({ itemIdentifier: r.messageId });
        }
      }
      let dossiers: Map<string, T>;
      try {
        dossiers = await load([...groups.keys()]);
      } catch (e) {
        logger.warn('batch read failed', { consumer: name, error: String(e) });
        return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
      }
      for (const [dossierId, g] of groups) {
        const events = [...g.events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
        // Each dossier's correlation id replaces the previous one's; the middleware drops it at the end.
        logger.appendKeys({ correlationId: events.at(-1)?.correlationId ?? dossierId });
        try {
          const redelivered = g.records.some((r) => Number(r.attributes?.ApproximateReceiveCount ?? 1) > 1);
          await handle(dossiers.get(dossierId), events, { redelivered });
        } catch (e) {
          logger.warn('dossier events failed', { consumer: name, dossierId, error: String(e) });
          for (const r of g.records) failures.push({ itemIdentifier: r.messageId });
        }
      }
      return { batchItemFailures: failures };
    });
}
