/** Issuing a receipt with a dossier's change: the repository's `update` takes it in the same transaction. */
import type { DossierRepository } from '../ports.ts';
import type { ReceiptIssue } from './receipts.ts';

/** The repository, whose next `update` also issues `receipt` (in its transaction). */
export function dossiersIssuing(repo: DossierRepository, receipt: ReceiptIssue): DossierRepository {
  return {
    create: (unit, day, build) => repo.create(unit, day, build),
    get: (id) => repo.get(id),
    getByCode: (code) => repo.getByCode(code),
    update: (next, expectedVersion, history, events) => repo.update(next, expectedVersion, history, events, receipt),
    history: (id) => repo.history(id),
    listByWard: (ward, f) => repo.listByWard(ward, f),
    listByOwner: (sub, f) => repo.listByOwner(sub, f),
    listDue: (ward, before, o) => repo.listDue(ward, before, o),
  };
}
