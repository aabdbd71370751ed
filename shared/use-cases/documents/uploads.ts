/** Presigned uploads of component scans and of the result document, and presigned downloads. */
import * as z from 'zod';
import type { Principal } from '../../auth.ts';
import { type Dossier, isFinal } from '../../dossier.ts';
import { AppError, ConflictError, ForbiddenError, NotFoundError } from '../../errors.ts';
import {
  attachmentDisposition,
  EXTENSION,
  isBase64Sha256,
  isScanContentType,
  MAX_SCAN_BYTES,
  parseUploadKey,
  RESULT_COMPONENT_ID,
  RESULT_CONTENT_TYPES,
  SCAN_CONTENT_TYPES,
  type ScanContentType,
  sanitizeFileName,
  uploadKey,
} from '../../scans.ts';
import { publicState } from '../../transition.ts';
import { visibleDossier } from '../dossiers.ts';
import {
  alreadySigned,
  DOWNLOAD_URL_TTL_S,
  type DocumentDeps,
  RESULT_UPLOAD_STATUSES,
  RESULT_VISIBLE_TO_OWNER,
  UPLOAD_RECORD_TTL_S,
  UPLOAD_URL_TTL_S,
  type UploadRecord,
} from './model.ts';

export const uploadRequestSchema = z
  .object({
    contentType: z
      .string()
      .min(1)
      .max(100)
      .meta({ example: 'application/pdf', description: `One of ${SCAN_CONTENT_TYPES.join(', ')}` }),
    contentLength: z
      .number()
      .int()
      .min(1)
      .max(Number.MAX_SAFE_INTEGER)
      .meta({ example: 183_204, description: `Bytes, at most ${MAX_SCAN_BYTES}` }),
    sha256: z
      .string()
      .refine(isBase64Sha256, 'base64 của 32 byte SHA-256')
      .optional()
      .meta({ description: "Base64 of the SHA-256 digest, as S3's x-amz-checksum-sha256" }),
    fileName: z.string().max(255).optional(),
  })
  .strict()
  .meta({ id: 'UploadRequest' });
type UploadRequest = z.infer<typeof uploadRequestSchema>;

interface UploadTicket {
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

interface DownloadTicket {
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
