/** Rendering a form (01-06) or the register (form 07) as a PDF. */
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import type { FontBytes } from '../fonts.ts';
import { qrPngBytes } from '../qr-png.ts';
import { footers, header, title, wardNames } from './blocks.ts';
import { form01, form02, form03, form04, form05, form06 } from './forms.ts';
import { BLANK, Composer, GREY } from './layout.ts';
import { FORM_TITLES, type FormData, type FormId, isFormId } from './model.ts';

/**
 * Renders one form of Circular 03/2025/TT-VPCP, Appendix I, as an A4 portrait PDF.
 * Form 01 carries a QR code of `data.lookupUrl` (left out when the URL is blank); form 06 tabulates
 * `data.history` and runs over as many pages as needed (the table header repeats). `fonts`: the
 * TTF bytes of shared/forms/fonts.ts (read by functions/adapters/fonts.ts).
 * @throws RangeError for an unknown form or a date that does not parse.
 */
export async function renderForm(form: FormId, data: FormData, fonts: FontBytes): Promise<Uint8Array> {
  if (!isFormId(form)) throw new RangeError(`Unknown form: ${JSON.stringify(form)}`);
  const issued = new Date(Date.parse(data.issuedAt));
  if (Number.isNaN(issued.getTime())) throw new RangeError(`Invalid date: ${JSON.stringify(data.issuedAt)}`);

  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  // Fixed subset tags (six capitals + '+', as PDF 32000 §9.6.4 asks) keep the output deterministic.
  const regular = await doc.embedFont(fonts.regular, { subset: true, customName: 'MCVNRE+BeVietnamPro-Regular' });
  const bold = await doc.embedFont(fonts.bold, { subset: true, customName: 'MCVNBD+BeVietnamPro-Bold' });
  const qr =
    form === '01' && data.lookupUrl.trim() !== '' ? await doc.embedPng(await qrPngBytes(data.lookupUrl)) : undefined;

  const c = new Composer(doc, regular, bold);
  header(c, data);
  title(c, form, data, form !== '04' && form !== '05');
  switch (form) {
    case '01':
      form01(c, data, qr);
      break;
    case '02':
      form02(c, data);
      break;
    case '03':
      form03(c, data);
      break;
    case '04':
      form04(c, data);
      break;
    case '05':
      form05(c, data);
      break;
    case '06':
      form06(c, data);
      break;
  }
  footers(c, data);

  doc.setTitle(`${FORM_TITLES[form]} - ${data.dossier.code}`, { showInWindowTitleBar: true });
  doc.setSubject(`Mẫu số ${form}, Phụ lục I, Thông tư 03/2025/TT-VPCP`);
  doc.setAuthor(wardNames(data.ward.name).office);
  doc.setLanguage('vi-VN');
  doc.setCreator('motcua');
  doc.setProducer('motcua (pdf-lib)');
  doc.setCreationDate(issued);
  doc.setModificationDate(issued);
  return doc.save();
}

/** What form 07 prints: the ward, the period and one line per dossier received in it. */
interface RegisterData {
  ward: FormData['ward'];
  /** `YYYY-MM-DD`, both ends included. */
  from: string;
  to: string;
  rows: readonly {
    no: number;
    code: string;
    procedureName: string;
    applicant: string;
    channel: string;
    receivedAt: string;
    appointmentAt: string;
    newAppointmentAt: string;
    endedAt: string;
    status: string;
    outcome: string;
  }[];
  issuedAt: string;
}

/** Renders form 07 (Sổ theo dõi hồ sơ) of a period as an A4 PDF, one entry per dossier. */
export async function renderRegister(data: RegisterData, fonts: FontBytes): Promise<Uint8Array> {
  const issued = new Date(Date.parse(data.issuedAt));
  if (Number.isNaN(issued.getTime())) throw new RangeError(`Invalid date: ${JSON.stringify(data.issuedAt)}`);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const regular = await doc.embedFont(fonts.regular, { subset: true, customName: 'MCVNRE+BeVietnamPro-Regular' });
  const bold = await doc.embedFont(fonts.bold, { subset: true, customName: 'MCVNBD+BeVietnamPro-Bold' });
  const c = new Composer(doc, regular, bold);
  const asForm: FormData = {
    ward: data.ward,
    dossier: { code: `${data.from} - ${data.to}`, procedureName: '', channel: 'counter', status: 1, components: [] },
    applicant: { fullName: '' },
    lookupUrl: '',
    issuedAt: data.issuedAt,
  };
  header(c, asForm);
  c.text('SỔ THEO DÕI HỒ SƠ', { bold: true, size: 13, align: 'center', after: 2 });
  const day = (s: string) => s.split('-').reverse().join('/');
  c.text(`Từ ngày ${day(data.from)} đến ngày ${day(data.to)}`, { align: 'center', after: 8 });
  if (data.rows.length === 0) c.text('Không có hồ sơ nào trong kỳ.', { color: GREY });
  for (const r of data.rows) {
    c.ensure(60);
    c.text(`${r.no}. ${r.code} - ${r.procedureName}`, { bold: true, after: 1 });
    c.text(`Người nộp: ${r.applicant}; hình thức: ${r.channel}; tiếp nhận: ${r.receivedAt}`, { size: 9.5, after: 1 });
    c.text(
      `Hẹn trả: ${r.appointmentAt || BLANK}${r.newAppointmentAt ? `; hẹn lại (gia hạn): ${r.newAppointmentAt}` : ''}; ` +
        `kết thúc: ${r.endedAt || BLANK}; trạng thái: ${r.status}${r.outcome ? `; ${r.outcome}` : ''}`,
      { size: 9.5, after: 4 },
    );
  }
  footers(c, asForm);
  doc.setTitle(`Sổ theo dõi hồ sơ ${data.from} - ${data.to}`, { showInWindowTitleBar: true });
  doc.setSubject('Mẫu số 07, Phụ lục I, Thông tư 03/2025/TT-VPCP');
  doc.setLanguage('vi-VN');
  doc.setCreator('motcua');
  doc.setCreationDate(issued);
  doc.setModificationDate(issued);
  return doc.save();
}
