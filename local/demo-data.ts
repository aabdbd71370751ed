/**
 * Demo catalog for the local runtime: commune-level procedures (thủ tục hành chính cấp xã) as the
 * National Public Service Portal lists them after the two-tier local government reform of
 * 1 July 2025, for the two demo wards (`bimson`, `quangtrung`).
 *
 * Provenance. National codes (mã TTHC) were matched against public tools that deep-link the
 * portal by `maThuTuc` (1.001193, 1.000656, 1.000894, 1.004873, 1.004837, 2.000635, 2.000815,
 * 2.000884, 2.001035, 1.001731, 1.013225, 1.012812, 2.000986). Fees for hộ tịch copies and
 * chứng thực are the national ones (Thông tư 281/2016/TT-BTC, 226/2016/TT-BTC); the liên thông
 * deadline is the one announced with Quyết định 296/QĐ-VPCP. Deadlines of the other procedures
 * come from the Law on Civil Status 2014 and its decrees as remembered, not re-read; fees set by
 * the provincial People's Council (lệ phí hộ kinh doanh, giấy phép xây dựng, xác nhận tình trạng
 * hôn nhân) are typical values, not Thanh Hóa's verified ones. Entries marked "unverified" below
 * are plausible guesses. This is demo data: an administrator corrects it through the catalog API.
 *
 * `durationDays` is in working days. Where the law says "ngay trong ngày" (same day; next working
 * day when received after 15:00) the entry uses 1, the appointment the one-stop desk gives.
 */
import type { ProcedureInput } from '../shared/catalog.ts';

interface DemoProcedure {
  readonly id: string;
  readonly input: ProcedureInput & { ward: string };
}

type Doc = ProcedureInput['documents'][number];
type Template = Omit<ProcedureInput, 'ward' | 'agency' | 'active'>;

const doc = (id: string, name: string, opts: Partial<Omit<Doc, 'id' | 'name'>> = {}): Doc => ({
  id,
  name,
  originals: opts.originals ?? 1,
  copies: opts.copies ?? 0,
  required: opts.required ?? true,
});

const LUAT_HO_TICH = 'Luật Hộ tịch số 60/2014/QH13';
const ND_HO_TICH = 'Nghị định số 123/2015/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch';
const TT_HO_TICH = 'Thông tư số 04/2020/TT-BTP quy định chi tiết thi hành Luật Hộ tịch và Nghị định 123/2015/NĐ-CP';
const TT_LE_PHI = 'Thông tư số 85/2019/TT-BTC hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của HĐND tỉnh';
const ND_CHUNG_THUC =
  'Nghị định số 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký';
const TT_PHI_CHUNG_THUC = 'Thông tư số 226/2016/TT-BTC quy định mức thu, chế độ thu, nộp phí chứng thực';
const ND_TRO_GIUP_XA_HOI =
  'Nghị định số 20/2021/NĐ-CP quy định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội';
const ND_76_2024 = 'Nghị định số 76/2024/NĐ-CP sửa đổi, bổ sung Nghị định số 20/2021/NĐ-CP';

const CCCD = 'Căn cước công dân hoặc giấy tờ tùy thân có ảnh của người yêu cầu (xuất trình)';

