/**
 * What the National Public Service Portal (Cổng Dịch vụ công quốc gia, DVCQG) receives about a
 * dossier, as OpenCPS's DVCQGIntegrationActionImpl sends it: one `DongBoHoSoMC` record with the
 * dossier's current state and one `CapNhatTienDoHoSoMC` record per processing step. Dates are
 * `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh; the status codes are ours (they are the portal's 1-10).
 */
import type { Actor, Dossier, HistoryEntry, Status } from '../dossier.ts';
import { STATUS_NAME_VI } from '../dossier.ts';
import { vnClock } from '../vn-time.ts';

/** `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh; '' for no date (the portal's "not set"). */
export function portalDate(iso: string | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return vnClock(ms).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/** The portal's status code (TrangThaiHoSo) of a dossier status: the same numbers, as text. */
export const portalStatus = (s: Status): string => String(s);

/** What the catalog contributes to a record: the national procedure code and field. */
interface PortalProcedure {
  /** Mã TTHC in the national procedure database, e.g. 1.001193. */
  readonly nationalCode?: string;
  readonly name: string;
  /** Lĩnh vực: its code in the national database and its name. */
  readonly fieldCode?: string;
  readonly field?: string;
  /** The processing unit (đơn vị xử lý): the ward's center, as the ward directory names it. */
  readonly unitName?: string;
}

/** One element of `DongBoHoSoMC`'s `data`. */
export interface DossierRecord {
  readonly MaHoSo: string;
  readonly MaTTHC: string;
  readonly TenTTHC: string;
  readonly MaLinhVuc: string;
  readonly TenLinhVuc: string;
  readonly ChuHoSo: string;
  /** "1" citizen, "2" business. */
  readonly LoaiDoiTuong: '1' | '2';
  readonly MaDoiTuong: string;
  readonly SoDienThoai: string;
  readonly Email: string;
  readonly TrichYeuHoSo: string;
  readonly NgayTiepNhan: string;
  readonly NgayHenTra: string;
  readonly TrangThaiHoSo: string;
  readonly NgayTra: string;
  /** "0" result returned at the center, "1" by post. */
  readonly HinhThuc: '0' | '1';
  readonly NgayKetThucXuLy: string;
  readonly DonViXuLy: string;
  readonly TaiLieuNop: readonly {
    readonly TepDinhKemId: string;
    readonly TenTepDinhKem: string;
    readonly IsDeleted: 'False';
    readonly MaThanhPhanHoSo: string;
    readonly DuongDanTaiTepTin: string;
  }[];
  readonly DanhSachLePhi: readonly {
    readonly TenPhiLePhi: string;
    readonly MaPhiLePhi: string;
    /** "1" cash at the center, "2" online. */
    readonly HinhThucThu: '1' | '2';
    readonly Gia: string;
    /** "1" phí, "2" lệ phí. */
    readonly LoaiPhiLePhi: '2';
  }[];
  readonly DanhSachHoSoBoSung: readonly never[];
  readonly DanhSachGiayToKetQua: readonly never[];
}

/** One element of `CapNhatTienDoHoSoMC`'s `data`: a processing step. */
export interface ProgressRecord {
  readonly MaHoSo: string;
  readonly NguoiXuLy: string;
  readonly ChucDanh: string;
  readonly ThoiDiemXuLy: string;
  readonly PhongBanXuLy: string;
  readonly NoiDungXuLy: string;
  readonly TrangThai: string;
  readonly NgayBatDau: string;
  readonly NgayKetThucTheoQuyDinh: string;
}

/** Chức danh of who made a step. */
const TITLE: Partial<Record<Actor, string>> = {
  citizen: 'Công dân',
  owner: 'Công dân',
  receiver: 'Cán bộ tiếp nhận',
  specialist: 'Chuyên viên xử lý',
  leader: 'Lãnh đạo',
  admin: 'Quản trị',
  kiosk: 'Kiosk',
  system: 'Hệ thống',
};

/** Phòng ban of who made a step. */
const DEPARTMENT: Partial<Record<Actor, string>> = {
  citizen: '',
  owner: '',
  receiver: 'Bộ phận tiếp nhận và trả kết quả',
  specialist: 'Bộ phận chuyên môn',
  leader: 'Lãnh đạo',
  admin: 'Bộ phận tiếp nhận và trả kết quả',
  kiosk: 'Bộ phận tiếp nhận và trả kết quả',
  system: 'Hệ thống',
};

const titleOf = (role: Actor): string => TITLE[role] ?? '';
const departmentOf = (role: Actor): string => DEPARTMENT[role] ?? '';

/** The `DongBoHoSoMC` record of a dossier's current state. */
export function dossierRecord(d: Dossier, p: PortalProcedure): DossierRecord {
  const ended = d.status === 3 || d.status === 8 || d.status === 9 || d.status === 10;
  return {
    MaHoSo: d.code,
    MaTTHC: p.nationalCode ?? '',
    TenTTHC: p.name || d.procedureName,
    MaLinhVuc: p.fieldCode ?? '',
    TenLinhVuc: p.field ?? '',
    ChuHoSo: d.applicant.fullName,
    LoaiDoiTuong: '1',
    MaDoiTuong: '',
    SoDienThoai: d.applicant.phone,
    Email: d.applicant.email ?? '',
    TrichYeuHoSo: d.procedureName,
    NgayTiepNhan: portalDate(d.acceptedAt ?? d.submittedAt),
    NgayHenTra: portalDate(d.appointmentAt),
    TrangThaiHoSo: portalStatus(d.status),
    NgayTra: d.status === 10 ? portalDate(d.updatedAt) : '',
    HinhThuc: '0',
    NgayKetThucXuLy: ended ? portalDate(d.endedAt ?? d.updatedAt) : '',
    DonViXuLy: p.unitName ?? d.ward,
    TaiLieuNop: d.components
      .filter((c) => c.digitized)
      .map((c) => ({
        TepDinhKemId: c.id,
        TenTepDinhKem: c.name,
        IsDeleted: 'False' as const,
        MaThanhPhanHoSo: c.id,
        DuongDanTaiTepTin: '',
      })),
    DanhSachLePhi:
      (d.feeDue ?? d.fee) > 0
        ? [
            {
              TenPhiLePhi: `Lệ phí ${d.procedureName}`,
              MaPhiLePhi: '',
              HinhThucThu: d.payment?.online ? '2' : '1',
              Gia: String(d.payment?.amount ?? d.feeDue ?? d.fee),
              LoaiPhiLePhi: '2',
            },
          ]
        : [],
    DanhSachHoSoBoSung: [],
    DanhSachGiayToKetQua: [],
  };
}

/** The `CapNhatTienDoHoSoMC` record of one step (a history entry, form 06's row). */
export function progressRecord(d: Dossier, h: HistoryEntry): ProgressRecord {
  return {
    MaHoSo: d.code,
    NguoiXuLy: h.by,
    ChucDanh: titleOf(h.role),
    ThoiDiemXuLy: portalDate(h.at),
    PhongBanXuLy: departmentOf(h.role),
    NoiDungXuLy: h.reason ? `${STATUS_NAME_VI[h.to]}: ${h.reason}` : STATUS_NAME_VI[h.to],
    TrangThai: portalStatus(h.to),
    NgayBatDau: portalDate(h.at),
    NgayKetThucTheoQuyDinh: portalDate(d.appointmentAt ?? d.dueAt),
  };
}
