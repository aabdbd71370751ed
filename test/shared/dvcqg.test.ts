import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoCatalog } from '#local/demo-data.ts';
import type { Dossier, HistoryEntry, Status } from '#shared/dossier.ts';
import { dossierRecord, portalDate, portalStatus, progressRecord } from '#shared/dvcqg/payload.ts';
import { emptyState, type PortalSyncState, planSync } from '#shared/dvcqg/sync.ts';

const dossier = (over: Partial<Dossier> = {}): Dossier => ({
  id: '6f1c1f1e-1111-4a4a-8888-000000000001',
  code: 'H56.27.01-20260609-0001',
  ward: 'bimson',
  procedureId: 'bimson-dang-ky-khai-sinh',
  procedureName: 'Đăng ký khai sinh',
  channel: 'counter',
  status: 2,
  version: 1,
  createdBy: 'receiver-1',
  applicant: { fullName: 'Nguyễn Văn An', idNumber: '038090001234', phone: '0912345678' },
  components: [{ id: 'to-khai', name: 'Tờ khai', required: true }],
  durationHours: 8,
  fee: 0,
  submittedAt: '2026-06-09T01:30:00.000Z',
  acceptedAt: '2026-06-09T01:30:00.000Z',
  appointmentAt: '2026-06-10T01:30:00.000Z',
  pauses: [],
  supplementCount: 0,
  updatedAt: '2026-06-09T01:30:00.000Z',
  ...over,
});

const entry = (version: number, to: Status, over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  dossierId: '6f1c1f1e-1111-4a4a-8888-000000000001',
  version,
  at: `2026-06-09T0${Math.min(9, version)}:00:00.000Z`,
  to,
  by: 'receiver-1',
  role: 'receiver',
  ...over,
});

describe('Function: portalDate', () => {
  it('writes yyyyMMddHHmmss in Asia/Ho_Chi_Minh (UTC+7), across midnight and year ends', () => {
    expect(portalDate('2026-06-09T01:30:05.000Z')).toBe('20260609083005');
    expect(portalDate('2025-12-31T17:00:00Z')).toBe('20260101000000');
    expect(portalDate('2026-02-16T16:59:59+00:00')).toBe('20260216235959');
  });

  it('is empty for no date or an unreadable one', () => {
    expect(portalDate(undefined)).toBe('');
    expect(portalDate('not a date')).toBe('');
  });

  it('always has 14 digits and reads back to the same second', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), (d) => {
        const s = portalDate(d.toISOString());
        expect(s).toMatch(/^\d{14}$/);
        const back = Date.UTC(
          +s.slice(0, 4),
          +s.slice(4, 6) - 1,
          +s.slice(6, 8),
          +s.slice(8, 10) - 7,
          +s.slice(10, 12),
          +s.slice(12, 14),
        );
        expect(back).toBe(Math.floor(d.getTime() / 1000) * 1000);
      }),
    );
  });
});

describe('Function: dossierRecord', () => {
  it('maps a dossier to DongBoHoSoMC with the national procedure code, field, status and dates', () => {
    const r = dossierRecord(dossier({ status: 4, version: 2 }), {
      nationalCode: '1.001193',
      name: 'Đăng ký khai sinh',
      fieldCode: 'HT',
      field: 'Hộ tịch',
      unitName: 'Trung tâm Phục vụ hành chính công phường Bỉm Sơn',
    });
    expect(r).toMatchObject({
      MaHoSo: 'H56.27.01-20260609-0001',
      MaTTHC: '1.001193',
      TenTTHC: 'Đăng ký khai sinh',
      MaLinhVuc: 'HT',
      TenLinhVuc: 'Hộ tịch',
      ChuHoSo: 'Nguyễn Văn An',
      LoaiDoiTuong: '1',
      SoDienThoai: '0912345678',
      Email: '',
      NgayTiepNhan: '20260609083000',
      NgayHenTra: '20260610083000',
      TrangThaiHoSo: '4',
      NgayTra: '',
      NgayKetThucXuLy: '',
      DonViXuLy: 'Trung tâm Phục vụ hành chính công phường Bỉm Sơn',
      DanhSachLePhi: [],
    });
  });

  it('dates the end and the return, lists digitized components and the fee paid online', () => {
    const r = dossierRecord(
      dossier({
        status: 10,
        endedAt: '2026-06-09T08:00:00.000Z',
        updatedAt: '2026-06-09T09:00:00.000Z',
        fee: 8000,
        payment: { amount: 8000, gateway: 'vnpay', paidAt: '2026-06-09T03:00:00.000Z', online: true },
        components: [
          { id: 'to-khai', name: 'Tờ khai', required: true, digitized: { key: 'k', size: 1, sha256: 'x', at: 'y' } },
          { id: 'giay-chung-sinh', name: 'Giấy chứng sinh', required: true },
        ],
      }),
      { name: 'Đăng ký khai sinh' },
    );
    expect(r.NgayKetThucXuLy).toBe('20260609150000');
    expect(r.NgayTra).toBe('20260609160000');
    expect(r.TaiLieuNop.map((t) => t.MaThanhPhanHoSo)).toEqual(['to-khai']);
    expect(r.DanhSachLePhi).toEqual([expect.objectContaining({ Gia: '8000', HinhThucThu: '2' })]);
    expect(r.MaTTHC).toBe('');
  });

  it('uses the portal status codes 1-10', () => {
    for (const s of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const) expect(portalStatus(s)).toBe(String(s));
  });
});