/** Procedures by slug, in the order the catalog lists them. */
const TEMPLATES: Record<string, Template> = {
  'dang-ky-khai-sinh': {
    nationalCode: '1.001193',
    name: 'Đăng ký khai sinh',
    field: 'Hộ tịch',
    group: 'hotich',
    channels: ['full-online', 'counter'],
    // Luật Hộ tịch art. 16: ngay trong ngày; up to 3 working days when facts must be verified.
    durationDays: 1,
    fee: 0,
    feeNote: 'Miễn lệ phí đối với đăng ký khai sinh đúng hạn; đăng ký quá hạn thu theo nghị quyết của HĐND tỉnh.',
    documents: [
      doc('to-khai', 'Tờ khai đăng ký khai sinh (theo mẫu)'),
      doc('giay-chung-sinh', 'Giấy chứng sinh hoặc văn bản xác nhận của người làm chứng, giấy cam đoan việc sinh'),
      doc('cccd', CCCD, { originals: 0 }),
      doc('giay-ket-hon', 'Giấy chứng nhận kết hôn của cha mẹ (nếu có)', { originals: 0, copies: 1, required: false }),
    ],
    resultForm: 'both',
    legalBasis: [LUAT_HO_TICH, ND_HO_TICH, TT_HO_TICH, TT_LE_PHI],
  },
  'lien-thong-khai-sinh': {
    // 2.000986 on the liên thông portal; 2.000987 is the variant that also issues the ID card.
    nationalCode: '2.000986',
    name: 'Liên thông các thủ tục hành chính: đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
    field: 'Hộ tịch',
    group: 'hotich',
    channels: ['full-online'],
    // Online dossier: no more than 3 working days (Quyết định 296/QĐ-VPCP, 12/6/2024).
    durationDays: 3,
    fee: 0,
    feeNote: 'Miễn lệ phí đăng ký khai sinh đúng hạn và lệ phí đăng ký thường trú cho trẻ em.',
    documents: [
      doc('to-khai', 'Tờ khai điện tử đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế'),
      doc('giay-chung-sinh', 'Giấy chứng sinh (bản chụp hoặc bản điện tử)'),
      doc('y-kien-chu-ho', 'Ý kiến đồng ý của chủ hộ khi đăng ký thường trú vào hộ khác (nếu có)', {
        required: false,
      }),
    ],
    resultForm: 'electronic',
    legalBasis: [
      LUAT_HO_TICH,
      'Luật Cư trú số 68/2020/QH14',
      'Luật Bảo hiểm y tế số 25/2008/QH12',
      'Nghị định số 63/2024/NĐ-CP về liên thông điện tử 02 nhóm thủ tục hành chính',
      'Quyết định số 296/QĐ-VPCP ngày 12/6/2024 của Văn phòng Chính phủ',
    ],
  },
  'dang-ky-khai-tu': {
    nationalCode: '1.000656',
    name: 'Đăng ký khai tử',
    field: 'Hộ tịch',
    group: 'hotich',
    channels: ['full-online', 'counter'],
    // Luật Hộ tịch art. 34: ngay sau khi nhận đủ giấy tờ; up to 3 working days when verifying.
    durationDays: 1,
    fee: 0,
    feeNote: 'Miễn lệ phí đối với đăng ký khai tử đúng hạn.',
    documents: [
      doc('to-khai', 'Tờ khai đăng ký khai tử (theo mẫu)'),
      doc('giay-bao-tu', 'Giấy báo tử hoặc giấy tờ thay thế giấy báo tử'),
      doc('cccd', CCCD, { originals: 0 }),
    ],
    resultForm: 'both',
    legalBasis: [LUAT_HO_TICH, ND_HO_TICH, TT_HO_TICH],
  },
  'dang-ky-ket-hon': {
    nationalCode: '1.000894',
    name: 'Đăng ký kết hôn',
    field: 'Hộ tịch',
    group: 'hotich',
    // Both parties must be present to sign the register and receive the certificate.
    channels: ['partial-online', 'counter'],
    // Luật Hộ tịch art. 18: ngay sau khi nhận đủ giấy tờ; up to 5 working days when verifying.
    durationDays: 1,
    fee: 0,
    feeNote: 'Miễn lệ phí đăng ký kết hôn của công dân Việt Nam cư trú ở trong nước.',
    documents: [
      doc('to-khai', 'Tờ khai đăng ký kết hôn (theo mẫu)'),
      doc('cccd', 'Căn cước công dân của hai bên nam, nữ (xuất trình)', { originals: 0 }),
      doc(
        'xac-nhan-hon-nhan',
        'Giấy xác nhận tình trạng hôn nhân (khi bên đăng ký cư trú ở nơi khác hoặc thông tin chưa có trong cơ sở dữ liệu)',
        { required: false },
      ),
    ],
    resultForm: 'paper',
    legalBasis: [LUAT_HO_TICH, 'Luật Hôn nhân và gia đình số 52/2014/QH13', ND_HO_TICH, TT_HO_TICH],
  },
  'xac-nhan-tinh-trang-hon-nhan': {
    nationalCode: '1.004873',
    name: 'Cấp Giấy xác nhận tình trạng hôn nhân',
    field: 'Hộ tịch',
    group: 'hotich',
    channels: ['full-online', 'counter'],
    // Nghị định 123/2015 art. 22: 3 working days.
    durationDays: 3,
    // Unverified: the fee is set by the provincial People's Council; 3,000 đ is a common level.
    fee: 3_000,
    feeNote:
      'Mức thu theo nghị quyết của HĐND tỉnh; miễn cho người thuộc hộ nghèo, người khuyết tật, gia đình có công.',
    documents: [
      doc('to-khai', 'Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (theo mẫu)'),
      doc('cccd', CCCD, { originals: 0 }),
      doc('giay-to-hon-nhan', 'Giấy tờ chứng minh việc ly hôn hoặc vợ/chồng đã chết (nếu có)', {
        originals: 0,
        copies: 1,
        required: false,
      }),
    ],
    resultForm: 'both',
    legalBasis: [LUAT_HO_TICH, ND_HO_TICH, TT_HO_TICH, TT_LE_PHI],
  },
  'dang-ky-giam-ho': {
    nationalCode: '1.004837',
    name: 'Đăng ký giám hộ',
    field: 'Hộ tịch',
    group: 'hotich',
    channels: ['partial-online', 'counter'],
    // Luật Hộ tịch art. 20: 3 working days.
    durationDays: 3,
    fee: 0,
    feeNote: 'Miễn lệ phí đăng ký giám hộ.',
    documents: [
      doc('to-khai', 'Tờ khai đăng ký giám hộ (theo mẫu)'),
      doc('van-ban-cu-giam-ho', 'Văn bản cử người giám hộ theo quy định của Bộ luật Dân sự'),
      doc('cccd', CCCD, { originals: 0 }),
    ],
    resultForm: 'paper',
    legalBasis: [LUAT_HO_TICH, 'Bộ luật Dân sự số 91/2015/QH13', ND_HO_TICH, TT_HO_TICH],
  },
  'cap-ban-sao-trich-luc-ho-tich': {
    nationalCode: '2.000635',
    name: 'Cấp bản sao trích lục hộ tịch',
    field: 'Hộ tịch',
    group: 'hotich',
    channels: ['full-online', 'counter'],
    // Same day; next working day when received after 15:00.
    durationDays: 1,
    fee: 8_000,
    feeNote: '8.000 đồng/bản sao trích lục/sự kiện hộ tịch đã đăng ký.',
    documents: [
      doc('to-khai', 'Tờ khai cấp bản sao trích lục hộ tịch (theo mẫu)'),
      doc('cccd', CCCD, { originals: 0 }),
      doc('giay-uy-quyen', 'Văn bản ủy quyền khi yêu cầu thay (nếu có)', { required: false }),
    ],
    resultForm: 'both',
    legalBasis: [
      LUAT_HO_TICH,
      ND_HO_TICH,
      'Thông tư số 281/2016/TT-BTC quy định mức thu phí khai thác, sử dụng thông tin trong cơ sở dữ liệu hộ tịch',
    ],
  },
  'chung-thuc-ban-sao-tu-ban-chinh': {
    nationalCode: '2.000815',
    name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền cấp hoặc chứng nhận',
    field: 'Chứng thực',
    group: 'hotich',
    channels: ['partial-online', 'counter'],
    // Nghị định 23/2015 art. 7: same day; next working day when received after 15:00.
    durationDays: 1,
    fee: 2_000,
    feeRule: { kind: 'per-page', firstPages: 2, firstPagePrice: 2_000, nextPagePrice: 1_000, maxPerCopy: 200_000 },
    feeNote: '2.000 đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang, tối đa 200.000 đồng/bản.',
    documents: [
      doc('ban-chinh', 'Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao'),
      doc('ban-sao', 'Bản sao cần chứng thực (nếu người yêu cầu tự chuẩn bị)', {
        originals: 0,
        copies: 1,
        required: false,
      }),
    ],
    resultForm: 'both',
    legalBasis: [ND_CHUNG_THUC, TT_PHI_CHUNG_THUC],
  },
  'chung-thuc-chu-ky': {
    nationalCode: '2.000884',
    name: 'Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cả trường hợp chứng thực điểm chỉ)',
    field: 'Chứng thực',
    group: 'hotich',
    // The signer signs in front of the certifying officer.
    channels: ['counter'],
    durationDays: 1,
    fee: 10_000,
    feeNote: '10.000 đồng/trường hợp (một hoặc nhiều chữ ký trong cùng một giấy tờ, văn bản).',
    documents: [
      doc('cccd', CCCD, { originals: 0 }),
      doc('giay-to-can-chung-thuc', 'Giấy tờ, văn bản cần chứng thực chữ ký'),
    ],
    resultForm: 'paper',
    legalBasis: [ND_CHUNG_THUC, TT_PHI_CHUNG_THUC],
  },
  'chung-thuc-hop-dong-giao-dich': {
    nationalCode: '2.001035',
    name: 'Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất, nhà ở',
    field: 'Chứng thực',
    group: 'datdai',
    channels: ['counter'],
    // Nghị định 23/2015 art. 37: no more than 2 working days.
    durationDays: 2,
    fee: 50_000,
    feeNote: '50.000 đồng/hợp đồng, giao dịch; sửa đổi, bổ sung 30.000 đồng.',
    documents: [
      doc('du-thao-hop-dong', 'Dự thảo hợp đồng, giao dịch'),
      doc('cccd', 'Căn cước công dân của các bên tham gia hợp đồng, giao dịch', { originals: 0, copies: 1 }),
      doc('giay-chung-nhan', 'Giấy chứng nhận quyền sử dụng đất hoặc giấy tờ chứng minh quyền sở hữu tài sản', {
        copies: 1,
      }),
    ],
    resultForm: 'paper',
    legalBasis: [ND_CHUNG_THUC, 'Luật Đất đai số 31/2024/QH15', TT_PHI_CHUNG_THUC],
  },
  'ho-tro-chi-phi-mai-tang': {
    nationalCode: '1.001731',
    name: 'Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội',
    field: 'Bảo trợ xã hội',
    group: 'xahoi',
    channels: ['partial-online', 'counter'],
    // Unverified: 3 working days at the commune. Before 1/7/2025 the commune forwarded the file and
    // the district chairman decided within 3 working days; the two-tier reform left the decision
    // to the commune chairman.
    durationDays: 3,
    fee: 0,
    // The allowance paid (not a fee): 20 x the social assistance standard of 500,000 đ
    // (Nghị định 76/2024) = 10,000,000 đ.
    feeNote: 'Không thu phí, lệ phí. Mức hỗ trợ mai táng bằng 20 lần mức chuẩn trợ giúp xã hội.',
    documents: [
      doc('to-khai', 'Tờ khai đề nghị hỗ trợ chi phí mai táng (Mẫu số 04 ban hành kèm Nghị định số 20/2021/NĐ-CP)'),
      doc('giay-bao-tu', 'Giấy báo tử hoặc trích lục khai tử của người đã mất', { originals: 0, copies: 1 }),
      doc('cccd', 'Căn cước công dân của người đứng ra tổ chức mai táng (xuất trình)', { originals: 0 }),
    ],
    resultForm: 'both',
    legalBasis: [ND_TRO_GIUP_XA_HOI, ND_76_2024],
    audience:
      'Cơ quan, tổ chức, gia đình hoặc cá nhân tổ chức mai táng cho đối tượng bảo trợ xã hội đang hưởng trợ cấp hằng tháng',
    // The process as the ward's posted listing draws it (unverified wording).
    steps: [
      { name: 'Nộp tờ khai và giấy tờ', detail: 'Tại Bộ phận một cửa hoặc trực tuyến, kèm giấy báo tử' },
      { name: 'Tiếp nhận, chuyển hồ sơ', detail: 'Bộ phận một cửa chuyển công chức văn hóa - xã hội' },
      { name: 'Xem xét, trình ký', detail: 'Công chức lập danh sách, trình Chủ tịch UBND phường' },
      { name: 'Quyết định hỗ trợ', detail: 'Chủ tịch UBND phường ký quyết định trong 3 ngày làm việc' },
      { name: 'Chi trả', detail: 'Nhận tiền hỗ trợ mai táng tại UBND phường hoặc qua tài khoản' },
    ],
  },
  'dang-ky-thanh-lap-ho-kinh-doanh': {
    // Code under Nghị định 01/2021; unverified whether it changed with Nghị định 168/2025.
    nationalCode: '1.001612',
    name: 'Đăng ký thành lập hộ kinh doanh',
    field: 'Thành lập và hoạt động của hộ kinh doanh',
    group: 'datdai',
    channels: ['full-online', 'counter'],
    durationDays: 3,
    // Unverified for Thanh Hóa: set by the provincial People's Council; 100,000 đ is typical.
    fee: 100_000,
    feeNote: 'Mức thu theo nghị quyết của HĐND tỉnh.',
    documents: [
      doc('giay-de-nghi', 'Giấy đề nghị đăng ký hộ kinh doanh (theo mẫu)'),
      doc('cccd', 'Giấy tờ pháp lý của cá nhân đối với chủ hộ và thành viên hộ gia đình đăng ký', {
        originals: 0,
        copies: 1,
      }),
      doc('bien-ban-hop', 'Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh (nếu có)', {
        required: false,
      }),
      doc('giay-uy-quyen', 'Văn bản ủy quyền cho người đi nộp hồ sơ (nếu có)', { required: false }),
    ],
    resultForm: 'both',
    legalBasis: ['Luật Doanh nghiệp số 59/2020/QH14', 'Nghị định số 168/2025/NĐ-CP về đăng ký doanh nghiệp', TT_LE_PHI],
  },
  'cap-giay-phep-xay-dung-nha-o-rieng-le': {
    nationalCode: '1.013225',
    name: 'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ',
    field: 'Hoạt động xây dựng',
    group: 'datdai',
    channels: ['partial-online', 'counter'],
    // Luật Xây dựng art. 102: 15 days for individual houses: the law counts days (ngày), not
    // working days, so the catalog says so.
    durationDays: 15,
    durationUnit: 'calendar-days',
    // Unverified for Thanh Hóa: set by the provincial People's Council; 75,000 đ is common.
    fee: 75_000,
    feeNote: 'Mức thu theo nghị quyết của HĐND tỉnh cho giấy phép xây dựng nhà ở riêng lẻ.',
    documents: [
      doc('don-de-nghi', 'Đơn đề nghị cấp giấy phép xây dựng (theo mẫu)'),
      doc('giay-to-dat', 'Giấy tờ hợp pháp về quyền sử dụng đất', { originals: 0, copies: 1 }),
      doc('ban-ve-thiet-ke', 'Bản vẽ thiết kế xây dựng (mặt bằng, mặt cắt, mặt đứng, móng, đấu nối hạ tầng)', {
        originals: 2,
      }),
      doc('cam-ket-an-toan', 'Bản cam kết bảo đảm an toàn công trình liền kề (nếu có)', { required: false }),
    ],
    resultForm: 'both',
    legalBasis: [
      'Luật Xây dựng số 50/2014/QH13, sửa đổi, bổ sung bởi Luật số 62/2020/QH14',
      'Nghị định số 175/2024/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Xây dựng về quản lý hoạt động xây dựng',
      TT_LE_PHI,
    ],
  },
  'hoa-giai-tranh-chap-dat-dai': {
    nationalCode: '1.012812',
    name: 'Hòa giải tranh chấp đất đai',
    field: 'Đất đai',
    group: 'datdai',
    channels: ['counter'],
    // Luật Đất đai 2024 art. 235: no more than 30 days from receipt of the request, in calendar
    // days as the law counts them.
    durationDays: 30,
    durationUnit: 'calendar-days',
    fee: 0,
    documents: [
      doc('don-yeu-cau', 'Đơn yêu cầu hòa giải tranh chấp đất đai'),
      doc('giay-to-lien-quan', 'Giấy tờ, tài liệu liên quan đến thửa đất tranh chấp (nếu có)', {
        originals: 0,
        copies: 1,
        required: false,
      }),
    ],
    resultForm: 'paper',
    legalBasis: ['Luật Đất đai số 31/2024/QH15', 'Nghị định số 102/2024/NĐ-CP quy định chi tiết thi hành Luật Đất đai'],
  },
};

