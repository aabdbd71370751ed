/**
 * Keeps the indicator facts (shared/indicators.ts) from the table's stream: each record is a new
 * image of a dossier (the mapping filters on `entity = dossier`), and its fact row is refreshed from
 * it, guarded by version, so a redelivered or late record changes nothing. A batch writes one fact
 * per dossier, from the newest image it holds. At-least-once: from the first record of a dossier
 * whose fact could not be written, the batch is handed back (partial batch response), as the relay
 * does; what still fails after the mapping's retries goes to the dead-letter queue (`npm run redrive`).
 */
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { factOf } from '#shared/indicators.ts';
import { dossierImages } from './adapters/dossier-stream.ts';
import { factWriter } from './lib/deps.ts';
import { logContext, logger } from './lib/powertools.ts';

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(logContext())
  .handler(async (event) => {
    const { latest, unreadable } = dossierImages(event.Records);
    // Nothing to count there, and retrying would not make it a dossier: passed over, loudly.
    for (const u of unreadable)
      logger.warn('not a dossier image', { sequenceNumber: u.sequenceNumber, error: u.error });
    const failedAt: string[] = [];
    for (const { dossier, firstSequenceNumber } of latest.values()) {
      try {
        await factWriter().put(factOf(dossier));
      } catch (e) {
        logger.warn('fact not written', { dossierId: dossier.id, version: dossier.version, error: String(e) });
        failedAt.push(firstSequenceNumber);
      }
    }
    // Lambda resumes at the lowest sequence number handed back; the local reader too.
    const first = failedAt.sort(compareSequence)[0];
    return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
  });

/** Stream sequence numbers are decimal strings of up to 40 digits: compare by length, then text. */
function compareSequence(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
