/**
 * Contract of the main ports (shared/ports.ts), one suite for every implementation: the in-memory
 * fakes the use-case tests use (test/shared/ports-contract.test.ts) and the DynamoDB adapters on
 * DynamoDB Local (test/integration/ports-contract.test.ts). The adapter is the reference: where the
 * fake answers otherwise, the fake is wrong.
 *
 * Implementations may share one store across tests (one table): each test works in its own ward,
 * owner and unit code.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Procedure } from '#shared/catalog.ts';
import type { Dossier, HistoryEntry, Status } from '#shared/dossier.ts';
import { ConflictError } from '#shared/errors.ts';
import { newEvent } from '#shared/events.ts';
import type { CatalogRepository, DossierListings, DossierRepository, NewDossier } from '#shared/ports.ts';

export interface PortsUnderTest {
  readonly dossiers: DossierRepository & DossierListings;
  readonly catalog: CatalogRepository;
}

const unique = (prefix: string) => `${prefix}${randomUUID().slice(0, 8)}`;

const dossierBuilder =
  (over: { ward: string; ownerSub?: string; submittedAt: string; status?: Status }) =>
  (code: string): NewDossier => {
    const id = randomUUID();
    const at = new Date(over.submittedAt);
    const dossier: Dossier = {
      id,
      code,
      ward: over.ward,
      procedureId: 'thu-tuc',
      procedureName: 'Thủ tục thử',
      channel: over.ownerSub ? 'online' : 'counter',
      status: over.status ?? 1,
      version: 1,
      ...(over.ownerSub ? { ownerSub: over.ownerSub } : {}),
      createdBy: over.ownerSub ?? 'receiver',
      applicant: { fullName: 'Nguyễn Văn An', idNumber: '038123456789', phone: '0912345678' },
      components: [],
      durationHours: 16,
      fee: 0,
      submittedAt: over.submittedAt,
      pauses: [],
      supplementCount: 0,
      updatedAt: over.submittedAt,
    };
    const history: HistoryEntry = {
      dossierId: id,
      version: 1,
      at: over.submittedAt,
      to: 1,
      by: 'receiver',
      role: 'receiver',
    };
    const events = [
      newEvent(
        'DossierSubmitted',
        at,
        { ward: over.ward, dossierId: id },
        {
          code,
          procedureId: 'thu-tuc',
          channel: dossier.channel,
          status: dossier.status,
          fee: 0,
          submittedAt: over.submittedAt,
        },
      ),
    ];
    return { dossier, history, events };
  };

const procedureIn = (ward: string, id: string, over: Partial<Procedure> = {}): Procedure => ({
  id,
  ward,
  version: 1,
  updatedAt: '2026-01-01T00:00:00.000Z',
  name: 'Thủ tục thử',
  field: 'Hộ tịch',
  channels: ['full-online', 'counter'],
  durationDays: 2,
  fee: 0,
  documents: [{ id: 'to-khai', name: 'Tờ khai', originals: 1, copies: 0, required: true }],
  resultForm: 'both',
  legalBasis: [],
  active: true,
  ...over,
});

/** Defines the contract's `describe` blocks; `ports` gives the implementations (called in each test). */
export function portsContract(name: string, ports: () => PortsUnderTest): void {
  describe(`Contract: DossierRepository (${name})`, () => {
    it('creates a dossier under the code it hands to the builder, then finds it by id and by code', async () => {
      const { dossiers } = ports();
      const ward = unique('w');
      const unit = unique('U');
      let handed = '';
      const d = await dossiers.create(unit, '260302', (code) => {
        handed = code;
        return dossierBuilder({ ward, submittedAt: '2026-03-02T01:00:00.000Z' })(code);
      });
      expect(d.code).toBe(handed);
      expect(handed.startsWith(`${unit}-260302-`)).toBe(true);
      expect(await dossiers.get(d.id)).toEqual(d);
      expect(await dossiers.getByCode(d.code)).toEqual(d);
      expect(await dossiers.get(randomUUID())).toBeUndefined();
      expect(await dossiers.getByCode(`${unit}-260302-9999`)).toBeUndefined();
    });

    it('numbers the dossiers of one unit and day one after the other, without gaps', async () => {
      const { dossiers } = ports();
      const ward = unique('w');
      const unit = unique('U');
      const build = dossierBuilder({ ward, submittedAt: '2026-03-02T01:00:00.000Z' });
      const a = await dossiers.create(unit, '260302', build);
      const b = await dossiers.create(unit, '260302', build);
      expect([a.code, b.code]).toEqual([`${unit}-260302-0001`, `${unit}-260302-0002`]);
    });

    it('writes an update at the expected version, with its history entry after the first', async () => {
      const { dossiers } = ports();
      const ward = unique('w');
      const d = await dossiers.create(
        unique('U'),
        '260302',
        dossierBuilder({ ward, submittedAt: '2026-03-02T01:00:00.000Z' }),
      );
      const next: Dossier = { ...d, status: 2, version: 2, updatedAt: '2026-03-02T02:00:00.000Z' };
      const entry: HistoryEntry = {
        dossierId: d.id,
        version: 2,
        at: next.updatedAt,
        from: 1,
        to: 2,
        by: 'receiver',
        role: 'receiver',
      };
      await dossiers.commit({ next, expectedVersion: 1, history: entry, events: [] });
      expect(await dossiers.get(d.id)).toEqual(next);
      expect((await dossiers.history(d.id)).map((h) => h.version)).toEqual([1, 2]);
      // Read together: the same dossier and the same entries, in order.
      expect(await dossiers.getWithHistory(d.id)).toEqual({ dossier: next, history: await dossiers.history(d.id) });
      expect(await dossiers.getWithHistory(randomUUID())).toBeUndefined();
    });

    it('refuses a commit at a stale version with ConflictError STALE_VERSION showing the current state, and writes nothing', async () => {
      const { dossiers } = ports();
      const ward = unique('w');
      const d = await dossiers.create(
        unique('U'),
        '260302',
        dossierBuilder({ ward, submittedAt: '2026-03-02T01:00:00.000Z' }),
      );
      await dossiers.commit({ next: { ...d, status: 2, version: 2 }, expectedVersion: 1, events: [] });
      const stale = dossiers.commit({ next: { ...d, status: 3, version: 2 }, expectedVersion: 1, events: [] });
      await expect(stale).rejects.toBeInstanceOf(ConflictError);
      await expect(stale).rejects.toMatchObject({
        code: 'STALE_VERSION',
        status: 409,
        details: { current: { id: d.id, status: 2, version: 2 } },
      });
      expect((await dossiers.get(d.id))?.status).toBe(2);
      expect(await dossiers.history(d.id)).toHaveLength(1);
    });

    it("lists a ward's dossiers newest first, only that ward's, by status and within the limit", async () => {
      const { dossiers } = ports();
      const ward = unique('w');
      const other = unique('w');
      const unit = unique('U');
      const older = await dossiers.create(
        unit,
        '260302',
        dossierBuilder({ ward, submittedAt: '2026-03-02T01:00:00.000Z' }),
      );
      const newer = await dossiers.create(
        unit,
        '260302',
        dossierBuilder({ ward, submittedAt: '2026-03-02T03:00:00.000Z', status: 2 }),
      );
      await dossiers.create(unit, '260302', dossierBuilder({ ward: other, submittedAt: '2026-03-02T02:00:00.000Z' }));
      expect((await dossiers.listByWard(ward, { limit: 10 })).items.map((d) => d.id)).toEqual([newer.id, older.id]);
      expect((await dossiers.listByWard(ward, { limit: 10, status: 1 })).items.map((d) => d.id)).toEqual([older.id]);
      expect((await dossiers.listByWard(ward, { limit: 1 })).items.map((d) => d.id)).toEqual([newer.id]);
    });

    it("lists an owner's dossiers newest first, none of anyone else's", async () => {
      const { dossiers } = ports();
      const ward = unique('w');
      const owner = unique('citizen-');
      const unit = unique('U');
      const a = await dossiers.create(
        unit,
        '260302',
        dossierBuilder({ ward, ownerSub: owner, submittedAt: '2026-03-02T01:00:00.000Z' }),
      );
      const b = await dossiers.create(
        unit,
        '260302',
        dossierBuilder({ ward, ownerSub: owner, submittedAt: '2026-03-02T02:00:00.000Z' }),
      );
      await dossiers.create(
        unit,
        '260302',
        dossierBuilder({ ward, ownerSub: unique('citizen-'), submittedAt: '2026-03-02T03:00:00.000Z' }),
      );
      await dossiers.create(unit, '260302', dossierBuilder({ ward, submittedAt: '2026-03-02T04:00:00.000Z' }));
      expect((await dossiers.listByOwner(owner, { limit: 10 })).items.map((d) => d.id)).toEqual([b.id, a.id]);
    });
  });

  describe(`Contract: CatalogRepository (${name})`, () => {
    it('creates a procedure once, then finds it by id', async () => {
      const { catalog } = ports();
      const p = procedureIn(unique('w'), unique('tt-'));
      await catalog.put(p);
      expect(await catalog.get(p.id)).toEqual(p);
      expect(await catalog.get(unique('tt-'))).toBeUndefined();
    });

    it('refuses to create over an existing procedure, and a replacement at a stale version, with STALE_VERSION', async () => {
      const { catalog } = ports();
      const p = procedureIn(unique('w'), unique('tt-'));
      await catalog.put(p);
      await expect(catalog.put({ ...p, name: 'Khác' })).rejects.toMatchObject({ code: 'STALE_VERSION', status: 409 });
      const v2 = { ...p, name: 'Bản 2', version: 2 };
      await catalog.put(v2, 1);
      await expect(catalog.put({ ...p, name: 'Bản 3', version: 3 }, 1)).rejects.toBeInstanceOf(ConflictError);
      expect(await catalog.get(p.id)).toEqual(v2);
    });

    it("lists only the ward's procedures", async () => {
      const { catalog } = ports();
      const ward = unique('w');
      const a = procedureIn(ward, unique('tt-a'));
      const b = procedureIn(ward, unique('tt-b'));
      await catalog.put(a);
      await catalog.put(b);
      await catalog.put(procedureIn(unique('w'), unique('tt-')));
      const ids = (await catalog.listByWard(ward, { limit: 10 })).items.map((p) => p.id);
      expect(ids.sort()).toEqual([a.id, b.id].sort());
    });
  });
}
