/**
 * The scan store (S3) and the document records (the single table): the adapters of the
 * documents use cases. S3 side: presigned PUT/GET, ranged reads, streamed SHA-256, quarantine
 * moves. Table side: upload items `UPLOAD#{uploadId}`, signed results `SIGNED#{code}`, and the
 * one transaction that records an accepted scan on its dossier with its outbox event.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Dossier } from '#shared/dossier.ts';
import type { AnyDomainEvent } from '#shared/events.ts';
import { exponential, retry } from '#shared/retry.ts';
import type { ScanContentType } from '#shared/scans.ts';
import type { SignedResult } from '#shared/signing.ts';
import type {
  DigitizeOutcome,
  DocumentRecords,
  PresignedRequest,
  ScanStore,
  UploadRecord,
} from '#shared/use-cases/documents/model.ts';
import { dossierPut } from './dynamo-dossiers.ts';
import { isCancelled, isTxConflict } from './dynamo-util.ts';
import { epochS, keys, stripKeys } from './keys.ts';
import { outboxPuts } from './outbox.ts';

/** Keys of this feature's items (kept beside keys.ts's until they move there). */
const documentKeys = { upload: keys.upload, signed: keys.signed } as const;

// ---------------------------------------------------------------------------------------------
// S3
// ---------------------------------------------------------------------------------------------

