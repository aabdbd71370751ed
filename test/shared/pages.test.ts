/** The public pages' pure parts: escaping, formats, the steps, the board's priority numbers, the CSV. */
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '#shared/calendar.ts';
import type { Procedure } from '#shared/catalog.ts';
import { computeReport } from '#shared/indicators.ts';
import { boardPage, counterName } from '#shared/pages/board-page.ts';
import { formatDateTime, formatDong, formatRate, formatWorkingDays } from '#shared/pages/format.ts';
import { escapeHtml, html, trustedHtml } from '#shared/pages/html.ts';
import { PAGE_CSS } from '#shared/pages/layout.ts';
import { procedurePage } from '#shared/pages/procedure-page.ts';
import { statusPage } from '#shared/pages/status-page.ts';
import {
  CHART_PROCEDURES,
  INDICATORS,
  indicatorValue,
  transparencyCsv,
  transparencyPage,
} from '#shared/pages/transparency-page.ts';
import { procedureSteps } from '#shared/procedure-steps.ts';
import type { BoardView } from '#shared/use-cases/queue.ts';
import { wardById } from '#shared/wards.ts';

const ward = wardById('bimson')!;
const HOSTILE = `<script>alert("x")</script>' onload='x`;

const procedure = (over: Partial<Procedure> = {}): Procedure => ({
  id: 'bimson-test',
  ward: 'bimson',
  version: 1,
  updatedAt: '2026-06-09T01:00:00Z',
  name: 'Đăng ký khai sinh',
  field: 'Hộ tịch',
  channels: ['full-online', 'counter'],
  durationDays: 1,
  fee: 0,
  documents: [{ id: 'to-khai', name: 'Tờ khai', originals: 1, copies: 2, required: true }],
  resultForm: 'both',
  legalBasis: [],
  active: true,
  ...over,
});

