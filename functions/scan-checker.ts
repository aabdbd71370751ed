/**
 * The scan checker: one S3 object-created notification per SQS message (prefix `uploads/`).
 * Each object is recognised by its leading bytes, measured and hashed, then recorded on its
 * dossier or quarantined. A throw retries the message (partial batch failure, then the DLQ).
 */
import { decodeEventKey } from '#shared/scans.ts';
import { checkScan } from '#shared/use-cases/documents/scan-check.ts';
import { bucketName } from './adapters/clients.ts';
import { sqsConsumer } from './lib/consumer.ts';
import { scanDeps } from './lib/deps.ts';
import { logger } from './lib/powertools.ts';

/** The part of an S3 event notification record the checker reads. */
interface S3EventRecord {
  readonly eventName?: string;
  readonly s3?: { readonly bucket?: { readonly name?: string }; readonly object?: { readonly key?: string } };
}

/** The records of an S3 notification body; [] for S3's `s3:TestEvent`; throws on anything else. */
export function s3Records(body: string): readonly S3EventRecord[] {
  const v: unknown = JSON.parse(body);
  if (v && typeof v === 'object') {
    if ('Event' in v && v.Event === 's3:TestEvent') return [];
    if ('Records' in v && Array.isArray(v.Records)) return v.Records as S3EventRecord[];
  }
  throw new Error('not an S3 event notification');
}

export const handler = sqsConsumer('scan-checker', async (record) => {
  const bucket = bucketName();
  for (const r of s3Records(record.body)) {
    const raw = r.s3?.object?.key;
    if (r.s3?.bucket?.name !== bucket || typeof raw !== 'string' || !r.eventName?.includes('ObjectCreated')) {
      logger.warn('scan notification skipped', { eventName: r.eventName, bucket: r.s3?.bucket?.name });
      continue;
    }
    const key = decodeEventKey(raw);
    if (key === undefined) {
      // Not addressable: nothing to move. An operator finds it under uploads/ by listing.
      logger.error('scan notification with a malformed key', { rawKey: raw.slice(0, 300) });
      continue;
    }
    const result = await checkScan(scanDeps(), key);
    logger.info('scan checked', { key, ...result });
  }
});
