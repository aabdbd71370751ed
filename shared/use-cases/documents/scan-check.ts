import { type Component, type Dossier, isFinal } from '../../dossier.ts';
import { ConflictError } from '../../errors.ts';
import { newEvent } from '../../events.ts';
import { fullJitter, retry } from '../../retry.ts';
import {
  detectType,
  fullCheck,
  MAX_SCAN_BYTES,
  parseUploadKey,
  precheck,
  quarantineKey,
  RESULT_COMPONENT_ID,
  RESULT_COMPONENT_NAME,
  type RejectReason,
  type ScanFacts,
  SNIFF_BYTES,
  UPLOAD_PREFIX,
} from '../../scans.ts';
import type { CheckerDeps, UploadRecord } from './model.ts';

type ScanOutcome =
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