describe('Function: html', () => {
  it('escapes every interpolated value, in text and in attributes, but not our own markup', () => {
    const out = html`<p title="${HOSTILE}">${HOSTILE}${trustedHtml('<b>ok</b>')}${[1, '<i>', null, false]}</p>`.value;
    expect(out).not.toContain('<script>');
    expect(out).not.toContain(`' onload='`);
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onload=&#39;x');
    expect(out).toContain('<b>ok</b>1&lt;i&gt;</p>');
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('leaves nothing of a hostile procedure name, document or fee note unescaped on the page', () => {
    const page = procedurePage({
      procedure: procedure({
        name: HOSTILE,
        feeNote: HOSTILE,
        documents: [{ id: 'x', name: HOSTILE, originals: 1, copies: 0, required: true }],
        steps: [{ name: HOSTILE, detail: HOSTILE }],
      }),
      ward,
      qr: trustedHtml('<svg></svg>'),
      pageUrl: 'https://x/p',
    }).html;
    expect(page).not.toMatch(/<script>|' onload='/);
    expect(page.match(/&lt;script&gt;/g)?.length).toBeGreaterThanOrEqual(5);
  });
});

describe('Formats', () => {
  it('writes money in đồng with dots, times in Vietnam, rates with a decimal comma, working days', () => {
    expect(formatDong(75_000)).toBe('75.000 đồng');
    expect(formatDong(1_234_567)).toBe('1.234.567 đồng');
    expect(formatDateTime('2026-06-09T10:00:00Z')).toBe('17:00 ngày 09/06/2026');
    expect(formatDateTime('2026-06-09T17:30:00Z')).toBe('00:30 ngày 10/06/2026');
    expect(formatRate(0.875)).toBe('87,5%');
    expect(formatRate(1)).toBe('100%');
    expect(formatWorkingDays(15)).toBe('15 ngày làm việc');
    expect(formatWorkingDays(0.5)).toBe('4 giờ làm việc');
  });
});

describe('Function: procedureSteps', () => {
  it("draws the catalog's own steps when it has them", () => {
    const steps = [{ name: 'Nộp tờ khai' }, { name: 'Nhận trợ cấp', detail: 'Tại UBND phường' }];
    expect(procedureSteps(procedure({ steps }))).toEqual(steps);
  });

  it('derives the lifecycle otherwise: a fee step only where there is a fee, the deadline on the last step', () => {
    const free = procedureSteps(procedure());
    expect(free.map((s) => s.name)).toEqual([
      'Nộp hồ sơ',
      'Tiếp nhận, kiểm tra hồ sơ',
      'Thẩm định, xử lý',
      'Lãnh đạo phê duyệt, ký kết quả',
      'Trả kết quả',
    ]);
    expect(free[0]?.detail).toContain('Trực tuyến');
    const paid = procedureSteps(procedure({ fee: 75_000, durationDays: 15, channels: ['counter'] }));
    expect(paid.map((s) => s.name)).toContain('Nộp phí, lệ phí');
    expect(paid[0]?.detail).toBe('Trực tiếp tại Bộ phận một cửa');
    expect(paid.at(-1)?.detail).toContain('15 ngày làm việc');
  });
});

const board = (over: Partial<BoardView> = {}): BoardView => ({
  ward: 'bimson',
  point: 'badinh',
  pointName: 'Điểm tiếp nhận số 1',
  day: '20260609',
  at: '2026-06-09T02:00:00Z',
  counters: [
    {
      counterId: 'badinh-1',
      serving: { display: 'A012', group: 'hotich', calledAt: 'x', lastCalledAt: 'x', recalls: 0, priority: false },
      lastCalled: null,
    },
    { counterId: 'badinh-2', serving: null, lastCalled: null },
  ],
  waiting: [{ group: 'hotich', groupName: 'Hộ tịch', prefix: 'A', count: 3 }],
  totalWaiting: 3,
  upcoming: [{ display: 'A013', group: 'hotich' }],
  priority: [],
  priorityPrefix: 'UT',
  ...over,
});

describe('Function: boardPage', () => {
  it('renders what each counter serves and the next numbers; the priority box stays hidden without priority numbers', () => {
    const page = boardPage(ward, board()).html;
    expect(page).toContain('<span class="name">Quầy 1</span><span class="num">A012</span>');
    expect(page).toContain('<span class="num idle">Đang trống</span>');
    expect(page).toMatch(/<ul class="upnext" id="upnext"><li>A013<\/li><\/ul>/);
    expect(page).toMatch(/<div id="priority-box" hidden>/);
    expect(page).toContain('data-poll="/v1/queue/board?ward=bimson&amp;point=badinh"');
    expect(page).toContain('<script src="/p/assets/bang-goi-so.js" defer></script>');
    expect(counterName('havinh-2')).toBe('Quầy 2');
  });

  it('puts priority numbers apart from the others', () => {
    const page = boardPage(
      ward,
      board({
        upcoming: [
          { display: 'A013', group: 'hotich' },
          { display: 'A014', group: 'hotich', priority: true },
        ],
      }),
    ).html;
    expect(page).toMatch(/<ul class="upnext" id="upnext"><li>A013<\/li><\/ul>/);
    expect(page).toMatch(/<div id="priority-box">/);
    expect(page).toMatch(/<ul class="priority-list" id="priority"><li>A014<\/li><\/ul>/);
  });

  it("shows the board's priority numbers of booked appointments (UT…) in the priority box, before flagged upcoming ones", () => {
    const page = boardPage(
      ward,
      board({
        priority: [{ display: 'UT001', slotStart: '2026-06-09T01:00:00Z', priority: true }],
        upcoming: [
          { display: 'A013', group: 'hotich' },
          { display: 'A014', group: 'hotich', priority: true },
        ],
      }),
    ).html;
    expect(page).toMatch(/<div id="priority-box">/);
    expect(page).toMatch(/<ul class="priority-list" id="priority"><li>UT001<\/li><li>A014<\/li><\/ul>/);
    expect(page).toMatch(/<ul class="upnext" id="upnext"><li>A013<\/li><\/ul>/);
  });
});

describe('Function: statusPage', () => {
  it('asks for the digits first and shows nothing of the dossier', () => {
    const page = statusPage({ code: 'H56.27.01-20260609-0001', kind: 'ask' }).html;
    expect(page).toContain('name="phone"');
    expect(page).toContain('action="/p/tra-cuu/H56.27.01-20260609-0001"');
    expect(page).not.toContain('class="status"');
  });
});

describe('Transparency figures', () => {
  const facts = [
    {
      dossierId: 'a',
      ward: 'bimson',
      procedureId: 'p1',
      submittedAt: '2026-06-01T02:00:00Z',
      online: true,
      status: 10,
      version: 5,
      dueAt: '2026-06-02T10:00:00Z',
      endedAt: '2026-06-02T02:00:00Z',
      acceptedAt: '2026-06-01T02:00:00Z',
      supplementCount: 0,
      hasFee: false,
      paidOnline: false,
      digitized: true,
      // Online (3.3) and digitized (4.2) count only with an electronic result.
      electronicResult: true,
      paused: false,
      complaint: false,
    },
  ];
  const r = computeReport(
    facts,
    { ward: 'bimson', from: '2026-06-01', to: '2026-06-30' },
    new Date('2026-07-01'),
    defaultCalendar(),
  );

  it('has nothing to measure where there is no denominator (no fee dossier), and the rate elsewhere', () => {
    const byKey = Object.fromEntries(INDICATORS.map((i) => [i.key, indicatorValue(i, r)]));
    expect(byKey).toEqual({
      onTimeRate: 1,
      onlineRate: 1,
      onlinePaymentRate: undefined,
      digitizationRate: 1,
      satisfactionRate: 1,
    });
  });

  it('writes a CSV row for the period, each month and each procedure', () => {
    const csv = transparencyCsv({
      total: r,
      months: [{ month: '2026-06', report: r }],
      procedures: [{ id: 'p1', name: 'Thủ tục, "một"', report: { ...r, procedureId: 'p1' } }],
    });
    const lines = csv.trim().split('\n');
    expect(lines[0]).toMatch(/^scope,label,ward,from,to,asOf,received,onTime,/);
    expect(lines[1]).toMatch(/^period,2026-06-01\.\.2026-06-30,bimson,/);
    expect(lines[2]).toMatch(/^month,2026-06,/);
    expect(lines[3]).toMatch(/^procedure,"p1 Thủ tục, ""một""",/);
    expect(lines.every((l) => l.split(',').length >= lines[0]!.split(',').length)).toBe(true);
  });
});

describe('Page weight', () => {
  it('keeps the transparency page under 100 KB for 400 days and 60 procedures with long names', () => {
    const r = computeReport(
      [],
      { ward: 'bimson', from: '2025-01-01', to: '2026-02-04' },
      new Date('2026-02-05'),
      defaultCalendar(),
    );
    const full = { ...r, received: 123, onTime: 100, online: 80, feeDossiers: 40, paidOnline: 12, digitized: 99 };
    const months = Array.from({ length: 14 }, (_, i) => ({
      month: `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
      report: full,
    }));
    const procedures = Array.from({ length: 60 }, (_, i) => ({
      id: `bimson-thu-tuc-${i}`,
      name: `Thủ tục số ${i} `.padEnd(300, 'dài '),
      report: { ...full, received: 200 - i },
    }));
    const page = transparencyPage({
      ward,
      from: '2025-01-01',
      to: '2026-02-04',
      total: full,
      months,
      procedures,
      csvTotal: '/v1/reports/public?x',
      csvDetail: '/p/bimson/cong-khai?x',
    }).html;
    expect(Buffer.byteLength(page)).toBeLessThan(100_000);
    // Every procedure is in the table; the charts draw the busiest.
    expect(page.match(/<tr><th scope="row">Thủ tục số/g)).toHaveLength(60);
    expect(page).toContain(`(${CHART_PROCEDURES} thủ tục nhiều hồ sơ nhất)`);
  });
});

describe('Stylesheet', () => {
  it('asks nothing from another origin (no @import, no url())', () => {
    expect(PAGE_CSS).not.toMatch(/@import|url\(/);
  });
});
