import type { Color, PDFImage } from 'pdf-lib';
import {
  applicantFields,
  dateOrBlank,
  field,
  reasonBlock,
  SEAL_HINT,
  SIGN_HINT,
  type Signer,
  signatures,
  wardNames,
} from './blocks.ts';
import {
  type Align,
  BLACK,
  BLANK,
  CONTENT_WIDTH,
  type Composer,
  GREY,
  HEADER_FILL,
  LEADING,
  MARGIN,
  PAGE_HEIGHT,
  type Run,
} from './layout.ts';
import {
  type FormData,
  formatCompact,
  formatDateTimeVi,
  OUTCOME_VI,
  pad2,
  ROLE_NAMES_VI,
  STATUS_NAMES_VI,
} from './model.ts';

const count = (n: number): string => (n < 10 ? pad2(n) : String(n));
/** `(01 bản chính, 02 bản sao)`, or `(02 bản)` where only the copies are known. */
const copiesText = (copies: number | undefined, originals?: number): string => {
  if (originals === undefined) return copies === undefined ? '' : ` (${count(copies)} bản)`;
  const parts = [
    ...(originals > 0 ? [`${count(originals)} bản chính`] : []),
    ...((copies ?? 0) > 0 ? [`${count(copies ?? 0)} bản sao`] : []),
  ];
  return parts.length ? ` (${parts.join(', ')})` : '';
};

