/**
 * Scans (số hóa thành phần hồ sơ): what may be uploaded, how a landed object is recognised, and
 * where objects live in the scans bucket. Pure: no AWS SDK, no I/O.
 *
 * Layout of the bucket:
 * - `uploads/{ward}/{dossierId}/{componentId}/{uploadId}`: where a presigned PUT lands; the scan
 *   checker is notified of every object created under `uploads/`.
 * - `quarantine/{ward}/{dossierId}/{componentId}/{uploadId}`: where a rejected object is moved
 *   (same rest of key); anything whose key does not follow the layout goes under
 *   `quarantine/invalid/` with its key escaped into one segment.
 */
import { SLUG, UUID, WARD_ID } from './ids.ts';

/** Content types a scan may have: PDF and the usual scanner image formats. */
export const SCAN_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff'] as const;
export type ScanContentType = (typeof SCAN_CONTENT_TYPES)[number];

/** The result document (kết quả giải quyết) is a PDF only. */
export const RESULT_CONTENT_TYPES: readonly ScanContentType[] = ['application/pdf'];

/** Largest scan accepted, in bytes (20 MB: a multi-page A4 scan at 300 dpi fits comfortably). */
export const MAX_SCAN_BYTES = 20 * 1024 * 1024;

/** How many leading bytes the checker reads to recognise a file (the longest signature is 8). */
export const SNIFF_BYTES = 16;

export const UPLOAD_PREFIX = 'uploads/';
const QUARANTINE_PREFIX = 'quarantine/';

/** The component id under which the result document is recorded on the dossier. */
export const RESULT_COMPONENT_ID = 'result';
/** Its name as the dossier shows it. */
export const RESULT_COMPONENT_NAME = 'Kết quả giải quyết';

export const isScanContentType = (v: unknown): v is ScanContentType =>
  typeof v === 'string' && (SCAN_CONTENT_TYPES as readonly string[]).includes(v);

