import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import { afterEach, describe, expect, it } from 'vitest';
import { clearFontCache, fontDir, loadFonts } from '#functions/adapters/fonts.ts';
import { FONT_FILES } from '#shared/forms/fonts.ts';
import { qrSvg } from '#shared/forms/qr.ts';
import { qrPngBytes } from '#shared/forms/qr-png.ts';
import {
  FORM_IDS,
  FORM_TITLES,
  type FormData,
  type FormId,
  formatDateTimeVi,
  formatDateVi,
  isFormId,
  STATUS_NAMES_VI,
} from '#shared/forms/render/model.ts';
import { renderForm as renderWithFonts } from '#shared/forms/render/pdf.ts';

/** The renderer with the fonts the adapter reads (functions/adapters/fonts.ts). */
const renderForm = async (form: FormId, data: FormData) => renderWithFonts(form, data, await loadFonts());

const LOOKUP_URL = 'https://dichvucong.bimson.gov.vn/tra-cuu/G09.20-20250815-0000123';

const baseData = (over: Partial<FormData> = {}): FormData => ({
  ward: { name: 'Phường Bỉm Sơn', unitCode: 'G09.20', address: 'Số 1 đường Trần Phú, phường Bỉm Sơn' },
  dossier: {
    code: 'G09.20-20250815-0000123',
    procedureName: 'Đăng ký khai sinh',
    channel: 'counter',
    receivedAt: '2025-08-15T01:30:00Z',
    appointmentAt: '2025-08-18T09:00:00Z',
    status: 4,
    components: [
      { name: 'Tờ khai đăng ký khai sinh theo mẫu', copies: 1 },
      { name: 'Giấy chứng sinh do cơ sở y tế nơi trẻ sinh ra cấp', copies: 2 },
    ],
  },
  applicant: { fullName: 'Nguyễn Thị Hường', phone: '0912345678', address: 'Khu phố 3, phường Bỉm Sơn' },
  officer: { name: 'Lê Văn Đức' },
  reason: 'Thiếu bản sao Giấy chứng nhận kết hôn của cha mẹ.',
  newAppointmentAt: '2025-08-25T09:00:00Z',
  history: [
    { at: '2025-08-15T01:30:00Z', to: 2, by: 'Lê Văn Đức', role: 'receiver' },
    { at: '2025-08-15T02:00:00Z', from: 2, to: 4, by: 'Lê Văn Đức', role: 'receiver' },
  ],
  lookupUrl: LOOKUP_URL,
  issuedAt: '2025-08-15T01:35:00Z',
  ...over,
});

const historyRows = (n: number): NonNullable<FormData['history']> =>
  Array.from({ length: n }, (_, i) => ({
    at: new Date(Date.UTC(2025, 7, 15, 1, 30 + i * 7)).toISOString(),
    ...(i === 0 ? {} : { from: (i % 10) + 1 }),
    to: ((i + 1) % 10) + 1,
    by: `Trần Quốc Hưng ${i + 1}`,
    role: i % 2 === 0 ? 'receiver' : 'specialist',
    ...(i % 4 === 0 ? { reason: 'Yêu cầu bổ sung giấy tờ chứng minh nơi cư trú' } : {}),
  }));