export function form01(c: Composer, data: FormData, qr: PDFImage | undefined): void {
  const names = wardNames(data.ward.name);
  const d = data.dossier;
  c.text(`${names.office} tiếp nhận hồ sơ của:`, { after: 2 });
  applicantFields(c, data);
  field(c, 'Nội dung yêu cầu giải quyết', d.procedureName);
  field(c, 'Hình thức nộp hồ sơ', d.channel === 'online' ? 'Trực tuyến' : 'Trực tiếp');
  c.gap(4);
  c.text('1. Thành phần hồ sơ nộp gồm:', { after: 2 });
  if (d.components.length === 0) c.text(BLANK.repeat(3), { x: MARGIN.left + 18, after: 2 });
  d.components.forEach((comp, i) => {
    c.text(`${i + 1}) ${comp.name}${copiesText(comp.copies, comp.originals)}`, {
      x: MARGIN.left + 18,
      hanging: 16,
      after: 1,
    });
  });
  c.gap(3);
  c.text('2. Số lượng hồ sơ: 01 bộ.', { after: 2 });
  field(c, '3. Thời gian nhận hồ sơ', dateOrBlank(d.receivedAt));
  field(
    c,
    '   Thời hạn giải quyết',
    d.durationDays === undefined ? undefined : `${String(d.durationDays).replace('.', ',')} ngày làm việc`,
  );
  field(c, '4. Thời gian trả kết quả giải quyết hồ sơ', dateOrBlank(d.appointmentAt));
  field(c, '   Nơi trả kết quả', d.resultPlace);
  field(c, '   Vào Sổ theo dõi hồ sơ', d.registerLine);
  const lookup: Run[] = [
    { text: '5. Tra cứu tình trạng giải quyết hồ sơ: quét mã QR hoặc truy cập ' },
    { text: data.lookupUrl, bold: true },
    { text: ` và nhập mã hồ sơ ${d.code}.` },
  ];
  if (qr === undefined) {
    c.text(lookup, { after: 2 });
  } else {
    const side = 92;
    const caption = 'Mã QR tra cứu hồ sơ';
    c.ensure(side + 16);
    const top = c.y;
    const textWidth = CONTENT_WIDTH - side - 16;
    c.text(lookup, { width: textWidth, after: 2 });
    const textBottom = c.y;
    const qrX = MARGIN.left + CONTENT_WIDTH - side;
    c.page.drawImage(qr, { x: qrX, y: top - side, width: side, height: side });
    c.y = top - side;
    c.text(caption, { x: qrX - 10, width: side + 20, align: 'center', size: 8, color: GREY });
    c.y = Math.min(c.y, textBottom);
  }
  const receiver: Signer = { title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', hint: SIGN_HINT, name: data.officer?.name };
  signatures(
    c,
    d.channel === 'counter'
      ? [{ title: 'NGƯỜI NỘP HỒ SƠ', hint: SIGN_HINT, name: data.applicant.fullName }, receiver]
      : [receiver],
  );
}

export function form02(c: Composer, data: FormData): void {
  const names = wardNames(data.ward.name);
  const d = data.dossier;
  applicantFields(c, data, 'Hồ sơ của Ông/Bà');
  field(c, 'Nội dung yêu cầu giải quyết', d.procedureName);
  if (d.receivedAt) field(c, 'Thời gian tiếp nhận', formatDateTimeVi(d.receivedAt));
  c.gap(4);
  c.text(`Sau khi xem xét, ${names.office} đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:`, {
    after: 3,
  });
  reasonBlock(c, data.reason);
  const where = data.ward.address ? ` tại ${names.office} (${data.ward.address})` : ` tại ${names.office}`;
  c.text(`Hồ sơ đã bổ sung, hoàn thiện được nộp lại theo mã hồ sơ ${d.code}${where} hoặc trực tuyến.`, { after: 3 });
  const contact = data.officer ? `${data.officer.name}, ${names.office}` : names.office;
  c.text(
    `Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với ${contact} để được hướng dẫn. Tình trạng hồ sơ được tra cứu tại ${data.lookupUrl}.`,
    { after: 3 },
  );
  c.text('Xin trân trọng cảm ơn./.');
  signatures(c, [{ title: 'NGƯỜI HƯỚNG DẪN', hint: SIGN_HINT, name: data.officer?.name }]);
}

export function form03(c: Composer, data: FormData): void {
  const names = wardNames(data.ward.name);
  const d = data.dossier;
  c.text(`${names.office} tiếp nhận hồ sơ của:`, { after: 2 });
  applicantFields(c, data);
  field(c, 'Nội dung yêu cầu giải quyết', d.procedureName);
  if (d.receivedAt) field(c, 'Thời gian tiếp nhận', formatDateTimeVi(d.receivedAt));
  c.gap(4);
  c.text(`Qua xem xét, ${names.office} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:`, {
    after: 3,
  });
  reasonBlock(c, data.reason);
  c.text('Xin thông báo để Ông/Bà biết và thực hiện./.');
  signatures(c, [{ title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', hint: SIGN_HINT, name: data.officer?.name }]);
}

function salutation(c: Composer, data: FormData): void {
  c.text([{ text: 'Kính gửi: ' }, { text: `Ông/Bà ${data.applicant.fullName}`, bold: true }], {
    align: 'center',
    after: 10,
  });
}

export function form04(c: Composer, data: FormData): void {
  const names = wardNames(data.ward.name);
  const d = data.dossier;
  salutation(c, data);
  const received = `Vào ${d.receivedAt ? formatDateTimeVi(d.receivedAt) : `ngày ${BLANK}`}`;
  c.text(`${received}, ${names.office} tiếp nhận hồ sơ của Ông/Bà.`, { after: 2 });
  field(c, 'Mã hồ sơ', d.code);
  field(c, 'Nội dung yêu cầu giải quyết', d.procedureName);
  field(c, 'Thời gian hẹn trả kết quả', dateOrBlank(d.appointmentAt));
  c.gap(4);
  c.text(`Tuy nhiên đến nay, ${names.office} chưa trả kết quả giải quyết hồ sơ của Ông/Bà đúng hẹn. Lý do:`, {
    after: 3,
  });
  reasonBlock(c, data.reason);
  c.text(
    `Sự chậm trễ này đã gây phiền hà cho Ông/Bà. ${names.office} thành thật xin lỗi Ông/Bà và đề nghị gia hạn thời gian giải quyết hồ sơ đến:`,
    { after: 2 },
  );
  c.text(dateOrBlank(data.newAppointmentAt) ?? BLANK.repeat(2), { bold: true, align: 'center', after: 3 });
  c.text('Mong nhận được sự thông cảm của Ông/Bà./.');
  signatures(c, [{ title: 'THỦ TRƯỞNG CƠ QUAN', hint: SEAL_HINT, name: data.officer?.name }]);
}

export function form05(c: Composer, data: FormData): void {
  const names = wardNames(data.ward.name);
  const d = data.dossier;
  salutation(c, data);
  c.text(`${names.office} thông báo dừng giải quyết hồ sơ sau đây của Ông/Bà:`, { after: 2 });
  field(c, 'Mã hồ sơ', d.code);
  field(c, 'Nội dung yêu cầu giải quyết', d.procedureName);
  field(c, 'Thời gian tiếp nhận', dateOrBlank(d.receivedAt));
  c.gap(4);
  c.text('Lý do dừng giải quyết hồ sơ:', { after: 3 });
  reasonBlock(c, data.reason);
  c.text('Xin thông báo để Ông/Bà được biết./.');
  signatures(c, [{ title: 'THỦ TRƯỞNG CƠ QUAN', hint: SEAL_HINT, name: data.officer?.name }]);
}

const statusName = (code: number | undefined): string =>
  code === undefined ? '' : (STATUS_NAMES_VI[code] ?? `Trạng thái ${code}`);

const roleName = (role: string): string => ROLE_NAMES_VI[role] ?? role;

interface Column {
  title: string;
  width: number;
  align?: Align;
}

const HISTORY_COLUMNS: readonly Column[] = [
  { title: 'STT', width: 26, align: 'center' },
  { title: 'Thời gian', width: 62, align: 'center' },
  { title: 'Trạng thái trước', width: 76 },
  { title: 'Trạng thái sau', width: 76 },
  { title: 'Người thực hiện', width: 96 },
  { title: 'Kết quả', width: 50, align: 'center' },
  { title: 'Ghi chú', width: CONTENT_WIDTH - 26 - 62 - 76 - 76 - 96 - 50 },
];

const CELL_SIZE = 8.5;
const CELL_PAD = 3;

function tableRow(
  c: Composer,
  cells: readonly string[],
  options: { bold?: boolean; fill?: Color; align?: Align } = {},
): void {
  const lineHeight = CELL_SIZE * LEADING;
  const usable = PAGE_HEIGHT - MARGIN.top - MARGIN.bottom - 3 * lineHeight - 4 * CELL_PAD;
  const maxLines = Math.max(1, Math.floor(usable / lineHeight));
  const wrapped = HISTORY_COLUMNS.map((col, i) => {
    const lines = c.wrap(cells[i] ?? '', CELL_SIZE, col.width - 2 * CELL_PAD, col.width - 2 * CELL_PAD, options.bold);
    if (lines.length <= maxLines) return lines;
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = c.wrap('…', CELL_SIZE, col.width)[0] ?? { pieces: [], width: 0 };
    return kept;
  });
  const height = Math.max(...wrapped.map((l) => l.length)) * lineHeight + 2 * CELL_PAD;
  c.ensure(height);
  let x = MARGIN.left;
  HISTORY_COLUMNS.forEach((col, i) => {
    c.page.drawRectangle({
      x,
      y: c.y - height,
      width: col.width,
      height,
      borderColor: BLACK,
      borderWidth: 0.5,
      ...(options.fill ? { color: options.fill } : {}),
    });
    let top = c.y - CELL_PAD;
    for (const line of wrapped[i] ?? []) {
      c.drawLine(
        line,
        x + CELL_PAD,
        top,
        CELL_SIZE,
        options.align ?? col.align ?? 'left',
        col.width - 2 * CELL_PAD,
        BLACK,
      );
      top -= lineHeight;
    }
    x += col.width;
  });
  c.y -= height;
}

export function form06(c: Composer, data: FormData): void {
  const d = data.dossier;
  applicantFields(c, data, 'Kèm theo hồ sơ của Ông/Bà');
  field(c, 'Nội dung yêu cầu giải quyết', d.procedureName);
  field(c, 'Hình thức nộp hồ sơ', d.channel === 'online' ? 'Trực tuyến' : 'Trực tiếp');
  field(c, 'Thời gian tiếp nhận', dateOrBlank(d.receivedAt));
  field(c, 'Thời gian hẹn trả kết quả', dateOrBlank(d.appointmentAt));
  field(c, 'Trạng thái hiện tại', statusName(d.status));
  c.gap(8);
  const history = data.history ?? [];
  if (history.length === 0) {
    c.text('Chưa có lần chuyển trạng thái nào.', { color: GREY });
    return;
  }
  const head = (): void =>
    tableRow(
      c,
      HISTORY_COLUMNS.map((col) => col.title),
      {
        bold: true,
        fill: HEADER_FILL,
        align: 'center',
      },
    );
  // Keep the header with at least one row.
  c.ensure(CELL_SIZE * LEADING * 4 + 4 * CELL_PAD);
  head();
  c.onPageBreak = head;
  history.forEach((h, i) => {
    tableRow(c, [
      String(i + 1),
      formatCompact(h.at),
      statusName(h.from),
      statusName(h.to),
      `${h.by}\n(${h.title ?? roleName(h.role)})`,
      h.outcome ? OUTCOME_VI[h.outcome] : '',
      h.reason ?? '',
    ]);
  });
  c.onPageBreak = undefined;
}
