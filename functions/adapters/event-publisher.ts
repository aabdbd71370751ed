/**
 * The event bus (EventBridge): events go up to ten to a PutEvents call (and 256 KB), in the order
 * given; from the first call that fails (refused entries or an error), nothing more is sent.
 */
import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { type AnyDomainEvent, EVENT_SOURCE } from '#shared/events.ts';
import type { EventPublisher } from '#shared/ports.ts';
import { logger } from '../lib/powertools.ts';

/** PutEvents takes at most 10 entries and 256 KB a call. */
const MAX_ENTRIES = 10;
const MAX_BYTES = 256 * 1024;

interface Entry {
  /** Position of the event in the list to publish. */
  readonly at: number;
  readonly entry: PutEventsRequestEntry;
  readonly bytes: number;
}

/** Consecutive groups within PutEvents' limits (entry size as EventBridge counts it, roughly). */
function calls(entries: readonly Entry[]): Entry[][] {
  const out: Entry[][] = [];
  let cur: Entry[] = [];
  let bytes = 0;
  for (const p of entries) {
    if (cur.length && (cur.length === MAX_ENTRIES || bytes + p.bytes > MAX_BYTES)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(p);
    bytes += p.bytes;
  }
  if (cur.length) out.push(cur);
  return out;
}

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: () => string,
  ) {}

  private entryOf(event: AnyDomainEvent): PutEventsRequestEntry {
    return {
      EventBusName: this.busName(),
      Source: EVENT_SOURCE,
      DetailType: event.type,
      Detail: JSON.stringify(event),
      Time: new Date(event.occurredAt),
      Resources: [`dossier/${event.dossierId}`],
    };
  }

  async publish(events: readonly AnyDomainEvent[]): Promise<number> {
    const entries = events.map((e, at) => {
      const entry = this.entryOf(e);
      return { at, entry, bytes: Buffer.byteLength(JSON.stringify(entry)) };
    });
    for (const call of calls(entries)) {
      try {
        const r = await this.client.send(new PutEventsCommand({ Entries: call.map((p) => p.entry) }));
        if (r.FailedEntryCount) {
          const results = r.Entries ?? [];
          const failed = call.filter((_, k) => results[k]?.ErrorCode !== undefined || results[k] === undefined);
          logger.warn('PutEvents refused entries', {
            failed: r.FailedEntryCount,
            errorCode: results.find((e) => e.ErrorCode)?.ErrorCode ?? 'unknown',
          });
          return Math.min(...(failed.length ? failed : call).map((p) => p.at));
        }
      } catch (e) {
        logger.warn('PutEvents failed', { error: e instanceof Error ? e.message : String(e) });
        return Math.min(...call.map((p) => p.at));
      }
    }
    return events.length;
  }
}
