import type { Role } from '../../auth.ts';
import { type Dossier, STATUS, type Status } from '../../dossier.ts';
import { ConflictError } from '../../errors.ts';
import type { AnyDomainEvent } from '../../events.ts';
import type { Clock, DossierRepository } from '../../ports.ts';
import type { RejectReason, ScanContentType } from '../../scans.ts';
import type { SignedResult, Signer } from '../../signing.ts';
import { publicState } from '../../transition.ts';

/** A presigned upload URL lives 15 minutes; a download URL 5. */
export const UPLOAD_URL_TTL_S = 15 * 60;
export const DOWNLOAD_URL_TTL_S = 5 * 60;
/** Upload records (and the rejection they may carry) are kept as long as the quarantine: 30 days. */
export const UPLOAD_RECORD_TTL_S = 30 * 24 * 3600;

/** Statuses at which the result document may be uploaded (processing, fee due). */
export const RESULT_UPLOAD_STATUSES: readonly Status[] = [STATUS.PROCESSING, STATUS.PAYMENT_DUE];
/** Statuses at which it may be signed: as above, or once processing is done. */
export const RESULT_SIGN_STATUSES: readonly Status[] = [STATUS.PROCESSING, STATUS.PAYMENT_DUE, STATUS.DONE];
/** The owner sees the result document once the dossier has a result. */
export const RESULT_VISIBLE_TO_OWNER: readonly Status[] = [STATUS.DONE, STATUS.RETURNED];

export type UploadStatus = 'pending' | 'digitized' | 'quarantined';

/** An expected upload (item `UPLOAD#{uploadId}`), written when the URL is handed out. */
export interface UploadRecord {
  readonly uploadId: string;
  /** `uploads/{ward}/{dossierId}/{componentId}/{uploadId}`. */
  readonly key: string;
  readonly ward: string;
  readonly dossierId: string;
  readonly componentId: string;
  readonly contentType: ScanContentType;
  readonly contentLength: number;
  /** Base64 SHA-256 the client declared (S3's x-amz-checksum-sha256), if any. */
  readonly sha256?: string;
  readonly fileName?: string;
  readonly by: string;
  readonly role: Role;
  /** Of the upload-url request: the checker's events carry it on. */
  readonly correlationId?: string;
  readonly createdAt: string;
  /** When the presigned URL stops working. */
  readonly urlExpiresAt: string;
  readonly status: UploadStatus;
  /** Set on acceptance: what the checker measured. */
  readonly checked?: { readonly at: string; readonly size: number; readonly sha256: string; readonly etag?: string };
  /** Set on rejection. */
  readonly rejection?: {
    readonly reason: RejectReason;
    readonly at: string;
    readonly quarantineKey: string;
    readonly size?: number;
    readonly detected?: ScanContentType;
    readonly sha256?: string;
  };
}

export interface PresignedRequest {
  readonly url: string;
  /** Headers the client must send as they are (they are part of the signature). */
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: string;
}

/** Port: the scans bucket. */
export interface ScanStore {
  /** A presigned PUT of exactly this type and length (and checksum, when given), write-once. */
  presignPut(
    key: string,
    o: { contentType: ScanContentType; contentLength: number; sha256?: string; expiresInS: number },
  ): Promise<PresignedRequest>;
  presignGet(
    key: string,
    o: { expiresInS: number; contentType?: string; disposition?: string },
  ): Promise<PresignedRequest>;
  /** The first `n` bytes (ranged read), the total size and the ETag; undefined when absent. */
  readHead(key: string, n: number): Promise<{ first: Uint8Array; size: number; etag?: string } | undefined>;
  /**
   * SHA-256 (lower-case hex) and byte count of the whole object, streamed; reading stops past
   * `maxBytes`. Undefined when the object is absent or no longer has ETag `etag`.
   */
  digest(key: string, o: { etag?: string; maxBytes: number }): Promise<{ sha256: string; size: number } | undefined>;
  /** The object's ETag; undefined when absent. */
  etag(key: string): Promise<string | undefined>;
  /** Copies `from` to `to`, then deletes `from`; false when `from` is absent. */
  move(from: string, to: string): Promise<boolean>;
  delete(key: string): Promise<void>;
}

export type DigitizeOutcome = 'committed' | 'stale' | 'not-pending' | 'signed';

/** Port: the table side of documents. */
export interface DocumentRecords {
  putUpload(u: UploadRecord, ttlS: number): Promise<void>;
  getUpload(uploadId: string): Promise<UploadRecord | undefined>;
  /**
   * One transaction: the dossier `next` if still at `expectedVersion`, the upload marked digitized
   * if still pending, the events in the outbox and, with `unsignedCode`, no signed result for
   * that code. Says which condition failed, if one did.
   */
  commitDigitized(c: {
    next: Dossier;
    expectedVersion: number;
    uploadId: string;
    checked: NonNullable<UploadRecord['checked']>;
    events: readonly AnyDomainEvent[];
    unsignedCode?: string;
  }): Promise<DigitizeOutcome>;
  /** One transaction: the upload marked quarantined if still pending, and the events. False if not pending. */
  commitRejected(
    uploadId: string,
    rejection: NonNullable<UploadRecord['rejection']>,
    events: readonly AnyDomainEvent[],
  ): Promise<boolean>;
  getSigned(code: string): Promise<SignedResult | undefined>;
  /**
   * One transaction: the signed result if none exists for the code, the dossier `next` (which
   * records that its result was issued electronically) if still at `expectedVersion`, and the events.
   */
  putSigned(
    s: SignedResult,
    change: { next: Dossier; expectedVersion: number; events: readonly AnyDomainEvent[] },
  ): Promise<'stored' | 'exists' | 'stale'>;
}

export interface DocumentDeps {
  readonly dossiers: DossierRepository;
  readonly records: DocumentRecords;
  readonly scans: ScanStore;
  readonly signer: Signer;
  readonly clock: Clock;
}

/** What the scan checker needs (no signer). */
export type CheckerDeps = Omit<DocumentDeps, 'signer'>;

/** A second signature, or a new result once signed: 409 ALREADY_SIGNED. */
export const alreadySigned = (d: Dossier) =>
  new ConflictError('ALREADY_SIGNED', 'Kết quả của hồ sơ này đã được ký.', publicState(d));
