/**
 * Documents (số hóa hồ sơ và kết quả điện tử): presigned uploads and downloads of component
 * scans, the scan checker's decision on each landed object, the result document, its signature
 * and the public verification. Pure orchestration over the ports declared here.
 */
import * as z from 'zod';
import '../api/zod.ts';
import type { Principal, Role } from '../auth.ts';
import { type Component, type Dossier, isFinal, STATUS, type Status } from '../dossier.ts';
import { AppError, ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import { type AnyDomainEvent, newEvent } from '../events.ts';
import type { Clock, DossierRepository } from '../ports.ts';
import { fullJitter, retry } from '../retry.ts';
import {
  attachmentDisposition,
  detectType,
  EXTENSION,
  fullCheck,
  isBase64Sha256,
  isScanContentType,
  MAX_SCAN_BYTES,
  parseUploadKey,
  precheck,
  quarantineKey,
  RESULT_COMPONENT_ID,
  RESULT_COMPONENT_NAME,
  RESULT_CONTENT_TYPES,
  type RejectReason,
  SCAN_CONTENT_TYPES,
  type ScanContentType,
  type ScanFacts,
  SNIFF_BYTES,
  sanitizeFileName,
  UPLOAD_PREFIX,
  uploadKey,
} from '../scans.ts';
import {
  canonicalBytes,
  canonicalText,
  encodeBase64,
  maskName,
  type SignedFields,
  type SignedResult,
  type Signer,
  verifySignedResult,
} from '../signing.ts';
import { publicState } from '../transition.ts';
import { visibleDossier } from './dossiers.ts';

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
const RESULT_VISIBLE_TO_OWNER: readonly Status[] = [STATUS.DONE, STATUS.RETURNED];

// ---------------------------------------------------------------------------------------------
// Records and ports
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Uploads and downloads
// ---------------------------------------------------------------------------------------------

export const uploadRequestSchema = z
  .object({
    contentType: z
      .string()
      .min(1)
      .max(100)
      .openapi({ example: 'application/pdf', description: `One of ${SCAN_CONTENT_TYPES.join(', ')}` }),
    contentLength: z
      .number()
      .int()
      .min(1)
      .max(Number.MAX_SAFE_INTEGER)
      .openapi({ example: 183_204, description: `Bytes, at most ${MAX_SCAN_BYTES}` }),
    sha256: z
      .string()
      .refine(isBase64Sha256, 'base64 của 32 byte SHA-256')
      .optional()
      .openapi({ description: "Base64 of the SHA-256 digest, as S3's x-amz-checksum-sha256" }),
    fileName: z.string().max(255).optional(),
  })
  .strict()
  .openapi('UploadRequest');
export type UploadRequest = z.infer<typeof uploadRequestSchema>;

export interface UploadTicket {
  readonly uploadId: string;
  readonly url: string;
  readonly method: 'PUT';
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: string;
  readonly key: string;
}

const componentNotFound = () => new NotFoundError('Thành phần hồ sơ', 'COMPONENT_NOT_FOUND');

function assertBounds(input: UploadRequest, allowed: readonly ScanContentType[]): ScanContentType {
  const type = input.contentType.trim().toLowerCase();
  if (!isScanContentType(type) || !allowed.includes(type)) {
    throw new AppError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Định dạng tệp không được chấp nhận; chỉ nhận ${allowed.map((t) => EXTENSION[t].slice(1).toUpperCase()).join(', ')}.`,
    );
  }
  if (input.contentLength > MAX_SCAN_BYTES) {
    throw new AppError(413, 'TOO_LARGE', `Tệp vượt quá dung lượng cho phép (${MAX_SCAN_BYTES / 1024 / 1024} MB).`);
  }
  return type;
}

async function issueUpload(
  deps: DocumentDeps,
  p: Principal,
  d: Dossier,
  componentId: string,
  contentType: ScanContentType,
  input: UploadRequest,
  correlationId: string | undefined,
): Promise<UploadTicket> {
  const now = deps.clock.now();
  const uploadId = crypto.randomUUID();
  const key = uploadKey({ ward: d.ward, dossierId: d.id, componentId, uploadId });
  const fileName = input.fileName === undefined ? undefined : sanitizeFileName(input.fileName);
  const signed = await deps.scans.presignPut(key, {
    contentType,
    contentLength: input.contentLength,
    expiresInS: UPLOAD_URL_TTL_S,
    ...(input.sha256 ? { sha256: input.sha256 } : {}),
  });
  const record: UploadRecord = {
    uploadId,
    key,
    ward: d.ward,
    dossierId: d.id,
    componentId,
    contentType,
    contentLength: input.contentLength,
    ...(input.sha256 ? { sha256: input.sha256 } : {}),
    ...(fileName ? { fileName } : {}),
    by: p.sub,
    role: p.role,
    ...(correlationId ? { correlationId } : {}),
    createdAt: now.toISOString(),
    urlExpiresAt: signed.expiresAt,
    status: 'pending',
  };
  // Recorded before the URL is handed out: an object that lands without a record is quarantined.
  await deps.records.putUpload(record, UPLOAD_RECORD_TTL_S);
  return { uploadId, url: signed.url, method: 'PUT', headers: signed.headers, expiresAt: signed.expiresAt, key };
}

/**
 * A presigned upload of one component's scan, by the dossier's owner or a receiver of its ward.
 * 404 for a dossier the caller may not see or a component it does not have; 409 once the dossier
 * is final; 413/415 outside the bounds.
 */
export async function requestUpload(
  deps: DocumentDeps,
  p: Principal,
  dossierId: string,
  componentId: string,
  input: UploadRequest,
  correlationId?: string,
): Promise<UploadTicket> {
  const d = await visibleDossier(deps, p, dossierId);
  if (p.role !== 'citizen' && p.role !== 'receiver') throw new ForbiddenError();
  if (componentId === RESULT_COMPONENT_ID || !d.components.some((c) => c.id === componentId)) {
    throw componentNotFound();
  }
  if (isFinal(d.status)) {
    throw new ConflictError('DOSSIER_CLOSED', 'Hồ sơ đã kết thúc, không thể tải thêm tài liệu.', publicState(d));
  }
  const type = assertBounds(input, SCAN_CONTENT_TYPES);
  return issueUpload(deps, p, d, componentId, type, input, correlationId);
}

/**
 * A presigned upload of the result document (PDF only), by a specialist or leader of the ward
 * while the dossier is processing or waiting for its fee; 409 once the result is signed.
 */
export async function requestResultUpload(
  deps: DocumentDeps,
  p: Principal,
  dossierId: string,
  input: UploadRequest,
  correlationId?: string,
): Promise<UploadTicket> {
  const d = await visibleDossier(deps, p, dossierId);
  if (p.role !== 'specialist' && p.role !== 'leader') throw new ForbiddenError();
  if (!RESULT_UPLOAD_STATUSES.includes(d.status)) {
    throw new ConflictError(
      'RESULT_NOT_EXPECTED',
      'Chỉ tải kết quả lên khi hồ sơ đang xử lý hoặc chờ thực hiện nghĩa vụ tài chính.',
      publicState(d),
    );
  }
  const type = assertBounds(input, RESULT_CONTENT_TYPES);
  if (await deps.records.getSigned(d.code)) throw alreadySigned(d);
  return issueUpload(deps, p, d, RESULT_COMPONENT_ID, type, input, correlationId);
}

export interface DownloadTicket {
  readonly url: string;
  readonly method: 'GET';
  readonly expiresAt: string;
  readonly size: number;
  readonly sha256: string;
  readonly contentType?: string;
  readonly fileName?: string;
}

/**
 * A presigned download (5 minutes) of a component's accepted scan, for the owner or staff of the
 * ward; the result document reaches the owner once the dossier has its result. 404 if none.
 */
export async function requestDownload(
  deps: DocumentDeps,
  p: Principal,
  dossierId: string,
  componentId: string,
): Promise<DownloadTicket> {
  const d = await visibleDossier(deps, p, dossierId);
  const notFound = new NotFoundError('Tài liệu', 'DOCUMENT_NOT_FOUND');
  if (componentId === RESULT_COMPONENT_ID && p.role === 'citizen' && !RESULT_VISIBLE_TO_OWNER.includes(d.status)) {
    throw notFound;
  }
  const digitized = d.components.find((c) => c.id === componentId)?.digitized;
  if (!digitized) throw notFound;
  // The upload record says what the file was called and what it is; the key names the record.
  const parts = parseUploadKey(digitized.key);
  const upload = parts ? await deps.records.getUpload(parts.uploadId) : undefined;
  const contentType = upload?.contentType;
  const fileName =
    upload?.fileName ??
    (contentType ? `${d.code}-${componentId}${EXTENSION[contentType]}` : `${d.code}-${componentId}`);
  const signed = await deps.scans.presignGet(digitized.key, {
    expiresInS: DOWNLOAD_URL_TTL_S,
    disposition: attachmentDisposition(fileName),
    ...(contentType ? { contentType } : {}),
  });
  return {
    url: signed.url,
    method: 'GET',
    expiresAt: signed.expiresAt,
    size: digitized.size,
    sha256: digitized.sha256,
    fileName,
    ...(contentType ? { contentType } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// The scan checker
// ---------------------------------------------------------------------------------------------

export type ScanOutcome =
  | { readonly outcome: 'digitized'; readonly uploadId: string; readonly version: number }
  | { readonly outcome: 'quarantined'; readonly reason: RejectReason; readonly uploadId?: string }
  /** Already decided (a duplicate notification): nothing changed, or a stray re-write was moved away. */
  | { readonly outcome: 'duplicate'; readonly uploadId: string; readonly moved: boolean }
  /** The object is gone, or changed while being read (its own notification will follow). */
  | { readonly outcome: 'missing'; readonly uploadId?: string }
  | { readonly outcome: 'ignored' };

/** Recording a scan on a dossier that keeps changing: 10 tries, waits of at most 250 ms. */
const VERSION_RETRY = { attempts: 10, delay: fullJitter(10, 250) } as const;

/**
 * Decides on one object created under `uploads/` (its key already URL-decoded): accepts it onto
 * the dossier (component `digitized`, DocumentDigitized) or quarantines it (DocumentQuarantined).
 * Idempotent: an upload already decided changes nothing. Throws only on transient failures, so
 * that the message is retried.
 */
export async function checkScan(deps: CheckerDeps, key: string): Promise<ScanOutcome> {
  if (!key.startsWith(UPLOAD_PREFIX)) return { outcome: 'ignored' };
  const parts = parseUploadKey(key);
  if (!parts) {
    await deps.scans.move(key, quarantineKey(key));
    return { outcome: 'quarantined', reason: 'BAD_KEY' };
  }
  const upload = await deps.records.getUpload(parts.uploadId);
  if (
    !upload ||
    upload.key !== key ||
    upload.ward !== parts.ward ||
    upload.dossierId !== parts.dossierId ||
    upload.componentId !== parts.componentId
  ) {
    await deps.scans.move(key, quarantineKey(key));
    return { outcome: 'quarantined', reason: 'UNKNOWN_UPLOAD' };
  }
  if (upload.status !== 'pending') return settled(deps, upload);

  const head = await deps.scans.readHead(key, SNIFF_BYTES);
  if (!head) return { outcome: 'missing', uploadId: upload.uploadId };
  const detected = detectType(head.first);
  const facts: ScanFacts = { size: head.size, ...(detected ? { detected } : {}) };
  const early = precheck(facts, upload);
  if (early) return reject(deps, upload, early, facts);
  const full = await deps.scans.digest(key, {
    maxBytes: MAX_SCAN_BYTES,
    ...(head.etag ? { etag: head.etag } : {}),
  });
  if (!full) return { outcome: 'missing', uploadId: upload.uploadId };
  const late = fullCheck(full, upload);
  if (late) return reject(deps, upload, late, { ...facts, size: full.size, sha256: full.sha256 });
  const checked = {
    at: deps.clock.now().toISOString(),
    size: full.size,
    sha256: full.sha256,
    ...(head.etag ? { etag: head.etag } : {}),
  };
  return accept(deps, upload, checked);
}

const subject = (u: UploadRecord) => ({
  ward: u.ward,
  dossierId: u.dossierId,
  ...(u.correlationId ? { correlationId: u.correlationId } : {}),
});

/** A duplicate notification: nothing to decide, but nothing may stay under a decided upload's key. */
async function settled(deps: CheckerDeps, upload: UploadRecord): Promise<ScanOutcome> {
  const etag = await deps.scans.etag(upload.key);
  if (etag === undefined) return { outcome: 'duplicate', uploadId: upload.uploadId, moved: false };
  // Present although quarantined: the move was interrupted, or the URL was used again. Present with
  // another ETag although accepted: overwritten (S3 refuses it: the PUT is signed If-None-Match: *).
  const stray = upload.status === 'quarantined' || (upload.checked?.etag !== undefined && upload.checked.etag !== etag);
  if (!stray) return { outcome: 'duplicate', uploadId: upload.uploadId, moved: false };
  await deps.scans.move(upload.key, quarantineKey(upload.key));
  return { outcome: 'duplicate', uploadId: upload.uploadId, moved: true };
}

async function reject(
  deps: CheckerDeps,
  upload: UploadRecord,
  reason: RejectReason,
  facts: ScanFacts,
): Promise<ScanOutcome> {
  const now = deps.clock.now();
  const to = quarantineKey(upload.key);
  const rejection = {
    reason,
    at: now.toISOString(),
    quarantineKey: to,
    size: facts.size,
    ...(facts.detected ? { detected: facts.detected } : {}),
    ...(facts.sha256 ? { sha256: facts.sha256 } : {}),
  };
  const event = newEvent('DocumentQuarantined', now, subject(upload), {
    componentId: upload.componentId,
    key: to,
    reason,
  });
  // Record first, then move: if the move is interrupted, the retry finds the upload decided and
  // the object still in place, and finishes the move (see `settled`).
  if (!(await deps.records.commitRejected(upload.uploadId, rejection, [event]))) {
    const now2 = await deps.records.getUpload(upload.uploadId);
    return now2 ? settled(deps, now2) : { outcome: 'missing', uploadId: upload.uploadId };
  }
  await deps.scans.move(upload.key, to);
  return { outcome: 'quarantined', reason, uploadId: upload.uploadId };
}

/** The dossier with the component's scan recorded (the result component is added on first use). */
function withDigitized(d: Dossier, componentId: string, digitized: NonNullable<Component['digitized']>): Dossier {
  const components: Component[] = d.components.some((c) => c.id === componentId)
    ? d.components.map((c) => (c.id === componentId ? { ...c, digitized } : c))
    : [...d.components, { id: RESULT_COMPONENT_ID, name: RESULT_COMPONENT_NAME, required: false, digitized }];
  return { ...d, components, version: d.version + 1, updatedAt: digitized.at };
}

async function accept(
  deps: CheckerDeps,
  upload: UploadRecord,
  checked: NonNullable<UploadRecord['checked']>,
): Promise<ScanOutcome> {
  const facts: ScanFacts = { size: checked.size, detected: upload.contentType, sha256: checked.sha256 };
  const isResult = upload.componentId === RESULT_COMPONENT_ID;
  // The dossier moved on since it was read (another scan, a transition): read it again.
  const stale = new ConflictError('STALE_VERSION', 'Hồ sơ đã được người khác cập nhật; hãy tải lại.');
  return retry(
    async (): Promise<ScanOutcome> => {
      const d = await deps.dossiers.get(upload.dossierId);
      if (!d || d.ward !== upload.ward) return reject(deps, upload, 'DOSSIER_NOT_FOUND', facts);
      if (isFinal(d.status)) return reject(deps, upload, 'DOSSIER_CLOSED', facts);
      if (!isResult && !d.components.some((c) => c.id === upload.componentId)) {
        return reject(deps, upload, 'COMPONENT_NOT_FOUND', facts);
      }
      const previous = d.components.find((c) => c.id === upload.componentId)?.digitized?.key;
      const digitized = { key: upload.key, size: checked.size, sha256: checked.sha256, at: checked.at };
      const next = withDigitized(d, upload.componentId, digitized);
      const event = newEvent('DocumentDigitized', new Date(checked.at), subject(upload), {
        componentId: upload.componentId,
        key: upload.key,
        size: checked.size,
        sha256: checked.sha256,
        contentType: upload.contentType,
      });
      const outcome = await deps.records.commitDigitized({
        next,
        expectedVersion: d.version,
        uploadId: upload.uploadId,
        checked,
        events: [event],
        ...(isResult ? { unsignedCode: d.code } : {}),
      });
      switch (outcome) {
        case 'committed':
          // A re-upload replaces the entry; the superseded scan goes (best effort: it is unreferenced).
          if (previous && previous !== upload.key && previous.startsWith(UPLOAD_PREFIX)) {
            await deps.scans.delete(previous).catch(() => undefined);
          }
          return { outcome: 'digitized', uploadId: upload.uploadId, version: next.version };
        case 'not-pending': {
          const now = await deps.records.getUpload(upload.uploadId);
          return now ? settled(deps, now) : { outcome: 'missing', uploadId: upload.uploadId };
        }
        case 'signed':
          return reject(deps, upload, 'ALREADY_SIGNED', facts);
        case 'stale':
          throw stale;
      }
    },
    VERSION_RETRY,
    {
      retryIf: (e) => e === stale,
      exhausted: () => new Error('the dossier kept changing while recording a scan; retry later'),
    },
  );
}

// ---------------------------------------------------------------------------------------------
// The signed result and its public verification
// ---------------------------------------------------------------------------------------------

const alreadySigned = (d: Dossier) =>
  new ConflictError('ALREADY_SIGNED', 'Kết quả của hồ sơ này đã được ký.', publicState(d));

export interface SignReceipt {
  readonly code: string;
  readonly signedAt: string;
  readonly resultSha256: string;
  readonly keyId: string;
  readonly algorithm: SignedResult['algorithm'];
}

/**
 * A leader of the ward signs the digitized result: the canonical bytes go to the signer, and the
 * signature is stored once per dossier code (a second sign is 409 ALREADY_SIGNED). The write is
 * conditional on the dossier's version, so the result signed is the result on record.
 */
export async function signResult(deps: DocumentDeps, p: Principal, dossierId: string): Promise<SignReceipt> {
  const d = await visibleDossier(deps, p, dossierId);
  if (p.role !== 'leader') throw new ForbiddenError();
  const result = d.components.find((c) => c.id === RESULT_COMPONENT_ID)?.digitized;
  if (!result) {
    throw new ConflictError('RESULT_NOT_DIGITIZED', 'Chưa có bản điện tử của kết quả giải quyết.', publicState(d));
  }
  if (!RESULT_SIGN_STATUSES.includes(d.status)) {
    throw new ConflictError('RESULT_NOT_EXPECTED', 'Hồ sơ ở trạng thái này không ký kết quả.', publicState(d));
  }
  if (await deps.records.getSigned(d.code)) throw alreadySigned(d);
  const fields: SignedFields = {
    code: d.code,
    procedureId: d.procedureId,
    procedureName: d.procedureName,
    applicant: maskName(d.applicant.fullName),
    resultSha256: result.sha256,
    signedAt: deps.clock.now().toISOString(),
    signer: p.sub,
  };
  const sig = await deps.signer.sign(canonicalBytes(fields));
  const record: SignedResult = {
    ...fields,
    dossierId: d.id,
    ward: d.ward,
    signature: encodeBase64(sig.signature),
    keyId: sig.keyId,
    algorithm: sig.algorithm,
    canonical: canonicalText(fields),
  };
  // The dossier records its electronic result (what indicators 3.3 and 4.2 need), with an event
  // so that the statistics refresh its fact.
  const next: Dossier = { ...d, resultSignedAt: record.signedAt, version: d.version + 1, updatedAt: record.signedAt };
  const event = newEvent(
    'ResultSigned',
    new Date(record.signedAt),
    { ward: d.ward, dossierId: d.id },
    {
      code: d.code,
      signedAt: record.signedAt,
      resultSha256: record.resultSha256,
    },
  );
  const stored = await deps.records.putSigned(record, { next, expectedVersion: d.version, events: [event] });
  if (stored === 'exists') throw alreadySigned(d);
  if (stored === 'stale') {
    throw new ConflictError('STALE_VERSION', 'Hồ sơ vừa được cập nhật; hãy tải lại rồi ký.', publicState(d));
  }
  return {
    code: record.code,
    signedAt: record.signedAt,
    resultSha256: record.resultSha256,
    keyId: record.keyId,
    algorithm: record.algorithm,
  };
}

export interface Verification {
  readonly code: string;
  readonly valid: boolean;
  readonly signedAt: string;
  readonly procedureName: string;
  readonly applicant: string;
  readonly resultSha256: string;
  readonly algorithm: SignedResult['algorithm'];
  readonly keyId: string;
}

const CODE = /^[A-Z0-9.]{1,20}-\d{8}-\d{1,8}$/;

/**
 * Public verification of a signed result by dossier code: whether the stored signature verifies
 * over the stored fields, and what was signed. No personal data (the applicant is masked).
 * 404 for an unknown code or a result not signed.
 */
export async function verifyResult(
  deps: Pick<DocumentDeps, 'records' | 'signer'>,
  code: string,
): Promise<Verification> {
  const notFound = new NotFoundError('Kết quả đã ký', 'SIGNED_RESULT_NOT_FOUND');
  if (!CODE.test(code)) throw notFound;
  const r = await deps.records.getSigned(code);
  if (!r) throw notFound;
  const valid = await verifySignedResult(deps.signer, r);
  return {
    code: r.code,
    valid,
    signedAt: r.signedAt,
    procedureName: r.procedureName,
    applicant: r.applicant,
    resultSha256: r.resultSha256,
    algorithm: r.algorithm,
    keyId: r.keyId,
  };
}