const statusOf = (e: unknown): number | undefined =>
  (e as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
/** A transaction that met another on the same item: six tries, 20 ms then doubling. */
const TX_CONFLICT_RETRY = { attempts: 6, delay: exponential(20) } as const;
const nameOf = (e: unknown): string => (e instanceof Error ? e.name : '');
const isMissing = (e: unknown): boolean => nameOf(e) === 'NoSuchKey' || nameOf(e) === 'NotFound' || statusOf(e) === 404;

/** Each segment escaped, slashes kept: what x-amz-copy-source expects. */
const copySource = (bucket: string, key: string) => `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;

export class S3ScanStore implements ScanStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async presignPut(
    key: string,
    o: { contentType: ScanContentType; contentLength: number; sha256?: string; expiresInS: number },
  ): Promise<PresignedRequest> {
    const cmd = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ContentType: o.contentType,
      ContentLength: o.contentLength,
      // Write-once: a second PUT with the same URL cannot replace what the checker accepted.
      IfNoneMatch: '*',
      ...(o.sha256 ? { ChecksumSHA256: o.sha256 } : {}),
    });
    const signed = ['content-type', 'content-length', 'if-none-match'];
    if (o.sha256) signed.push('x-amz-checksum-sha256');
    const url = await getSignedUrl(this.s3, cmd, {
      expiresIn: o.expiresInS,
      signableHeaders: new Set(signed),
      // Kept a header (not hoisted into the query) so that S3 checks the body against it.
      unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
    });
    return {
      url,
      headers: {
        'content-type': o.contentType,
        'if-none-match': '*',
        ...(o.sha256 ? { 'x-amz-checksum-sha256': o.sha256 } : {}),
      },
      expiresAt: new Date(this.now().getTime() + o.expiresInS * 1000).toISOString(),
    };
  }

  async presignGet(
    key: string,
    o: { expiresInS: number; contentType?: string; disposition?: string },
  ): Promise<PresignedRequest> {
    const cmd = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ...(o.contentType ? { ResponseContentType: o.contentType } : {}),
      ...(o.disposition ? { ResponseContentDisposition: o.disposition } : {}),
    });
    const url = await getSignedUrl(this.s3, cmd, { expiresIn: o.expiresInS });
    return { url, headers: {}, expiresAt: new Date(this.now().getTime() + o.expiresInS * 1000).toISOString() };
  }

  async readHead(key: string, n: number): Promise<{ first: Uint8Array; size: number; etag?: string } | undefined> {
    // HEAD first: an empty object has no range to read (S3 answers 416; s3rver drops the connection).
    let head: { size: number; etag?: string };
    try {
      const h = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      head = { size: h.ContentLength ?? 0, ...(h.ETag ? { etag: h.ETag } : {}) };
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
    if (head.size === 0) return { first: new Uint8Array(), ...head };
    try {
      const r = await this.s3.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: `bytes=0-${n - 1}`,
          ...(head.etag ? { IfMatch: head.etag } : {}),
        }),
      );
      const first = r.Body ? await r.Body.transformToByteArray() : new Uint8Array();
      const total = /\/(\d+)$/.exec(r.ContentRange ?? '')?.[1];
      const size = total !== undefined ? Number(total) : (r.ContentLength ?? first.length);
      const etag = r.ETag ?? head.etag;
      if (head.etag && etag !== head.etag) return undefined;
      return { first: first.subarray(0, n), size, ...(etag ? { etag } : {}) };
    } catch (e) {
      // Gone or replaced between the two reads: its own notification follows.
      if (isMissing(e) || nameOf(e) === 'PreconditionFailed' || statusOf(e) === 412) return undefined;
      throw e;
    }
  }

  async digest(
    key: string,
    o: { etag?: string; maxBytes: number },
  ): Promise<{ sha256: string; size: number } | undefined> {
    let body: Readable;
    try {
      const r = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(o.etag ? { IfMatch: o.etag } : {}) }),
      );
      if (o.etag && r.ETag && r.ETag !== o.etag) {
        (r.Body as Readable | undefined)?.destroy();
        return undefined;
      }
      body = r.Body as Readable;
    } catch (e) {
      if (isMissing(e) || nameOf(e) === 'PreconditionFailed' || statusOf(e) === 412) return undefined;
      throw e;
    }
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > o.maxBytes) {
        body.destroy();
        break;
      }
      hash.update(buf);
    }
    return { sha256: hash.digest('hex'), size };
  }

  async etag(key: string): Promise<string | undefined> {
    try {
      const r = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return r.ETag ?? '';
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  async move(from: string, to: string): Promise<boolean> {
    try {
      await this.s3.send(
        new CopyObjectCommand({ Bucket: this.bucket, Key: to, CopySource: copySource(this.bucket, from) }),
      );
    } catch (e) {
      if (isMissing(e)) return false;
      throw e;
    }
    await this.delete(from);
    return true;
  }

  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/** Which items of a cancelled transaction failed their condition. */
function failedConditions(e: TransactionCanceledException): boolean[] {
  return (e.CancellationReasons ?? []).map((r) => r.Code === 'ConditionalCheckFailed');
}

export class DynamoDocumentRecords implements DocumentRecords {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async putUpload(u: UploadRecord, ttlS: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...documentKeys.upload(u.uploadId), entity: 'upload', ...u, expiresAt: epochS() + ttlS },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async getUpload(uploadId: string): Promise<UploadRecord | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: documentKeys.upload(uploadId), ConsistentRead: true }),
    );
    return r.Item ? stripKeys<UploadRecord>(r.Item) : undefined;
  }

  async commitDigitized(c: Parameters<DocumentRecords['commitDigitized']>[0]): Promise<DigitizeOutcome> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            dossierPut(this.table, c.next, c.expectedVersion),
            {
              Update: {
                TableName: this.table,
                Key: documentKeys.upload(c.uploadId),
                UpdateExpression: 'SET #s = :done, checked = :checked',
                ConditionExpression: '#s = :pending',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: { ':done': 'digitized', ':pending': 'pending', ':checked': c.checked },
              },
            },
            ...(c.unsignedCode
              ? [
                  {
                    ConditionCheck: {
                      TableName: this.table,
                      Key: documentKeys.signed(c.unsignedCode),
                      ConditionExpression: 'attribute_not_exists(PK)',
                    },
                  },
                ]
              : []),
            ...outboxPuts(this.table, c.events),
          ],
        }),
      );
      return 'committed';
    } catch (e) {
      if (isTxConflict(e)) return 'stale';
      if (!isCancelled(e)) throw e;
      const [, notPending, signed] = failedConditions(e);
      if (notPending) return 'not-pending';
      if (c.unsignedCode && signed) return 'signed';
      // A stale version, or a conflict with another transaction: read again and retry.
      return 'stale';
    }
  }

  async commitRejected(
    uploadId: string,
    rejection: NonNullable<UploadRecord['rejection']>,
    events: Parameters<DocumentRecords['commitRejected']>[2],
  ): Promise<boolean> {
    try {
      await retry(
        () =>
          this.db.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: this.table,
                    Key: documentKeys.upload(uploadId),
                    UpdateExpression: 'SET #s = :q, rejection = :r',
                    ConditionExpression: '#s = :pending',
                    ExpressionAttributeNames: { '#s': 'status' },
                    ExpressionAttributeValues: { ':q': 'quarantined', ':pending': 'pending', ':r': rejection },
                  },
                },
                ...outboxPuts(this.table, events),
              ],
            }),
          ),
        TX_CONFLICT_RETRY,
        // A conflicting transaction on the same item: it settles in milliseconds.
        { retryIf: (e) => !(isCancelled(e) && failedConditions(e)[0]) && (isCancelled(e) || isTxConflict(e)) },
      );
      return true;
    } catch (e) {
      if (isCancelled(e) && failedConditions(e)[0]) return false;
      throw e;
    }
  }

  async getSigned(code: string): Promise<SignedResult | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: documentKeys.signed(code), ConsistentRead: true }),
    );
    return r.Item ? stripKeys<SignedResult>(r.Item) : undefined;
  }

  async putSigned(
    s: SignedResult,
    change: { next: Dossier; expectedVersion: number; events: readonly AnyDomainEvent[] },
  ): Promise<'stored' | 'exists' | 'stale'> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...documentKeys.signed(s.code), entity: 'signed', ...s },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            dossierPut(this.table, change.next, change.expectedVersion),
            ...outboxPuts(this.table, change.events),
          ],
        }),
      );
      return 'stored';
    } catch (e) {
      if (isTxConflict(e)) return 'stale';
      if (!isCancelled(e)) throw e;
      const [exists] = failedConditions(e);
      return exists ? 'exists' : 'stale';
    }
  }
}