describe('Function: progressRecord', () => {
  it('maps a history entry to CapNhatTienDoHoSoMC: who, role, when, what, the status', () => {
    const r = progressRecord(
      dossier(),
      entry(3, 5, { by: 'specialist-1', role: 'specialist', reason: 'Thiếu giấy chứng sinh' }),
    );
    expect(r).toMatchObject({
      MaHoSo: 'H56.27.01-20260609-0001',
      NguoiXuLy: 'specialist-1',
      ChucDanh: 'Chuyên viên xử lý',
      ThoiDiemXuLy: '20260609100000',
      NoiDungXuLy: 'Yêu cầu bổ sung hồ sơ: Thiếu giấy chứng sinh',
      TrangThai: '5',
      NgayKetThucTheoQuyDinh: '20260610083000',
    });
  });
});

describe('Function: planSync', () => {
  const d = dossier();
  const synced = (over: Partial<PortalSyncState>): PortalSyncState => ({ ...emptyState(d), created: true, ...over });

  it('creates a new dossier first (isUpdating False), then its step', () => {
    const plan = planSync(emptyState(d), dossier(), [entry(1, 2)]);
    expect(plan.map((c) => [c.kind, c.key])).toEqual([
      ['dossier', 1],
      ['step', 1],
    ]);
    expect(plan[0]).toMatchObject({ isUpdating: false });
  });

  it('sends the missed steps in order, then the current state (isUpdating True), then the last step', () => {
    const h = [entry(1, 2), entry(2, 4), entry(3, 5), entry(4, 4)];
    const plan = planSync(synced({ version: 1, stepVersion: 1, mark: 1 }), dossier({ status: 4, version: 4 }), h);
    expect(plan.map((c) => [c.kind, c.key])).toEqual([
      ['step', 2],
      ['step', 3],
      ['dossier', 4],
      ['step', 4],
    ]);
    expect(plan[2]).toMatchObject({ isUpdating: true, version: 4 });
  });

  it('drops the steps older than a first record: the portal already has a newer state', () => {
    const h = [entry(1, 2), entry(2, 4), entry(3, 9)];
    const plan = planSync(emptyState(d), dossier({ status: 9, version: 3 }), h);
    expect(plan.map((c) => [c.kind, c.key])).toEqual([
      ['dossier', 3],
      ['step', 3],
    ]);
  });

  it('asks the portal before a first record that was sent without an answer', () => {
    const plan = planSync({ ...emptyState(d), createTried: true }, dossier(), [entry(1, 2)]);
    expect(plan[0]).toMatchObject({ kind: 'dossier', isUpdating: 'ask' });
  });

  it('sends nothing when the portal has it all (a redelivered event)', () => {
    const plan = planSync(synced({ version: 4, stepVersion: 4, mark: 4 }), dossier({ status: 4, version: 4 }), [
      entry(1, 2),
      entry(4, 4),
    ]);
    expect(plan).toEqual([]);
  });

  it('sends only the state when a change had no step (a rating), keyed by its status version', () => {
    const plan = planSync(synced({ version: 3, stepVersion: 3, mark: 3 }), dossier({ status: 10, version: 4 }), [
      entry(3, 10),
    ]);
    expect(plan.map((c) => [c.kind, c.key])).toEqual([['dossier', 3]]);
  });

  it('never plans a record below what the portal has or may have, and keys never decrease', () => {
    const statuses: Status[] = [2, 4, 5, 4, 6, 4, 9, 10];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: statuses.length }),
        fc.integer({ min: 0, max: statuses.length }),
        fc.integer({ min: 0, max: statuses.length }),
        fc.integer({ min: 0, max: statuses.length }),
        fc.boolean(),
        (v, version, stepVersion, mark, created) => {
          const h = statuses.slice(0, v).map((s, i) => entry(i + 1, s));
          const state = synced({
            version: Math.min(version, v),
            stepVersion: Math.min(stepVersion, v),
            mark: Math.min(mark, v),
            created,
          });
          const plan = planSync(state, dossier({ status: statuses[v - 1] as Status, version: v }), h);
          for (let i = 1; i < plan.length; i++) expect(plan[i]?.key).toBeGreaterThanOrEqual(plan[i - 1]?.key ?? 0);
          for (const c of plan) expect(c.key).toBeGreaterThanOrEqual(state.mark);
          if (!created) expect(plan[0]?.kind).toBe('dossier');
          // The last status is always there unless the portal already has it.
          if (state.version < v || !created) expect(plan.some((c) => c.kind === 'dossier')).toBe(true);
        },
      ),
    );
  });
});

describe('Data: the seeded catalogs', () => {
  it('give every procedure its national procedure code (MaTTHC) and field, as the sync sends them', () => {
    for (const { id, input } of demoCatalog()) {
      expect(input.nationalCode, id).toMatch(/^[12]\.\d{6}$/);
      expect(input.field, id).toBeTruthy();
    }
  });
});
