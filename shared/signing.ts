/**
 * The signed result document (kết quả giải quyết có chữ ký số của cơ quan): what a leader signs,
 * byte for byte, and the port of whatever holds the key. Pure: no AWS SDK, no node:crypto.
 *
 * What is signed is a statement about the result, not the PDF itself: the dossier code, the
 * procedure, the applicant's masked name, the SHA-256 of the result object as the scan checker
 * recorded it, the moment and the signer. Anyone holding the PDF can hash it and compare with
 * what GET /v1/verify/{dossierCode} returns.
 */

/** The only algorithm used: ECDSA on P-256 over SHA-256 (KMS `ECDSA_SHA_256`, DER signatures). */
export const SIGNING_ALGORITHM = 'ECDSA_SHA_256' as const;
export type SigningAlgorithm = typeof SIGNING_ALGORITHM;

/** Tag of the canonical form; a new form gets a new tag, old signatures keep verifying. */
const CANONICAL_TAG = 'motcua.result.v1';

/** The fields a leader's signature covers. */
export interface SignedFields {
  readonly code: string;
  readonly procedureId: string;
  readonly procedureName: string;
  /** Masked, never the full name (see {@link maskName}). */
  readonly applicant: string;
  /** Lower-case hex SHA-256 of the result object. */
  readonly resultSha256: string;
  /** ISO 8601 UTC. */
  readonly signedAt: string;
  /** The signing leader's subject. */
  readonly signer: string;
}

/**
 * The canonical text of what is signed: a JSON array in a fixed order, every string NFC. JSON
 * escaping makes it unambiguous (no field can run into the next), and it reads back as itself.
 */
export function canonicalText(f: SignedFields): string {
  const n = (s: string) => s.normalize('NFC');
  return JSON.stringify([
    CANONICAL_TAG,
    n(f.code),
    n(f.procedureId),
    n(f.procedureName),
    n(f.applicant),
    n(f.resultSha256).toLowerCase(),
    n(f.signedAt),
    n(f.signer),
  ]);
}

/** The canonical bytes (UTF-8 of {@link canonicalText}) given to the signer. */
export function canonicalBytes(f: SignedFields): Uint8Array {
  return new TextEncoder().encode(canonicalText(f));
}

const graphemes = new Intl.Segmenter('vi', { granularity: 'grapheme' });

/** The first user-perceived character (grapheme cluster): never half a surrogate pair or a bare base letter. */
function firstGrapheme(word: string): string {
  for (const { segment } of graphemes.segment(word)) return segment;
  return '';
}

/**
 * "Nguyễn Thị Hồng Nhung" -> "N. T. H. Nhung": enough to recognise, not to identify. Cut by
 * grapheme (Intl.Segmenter), so "😀 An" -> "😀. An" and a decomposed "Ễ" stays whole: the mask is
 * always well-formed Unicode.
 */
export function maskName(full: string): string {
  const parts = full.normalize('NFC').trim().split(/\s+/);
  const last = parts.pop() ?? '';
  return [...parts.map((p) => `${firstGrapheme(p)}.`), last].join(' ');
}

/** A signature as the signer returns it. */
export interface Signature {
  /** DER-encoded ECDSA signature. */
  readonly signature: Uint8Array;
  /** Which key signed (the KMS key ARN in the cloud; `local:<fingerprint>` locally). */
  readonly keyId: string;
  readonly algorithm: SigningAlgorithm;
}

/** Port: whatever holds the signing key (KMS in the cloud, an in-process key pair locally). */
export interface Signer {
  sign(bytes: Uint8Array): Promise<Signature>;
  /**
   * True only if `signature` is a valid signature of `bytes` by the key `keyId`, which must be
   * a key this signer knows; false for a bad signature, garbage or another key (never throws for those).
   */
  verify(bytes: Uint8Array, signature: Uint8Array, keyId: string): Promise<boolean>;
}

/** The stored record of a signed result (one per dossier code). */
export interface SignedResult extends SignedFields {
  readonly dossierId: string;
  readonly ward: string;
  /** Base64 of the DER signature. */
  readonly signature: string;
  readonly keyId: string;
  readonly algorithm: SigningAlgorithm;
  /** The canonical text as signed, kept for audit; verification recomputes it from the fields. */
  readonly canonical: string;
}

/**
 * Verifies a stored record: the canonical text recomputed from its fields must be the stored one,
 * and the signature must verify over it. Any edit of a field, the text or the signature fails.
 */
export async function verifySignedResult(signer: Signer, r: SignedResult): Promise<boolean> {
  const text = canonicalText(r);
  if (text !== r.canonical || r.algorithm !== SIGNING_ALGORITHM) return false;
  const sig = decodeBase64(r.signature);
  if (!sig) return false;
  return signer.verify(new TextEncoder().encode(text), sig, r.keyId);
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict base64 to bytes; undefined when malformed. */
export function decodeBase64(s: string): Uint8Array | undefined {
  if (!s || !B64.test(s)) return undefined;
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function encodeBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}
