import type { Principal } from '../../auth.ts';
import type { Dossier } from '../../dossier.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors.ts';
import { newEvent } from '../../events.ts';
import { DOSSIER_CODE } from '../../ids.ts';
import { RESULT_COMPONENT_ID } from '../../scans.ts';
import {
  canonicalBytes,
  canonicalText,
  encodeBase64,
  maskName,
  type SignedFields,
  type SignedResult,
  verifySignedResult,
} from '../../signing.ts';
import { publicState } from '../../transition.ts';
import { visibleDossier } from '../dossiers.ts';
import { alreadySigned, type DocumentDeps, RESULT_SIGN_STATUSES } from './model.ts';

interface SignReceipt {
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

interface Verification {
  readonly code: string;
  readonly valid: boolean;
  readonly signedAt: string;
  readonly procedureName: string;
  readonly applicant: string;
  readonly resultSha256: string;
  readonly algorithm: SignedResult['algorithm'];
  readonly keyId: string;
}

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
  if (!DOSSIER_CODE.test(code)) throw notFound;
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