/** The ToUnicode map of a font dictionary: glyph code (4 hex digits) -> text. */
function toUnicodeMap(font: PDFDict): Map<string, string> {
  const stream = font.lookup(PDFName.of('ToUnicode'));
  const map = new Map<string, string>();
  if (!(stream instanceof PDFRawStream)) return map;
  const cmap = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
  for (const section of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of (section[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      const units = (m[2] ?? '').match(/.{4}/g) ?? [];
      map.set((m[1] ?? '').toUpperCase(), String.fromCharCode(...units.map((u) => Number.parseInt(u, 16))));
    }
  }
  return map;
}

/**
 * Extracts the text of each page the way a viewer's copy-paste does: the hex glyph strings of `Tj`
 * decoded through the current font's ToUnicode map. Each `Tj` becomes one chunk, joined by newlines.
 */
async function extractText(bytes: Uint8Array): Promise<{ doc: PDFDocument; pages: string[] }> {
  const doc = await PDFDocument.load(bytes);
  const pages = doc.getPages().map((page) => {
    const fonts = new Map<string, Map<string, string>>();
    const fontDict = page.node.Resources()?.lookup(PDFName.of('Font'));
    if (fontDict instanceof PDFDict) {
      for (const [name, ref] of fontDict.entries()) {
        const font = ref instanceof PDFRef ? doc.context.lookup(ref) : ref;
        if (font instanceof PDFDict) fonts.set(name.asString(), toUnicodeMap(font));
      }
    }
    const contents = page.node.Contents();
    const streams = contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents];
    let source = '';
    for (const s of streams) {
      if (s instanceof PDFRawStream) source += `${Buffer.from(decodePDFRawStream(s).decode()).toString('latin1')}\n`;
    }
    const chunks: string[] = [];
    let current = new Map<string, string>();
    for (const m of source.matchAll(/(\/\S+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>\s*Tj/g)) {
      if (m[1] !== undefined) {
        current = fonts.get(m[1]) ?? new Map();
      } else {
        const codes = (m[2] ?? '').toUpperCase().match(/.{4}/g) ?? [];
        chunks.push(codes.map((code) => current.get(code) ?? '\uFFFD').join(''));
      }
    }
    return chunks.join('\n');
  });
  return { doc, pages };
}

const flat = (s: string): string => s.replace(/\s+/g, ' ');

/** The decoded sizes of the embedded font programs (FontFile2 streams). */
function embeddedFontSizes(doc: PDFDocument): number[] {
  const sizes: number[] = [];
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict) || obj.get(PDFName.of('Type')) !== PDFName.of('FontDescriptor')) continue;
    const file = obj.lookup(PDFName.of('FontFile2'));
    if (file instanceof PDFRawStream) sizes.push(decodePDFRawStream(file).decode().length);
  }
  return sizes;
}

const header = (bytes: Uint8Array): string => Buffer.from(bytes.subarray(0, 5)).toString('latin1');

describe('qr', () => {
  it('qrSvg returns an SVG document with a path of modules', async () => {
    const svg = await qrSvg(LOOKUP_URL);
    expect(svg.trimStart().startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/<path[^>]*\sd="M[^"]+"/);
  });

  it('different texts give different codes', async () => {
    expect(await qrSvg('https://a.example/1')).not.toBe(await qrSvg('https://a.example/2'));
  });

  it('qrPngBytes returns PNG bytes that pdf-lib can embed', async () => {
    const png = await qrPngBytes(LOOKUP_URL);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const doc = await PDFDocument.create();
    const image = await doc.embedPng(png);
    expect(image.width).toBe(image.height);
    expect(image.width).toBeGreaterThan(100);
  });
});