const SIGNATURES: readonly { readonly type: ScanContentType; readonly bytes: readonly number[] }[] = [
  // "%PDF-" at offset 0. The PDF spec tolerates junk before it; we do not (a polyglot hides there).
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  // JPEG SOI followed by the first marker's 0xFF.
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  // TIFF little-endian "II*\0" and big-endian "MM\0*" (classic TIFF; BigTIFF is not accepted).
  { type: 'image/tiff', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { type: 'image/tiff', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
];

/**
 * Recognises a scan by its leading bytes (magic numbers), never by its name or declared type.
 * Returns undefined for anything else, including an empty or truncated prefix.
 */
export function detectType(firstBytes: Uint8Array): ScanContentType | undefined {
  for (const s of SIGNATURES) {
    if (firstBytes.length < s.bytes.length) continue;
    if (s.bytes.every((b, i) => firstBytes[i] === b)) return s.type;
  }
  return undefined;
}

/** The parts of an upload's object key. */
interface UploadKeyParts {
  readonly ward: string;
  readonly dossierId: string;
  readonly componentId: string;
  readonly uploadId: string;
}

const validParts = (p: UploadKeyParts): boolean =>
  WARD_ID.test(p.ward) && UUID.test(p.dossierId) && SLUG.test(p.componentId) && UUID.test(p.uploadId);

/** The object key of an upload. Throws on parts that could escape the layout. */
export function uploadKey(p: UploadKeyParts): string {
  if (!validParts(p)) throw new Error('invalid upload key parts');
  return `${UPLOAD_PREFIX}${p.ward}/${p.dossierId}/${p.componentId}/${p.uploadId}`;
}

/**
 * Parses an (already decoded) object key of the upload layout; undefined for anything else:
 * another prefix, a segment too many or too few, `..`, percent-escapes, spaces, upper-case ids.
 */
export function parseUploadKey(key: string): UploadKeyParts | undefined {
  if (!key.startsWith(UPLOAD_PREFIX)) return undefined;
  const segs = key.slice(UPLOAD_PREFIX.length).split('/');
  if (segs.length !== 4) return undefined;
  const [ward, dossierId, componentId, uploadId] = segs as [string, string, string, string];
  const parts = { ward, dossierId, componentId, uploadId };
  return validParts(parts) ? parts : undefined;
}

/**
 * Where a rejected object goes: `quarantine/` + the same rest of key for a well-formed upload key;
 * otherwise the whole key escaped into one segment under `quarantine/invalid/` (no `/`, no `..`),
 * so that a hostile key cannot name a place of its choosing.
 */
export function quarantineKey(key: string): string {
  const parts = parseUploadKey(key);
  if (parts) return `${QUARANTINE_PREFIX}${key.slice(UPLOAD_PREFIX.length)}`;
  const escaped = encodeURIComponent(key).replace(/\./g, '%2E').replace(/\*/g, '%2A');
  return `${QUARANTINE_PREFIX}invalid/${escaped.slice(0, 900)}`;
}

/**
 * The object key of an S3 event notification, which arrives URL-encoded with `+` for spaces.
 * Undefined when the encoding is malformed (the key cannot then be addressed at all).
 */
export function decodeEventKey(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * A file name safe to show and to put in a Content-Disposition: the last path segment only,
 * NFC, no control or reserved characters, at most 120 characters with the extension kept.
 * Undefined when nothing usable is left.
 */
export function sanitizeFileName(name: string): string | undefined {
  const base = name.normalize('NFC').split(/[/\\]/).pop() ?? '';
  let clean = base
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '')
    .replace(/[^\p{L}\p{M}\p{N} ._()-]/gu, '_')
    .replace(/\s+/g, ' ')
    .replace(/_+/g, '_')
    .replace(/^[\s.]+/, '')
    .trim();
  if (!clean || /^[._\s-]*$/.test(clean)) return undefined;
  if (clean.length > 120) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
    clean = clean.slice(0, 120 - ext.length).trimEnd() + ext;
  }
  return clean;
}

/** A Content-Disposition for a download: an ASCII fallback and the UTF-8 name (RFC 6266/8187). */
export function attachmentDisposition(fileName: string): string {
  const ascii =
    fileName
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .replace(/[^A-Za-z0-9 ._()-]/g, '_') || 'tep-tin';
  const star = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${star}`;
}

/** The default file extension of a content type, for download names without one. */
export const EXTENSION: Record<ScanContentType, string> = {
  'application/pdf': '.pdf',
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/tiff': '.tif',
};

const B64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

/** Whether `v` is a base64 SHA-256 digest as S3's x-amz-checksum-sha256 carries it. */
export const isBase64Sha256 = (v: string): boolean => B64_SHA256.test(v);

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 digest (x-amz-checksum-sha256) to lower-case hex, as the records keep it. */
export function base64DigestToHex(b64: string): string {
  if (!isBase64Sha256(b64)) throw new Error('not a base64 SHA-256 digest');
  let bits = 0;
  let acc = 0;
  let hex = '';
  for (const c of b64.replace(/=+$/, '')) {
    acc = (acc << 6) | B64.indexOf(c);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      hex += ((acc >> bits) & 0xff).toString(16).padStart(2, '0');
    }
  }
  return hex;
}

/** Why the checker refused an object (stable codes, recorded and sent in DocumentQuarantined). */
export type RejectReason =
  | 'BAD_KEY'
  | 'UNKNOWN_UPLOAD'
  | 'EMPTY'
  | 'TOO_LARGE'
  | 'SIZE_MISMATCH'
  | 'UNKNOWN_TYPE'
  | 'TYPE_MISMATCH'
  | 'CHECKSUM_MISMATCH'
  | 'DOSSIER_NOT_FOUND'
  | 'DOSSIER_CLOSED'
  | 'COMPONENT_NOT_FOUND'
  | 'ALREADY_SIGNED'
  | 'OVERWRITTEN';

/** What the checker found when it read an object. */
export interface ScanFacts {
  /** Total size in bytes (from the ranged read, or the full read when it got that far). */
  readonly size: number;
  readonly detected?: ScanContentType;
  /** Lower-case hex SHA-256 of the whole object, when it was read in full. */
  readonly sha256?: string;
}

/** What the upload promised (from the upload-url request). */
interface ScanExpectation {
  readonly contentType: ScanContentType;
  readonly contentLength: number;
  /** Base64 SHA-256 the client declared, if any. */
  readonly sha256?: string;
}

/**
 * The checks that need only the leading bytes and the size: cheap, done before reading the whole
 * object. Returns the reason to refuse, or undefined to go on.
 */
export function precheck(facts: ScanFacts, exp: ScanExpectation): RejectReason | undefined {
  if (facts.size === 0) return 'EMPTY';
  if (facts.size > MAX_SCAN_BYTES) return 'TOO_LARGE';
  if (facts.size !== exp.contentLength) return 'SIZE_MISMATCH';
  if (!facts.detected) return 'UNKNOWN_TYPE';
  if (facts.detected !== exp.contentType) return 'TYPE_MISMATCH';
  return undefined;
}

/** The checks on the full read: the counted size and the declared checksum. */
export function fullCheck(facts: { size: number; sha256: string }, exp: ScanExpectation): RejectReason | undefined {
  if (facts.size !== exp.contentLength) return 'SIZE_MISMATCH';
  if (exp.sha256 !== undefined && base64DigestToHex(exp.sha256) !== facts.sha256) return 'CHECKSUM_MISMATCH';
  return undefined;
}
