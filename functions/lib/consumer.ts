/**
 * Queue consumers: handle one record and throw on failure; Powertools' batch processor turns
 * throws into a partial batch response, so only the failed records come back (then the DLQ).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { AnyDomainEvent } from '#shared/events.ts';
import { logger } from './powertools.ts';

/** The EventBridge envelope as a rule delivers it to SQS. */
export interface BusEnvelope {
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly time: string;
  readonly detail: AnyDomainEvent;
}

export function parseEnvelope(record: SQSRecord): BusEnvelope {
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
  return middy<SQSEvent, SQSBatchResponse>().handler((event, context) =>
    processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false }),
  );
}

/** A consumer of bus events: one domain event per record, with its correlation id in the logs. */
export function eventConsumer(name: string, handleEvent: (event: AnyDomainEvent) => Promise<void>) {
  return sqsConsumer(name, async (record) => {
    const env = parseEnvelope(record);
    logger.appendKeys({ correlationId: env.detail.correlationId ?? env.detail.dossierId, eventId: env.detail.id });
    try {
      await handleEvent(env.detail);
    } finally {
      logger.removeKeys(['correlationId', 'eventId']);
    }
  });
}