describe('fonts', () => {
  const saved = process.env.MOTCUA_FONT_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.MOTCUA_FONT_DIR;
    else process.env.MOTCUA_FONT_DIR = saved;
    clearFontCache();
  });

  it('FONT_FILES lists the Regular and Bold TrueType files of the package', async () => {
    delete process.env.MOTCUA_FONT_DIR;
    // infra/assets.ts copies exactly this list and requires a string array.
    expect(Array.isArray(FONT_FILES)).toBe(true);
    expect(FONT_FILES).toEqual(['400Regular/BeVietnamPro_400Regular.ttf', '700Bold/BeVietnamPro_700Bold.ttf']);
    const dir = fontDir();
    for (const rel of FONT_FILES) {
      const bytes = await readFile(join(dir, rel));
      expect([...bytes.subarray(0, 4)]).toEqual([0, 1, 0, 0]);
    }
  });

  it('loads once and serves the cache', async () => {
    delete process.env.MOTCUA_FONT_DIR;
    const a = await loadFonts();
    const b = await loadFonts();
    expect(a).toBe(b);
    expect(a.regular.length).toBeGreaterThan(50_000);
    expect(a.bold).not.toEqual(a.regular);
  });

  it('reads MOTCUA_FONT_DIR, with the relative layout or flat', async () => {
    const pkg = fontDir();
    const nested = await mkdtemp(join(tmpdir(), 'motcua-fonts-'));
    const flatDir = await mkdtemp(join(tmpdir(), 'motcua-fonts-flat-'));
    try {
      for (const rel of FONT_FILES) {
        await cp(join(pkg, rel), join(nested, rel), { recursive: true });
        await cp(join(pkg, rel), join(flatDir, rel.split('/').at(-1) ?? rel));
      }
      for (const dir of [nested, flatDir]) {
        process.env.MOTCUA_FONT_DIR = dir;
        clearFontCache();
        expect(fontDir()).toBe(dir);
        const fonts = await loadFonts();
        expect(fonts.bold.length).toBeGreaterThan(50_000);
        expect(header(await renderForm('03', baseData()))).toBe('%PDF-');
      }
    } finally {
      await rm(nested, { recursive: true, force: true });
      await rm(flatDir, { recursive: true, force: true });
    }
  });

  it('fails clearly when MOTCUA_FONT_DIR has no fonts, and retries later', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'motcua-nofonts-'));
    try {
      process.env.MOTCUA_FONT_DIR = empty;
      clearFontCache();
      await expect(loadFonts()).rejects.toThrow(/BeVietnamPro_400Regular\.ttf not found/);
      delete process.env.MOTCUA_FONT_DIR;
      await expect(loadFonts()).resolves.toHaveProperty('regular');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('dates', () => {
  it('formats in Vietnam time, Vietnamese style', () => {
    expect(formatDateTimeVi('2025-08-15T01:30:00Z')).toBe('08 giờ 30, ngày 15 tháng 8 năm 2025');
    // 23:05 UTC on 31 December is already 1 January in Vietnam; January and February take a zero.
    expect(formatDateTimeVi('2025-12-31T23:05:00Z')).toBe('06 giờ 05, ngày 01 tháng 01 năm 2026');
    expect(formatDateVi('2026-02-05T10:00:00+07:00')).toBe('ngày 05 tháng 02 năm 2026');
    expect(formatDateVi('2026-11-20T00:00:00+07:00')).toBe('ngày 20 tháng 11 năm 2026');
  });

  it('rejects what is not a date', () => {
    expect(() => formatDateVi('hôm qua')).toThrow(RangeError);
  });
});

describe('renderForm', () => {
  it('knows the six forms', () => {
    expect(FORM_IDS).toEqual(['01', '02', '03', '04', '05', '06']);
    expect(isFormId('06')).toBe(true);
    expect(isFormId('07')).toBe(false);
    expect(STATUS_NAMES_VI[6]).toBe('Chờ thực hiện nghĩa vụ tài chính');
  });

  it.each(FORM_IDS)('form %s is a small one-page PDF with real Vietnamese text', async (form: FormId) => {
    const bytes = await renderForm(form, baseData());
    expect(header(bytes)).toBe('%PDF-');
    // Subset fonts: the two full TTFs alone are 270 KB.
    expect(bytes.length).toBeLessThan(60_000);

    const { doc, pages } = await extractText(bytes);
    expect(doc.getPageCount()).toBe(1);
    const page = doc.getPage(0);
    expect(Math.round(page.getWidth())).toBe(595);
    expect(Math.round(page.getHeight())).toBe(842);

    const text = flat(pages.join('\n'));
    expect(text).not.toContain('\uFFFD');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain('UBND PHƯỜNG BỈM SƠN');
    expect(text).toContain('TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG');
    expect(text).toContain('Bỉm Sơn, ngày 15 tháng 8 năm 2025');
    expect(text).toContain(FORM_TITLES[form]);
    expect(text).toContain('Nguyễn Thị Hường');
    expect(text).toContain('Đăng ký khai sinh');
    expect(text).toContain('G09.20-20250815-0000123');

    for (const size of embeddedFontSizes(doc)) expect(size).toBeLessThan(40_000);
    expect(embeddedFontSizes(doc)).toHaveLength(2);
  });

  it('form 01 lists the components, the times and a QR image', async () => {
    const bytes = await renderForm('01', baseData());
    const { doc, pages } = await extractText(bytes);
    const text = flat(pages.join('\n'));
    expect(text).toContain('1) Tờ khai đăng ký khai sinh theo mẫu (01 bản)');
    expect(text).toContain('2) Giấy chứng sinh do cơ sở y tế nơi trẻ sinh ra cấp (02 bản)');
    expect(text).toContain('Thời gian nhận hồ sơ: 08 giờ 30, ngày 15 tháng 8 năm 2025');
    expect(text).toContain('Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 00, ngày 18 tháng 8 năm 2025');
    expect(text).toContain('NGƯỜI NỘP HỒ SƠ');
    const images = [...doc.context.enumerateIndirectObjects()].filter(
      ([, o]) => o instanceof PDFRawStream && o.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'),
    );
    expect(images.length).toBeGreaterThanOrEqual(1);
  });

  it('form 01 of an online dossier has no QR when the URL is blank, and only the receiver signs', async () => {
    const data = baseData({ lookupUrl: ' ' });
    data.dossier.channel = 'online';
    const { doc, pages } = await extractText(await renderForm('01', data));
    const images = [...doc.context.enumerateIndirectObjects()].filter(
      ([, o]) => o instanceof PDFRawStream && o.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'),
    );
    expect(images).toHaveLength(0);
    const text = flat(pages.join('\n'));
    expect(text).toContain('Trực tuyến');
    expect(text).not.toContain('NGƯỜI NỘP HỒ SƠ');
  });

  it('prints the reason (02-05) and the new appointment (04)', async () => {
    for (const form of ['02', '03', '04', '05'] as const) {
      const { pages } = await extractText(await renderForm(form, baseData()));
      expect(flat(pages.join('\n'))).toContain('Thiếu bản sao Giấy chứng nhận kết hôn của cha mẹ.');
    }
    const { pages } = await extractText(await renderForm('04', baseData()));
    expect(flat(pages.join('\n'))).toContain('16 giờ 00, ngày 25 tháng 8 năm 2025');
  });

  it('wraps long text within the page and keeps every word', async () => {
    const reason = Array.from({ length: 60 }, (_, i) => `Nội dung thứ ${i + 1} cần bổ sung.`).join(' ');
    const { doc, pages } = await extractText(await renderForm('02', baseData({ reason })));
    const text = flat(pages.join('\n'));
    expect(text).toContain('Nội dung thứ 1 cần bổ sung.');
    expect(text).toContain('Nội dung thứ 60 cần bổ sung.');
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
  });

  it('form 06 tabulates the history with Vietnamese status and role names', async () => {
    const { pages } = await extractText(await renderForm('06', baseData()));
    const text = flat(pages.join('\n'));
    expect(text).toContain('Trạng thái hiện tại: Đang xử lý');
    expect(text).toContain('Đã tiếp nhận');
    expect(text).toContain('(Cán bộ tiếp nhận)');
    expect(text).toContain('08:30 15/08/2025');
  });

  it('form 06 with 80 history rows runs over several pages and keeps every row', async () => {
    const bytes = await renderForm('06', baseData({ history: historyRows(80) }));
    const { doc, pages } = await extractText(bytes);
    expect(doc.getPageCount()).toBeGreaterThan(1);
    const text = flat(pages.join('\n'));
    expect(text).toContain('Trần Quốc Hưng 1 ');
    expect(text).toContain('Trần Quốc Hưng 80 ');
    // The header repeats and the pages are numbered.
    for (const [i, page] of pages.entries()) {
      expect(flat(page)).toContain('Người thực hiện');
      expect(flat(page)).toContain(`Trang ${i + 1}/${pages.length}`);
    }
  });

  it('is deterministic', async () => {
    const a = await renderForm('01', baseData());
    const b = await renderForm('01', baseData());
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('survives characters the font lacks and decomposed input', async () => {
    const name = 'Nguye\u0302\u0303n Văn A 😀\u0007';
    const { pages } = await extractText(await renderForm('03', baseData({ applicant: { fullName: name } })));
    const text = flat(pages.join('\n'));
    expect(text).toContain('Nguyễn Văn A ?');
    expect(text).not.toContain('\uFFFD');
  });

  it('rejects an unknown form and a bad date', async () => {
    await expect(renderForm('07' as FormId, baseData())).rejects.toThrow(RangeError);
    await expect(renderForm('01', baseData({ issuedAt: 'không rõ' }))).rejects.toThrow(RangeError);
  });
});

describe('Forms carry what the law asks (DESIGN.md §5b)', () => {
  it('uses ONE table of status names: the forms say what the API and messages say', async () => {
    const { STATUS_NAME_VI } = await import('#shared/dossier.ts');
    for (const code of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const)
      expect(STATUS_NAMES_VI[code]).toBe(STATUS_NAME_VI[code]);
  });

  it('prints on form 01 the working days, where the result is returned, copies and the register line', async () => {
    const base = baseData();
    const data = {
      ...base,
      dossier: {
        ...base.dossier,
        durationDays: 3,
        resultPlace: 'Bộ phận Một cửa, Phường Bỉm Sơn',
        registerLine: 'Sổ theo dõi hồ sơ năm 2025, số G09.20-20250815-0000123',
        components: [{ name: 'Bản sao giấy khai sinh', originals: 1, copies: 2 }],
      },
    } as FormData;
    const text = flat((await extractText(await renderForm('01', data))).pages.join('\n'));
    expect(text).toContain('3 ngày làm việc');
    expect(text).toContain('Nơi trả kết quả');
    expect(text).toContain('01 bản chính, 02 bản sao');
    expect(text).toContain('Sổ theo dõi hồ sơ năm 2025');
  });

  it('prints on form 06 the official by name and title, and each step as early, on time or late', async () => {
    const { historyRows: rowsOf } = await import('#shared/forms/dossier-forms.ts');
    const d = {
      id: 'd',
      code: 'G09.20-20250815-0000123',
      ward: 'bimson',
      procedureId: 'p',
      procedureName: 'Đăng ký khai sinh',
      channel: 'counter' as const,
      status: 9 as const,
      version: 4,
      createdBy: 'r',
      applicant: { fullName: 'Nguyễn Thị Hường', idNumber: '038123456789', phone: '0912345678' },
      components: [],
      durationHours: 24,
      fee: 0,
      submittedAt: '2025-08-11T01:00:00.000Z',
      acceptedAt: '2025-08-11T01:00:00.000Z',
      dueAt: '2025-08-14T01:00:00.000Z',
      endedAt: '2025-08-15T01:00:00.000Z',
      pauses: [],
      supplementCount: 0,
      updatedAt: '2025-08-15T01:00:00.000Z',
    };
    const rows = rowsOf(d, [
      {
        dossierId: 'd',
        version: 1,
        at: '2025-08-11T01:00:00.000Z',
        to: 2,
        by: 'r-1',
        role: 'receiver',
        byName: 'Lê Văn Đức',
        byTitle: 'Công chức Một cửa',
      },
      { dossierId: 'd', version: 2, at: '2025-08-11T02:00:00.000Z', from: 2, to: 4, by: 'r-1', role: 'receiver' },
      {
        dossierId: 'd',
        version: 3,
        at: '2025-08-15T01:00:00.000Z',
        from: 4,
        to: 9,
        by: 'l-1',
        role: 'leader',
        byName: 'Phạm Minh Tuấn',
        byTitle: 'Phó Chủ tịch',
      },
    ]);
    expect(rows.map((r) => [r.by, r.title, r.outcome])).toEqual([
      ['Lê Văn Đức', 'Công chức Một cửa', undefined],
      ['r-1', 'Cán bộ tiếp nhận', 'early'],
      ['Phạm Minh Tuấn', 'Phó Chủ tịch', 'late'],
    ]);
    const text = flat((await extractText(await renderForm('06', baseData({ history: rows })))).pages.join('\n'));
    expect(text).toContain('Phạm Minh Tuấn');
    expect(text).toContain('Phó Chủ tịch');
    expect(text).toContain('Quá hạn');
    expect(text).toContain('Trước hạn');
  });

  it('serves form 07 as a neutralised CSV and a PDF', async () => {
    const { registerCsv, registerRows } = await import('#shared/forms/dossier-forms.ts');
    const { renderRegister } = await import('#shared/forms/render/pdf.ts');
    const d = {
      id: 'd',
      code: 'G09.20-20250815-0000123',
      ward: 'bimson',
      procedureId: 'p',
      procedureName: '=HYPERLINK("http://x","y")',
      channel: 'online' as const,
      status: 10 as const,
      version: 4,
      createdBy: 'c',
      applicant: { fullName: '@Nguyễn', idNumber: '038123456789', phone: '0912345678' },
      components: [],
      durationHours: 24,
      fee: 0,
      submittedAt: '2025-08-11T01:00:00.000Z',
      acceptedAt: '2025-08-11T02:00:00.000Z',
      dueAt: '2025-08-14T02:00:00.000Z',
      endedAt: '2025-08-12T01:00:00.000Z',
      pauses: [],
      supplementCount: 0,
      updatedAt: '2025-08-12T01:00:00.000Z',
    };
    const rows = registerRows([d], new Date('2025-09-30T16:59:59.999Z'));
    const csv = registerCsv(rows);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csv).toContain(",'@Nguyễn,");
    expect(csv).toContain('Đúng hạn');
    const pdf = await renderRegister(
      {
        ward: baseData().ward,
        from: '2025-07-01',
        to: '2025-09-30',
        rows,
        issuedAt: '2025-10-01T01:00:00Z',
      },
      await loadFonts(),
    );
    const text = flat((await extractText(pdf)).pages.join('\n'));
    expect(text).toContain('SỔ THEO DÕI HỒ SƠ');
    expect(text).toContain('G09.20-20250815-0000123');
  });
});