const WARD_CATALOGS: readonly { ward: string; agency: string; slugs: readonly string[] }[] = [
  {
    ward: 'bimson',
    agency: 'UBND phường Bỉm Sơn',
    slugs: Object.keys(TEMPLATES),
  },
  {
    ward: 'quangtrung',
    agency: 'UBND phường Quang Trung',
    slugs: [
      'dang-ky-khai-sinh',
      'dang-ky-khai-tu',
      'dang-ky-ket-hon',
      'cap-ban-sao-trich-luc-ho-tich',
      'chung-thuc-ban-sao-tu-ban-chinh',
      'chung-thuc-chu-ky',
      'ho-tro-chi-phi-mai-tang',
      'dang-ky-thanh-lap-ho-kinh-doanh',
    ],
  },
];

/** The demo catalog of both wards, ids `<ward>-<slug>`; fresh objects on every call. */
export function demoCatalog(): DemoProcedure[] {
  return WARD_CATALOGS.flatMap(({ ward, agency, slugs }) =>
    slugs.map((slug): DemoProcedure => {
      const t = TEMPLATES[slug];
      if (!t) throw new Error(`demo catalog: unknown procedure ${slug}`);
      return {
        id: `${ward}-${slug}`,
        input: {
          ...t,
          ward,
          agency,
          channels: [...t.channels],
          documents: t.documents.map((d) => ({ ...d })),
          legalBasis: [...t.legalBasis],
          active: true,
        },
      };
    }),
  );
}
