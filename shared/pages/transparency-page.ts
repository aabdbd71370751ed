/**
 * The ward's transparency page (/p/{ward}/cong-khai): the Decision 766 indicators of a period by
 * month and by procedure, each drawn as a server-rendered SVG chart with the figures in tables
 * beside it (and as CSV). The arithmetic is shared/indicators.ts's; this only lays it out.
 */
import type { Report } from '../indicators.ts';
import type { Ward } from '../wards.ts';
import { formatDate, formatDay, formatMonth, formatRate } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { layout, type RenderedPage } from './layout.ts';
import { type Bar, barChart } from './svg.ts';

interface Indicator {
  readonly key: 'onTimeRate' | 'onlineRate' | 'onlinePaymentRate' | 'digitizationRate' | 'satisfactionRate';
  readonly name: string;
  /** The column heading of the tables. */
  readonly short: string;
  /** The criterion of Decision 766. */
  readonly criterion: string;
  /** Numerator / denominator as the report counts them, or undefined where it has no count. */
  readonly counts?: (r: Report) => readonly [number, number];
  /** Where the indicator earns full points, if it has such a mark. */
  readonly target?: number;
}

export const INDICATORS: readonly Indicator[] = [
  {
    key: 'onTimeRate',
    name: 'Giải quyết đúng hạn',
    short: 'Đúng hạn',
    criterion: '2.1',
    counts: (r) => [r.onTime, r.received],
  },
  {
    key: 'onlineRate',
    name: 'Hồ sơ trực tuyến',
    short: 'Trực tuyến',
    criterion: '3.3',
    counts: (r) => [r.online, r.received],
  },
  {
    key: 'onlinePaymentRate',
    name: 'Thanh toán trực tuyến',
    short: 'Thanh toán trực tuyến',
    criterion: '3.6',
    counts: (r) => [r.paidOnline, r.feeDossiers],
  },
  {
    key: 'digitizationRate',
    name: 'Số hóa hồ sơ',
    short: 'Số hóa',
    criterion: '4.2',
    counts: (r) => [r.digitized, r.received],
    target: 0.8,
  },
  { key: 'satisfactionRate', name: 'Mức độ hài lòng', short: 'Hài lòng', criterion: '5.4', target: 0.9 },
];

interface TransparencyInput {
  readonly ward: Ward;
  readonly from: string;
  readonly to: string;
  readonly total: Report;
  readonly months: readonly { readonly month: string; readonly report: Report }[];
  readonly procedures: readonly { readonly id: string; readonly name: string; readonly report: Report }[];
  /** The whole period as CSV (the public report route) and the tables of this page as CSV. */
  readonly csvTotal: string;
  readonly csvDetail: string;
  /** An error to show above the form (a bad period), the figures then are the default period's. */
  readonly problem?: string;
}

/** The value of an indicator, or undefined when it has nothing to measure (no dossier, no fee). */
export function indicatorValue(ind: Indicator, r: Report): number | undefined {
  const c = ind.counts?.(r);
  if (c ? c[1] === 0 : r.received === 0) return undefined;
  return r[ind.key];
}

/** A table cell: the rate, and the count under it. */
const cell = (ind: Indicator, r: Report): SafeHtml => {
  const v = indicatorValue(ind, r);
  if (v === undefined) return html`—`;
  const c = ind.counts?.(r);
  return html`${formatRate(v)}${c ? html`<br><small>${c[0]}/${c[1]}</small>` : ''}`;
};

const cellText = (ind: Indicator, r: Report): string => {
  const v = indicatorValue(ind, r);
  if (v === undefined) return '—';
  const c = ind.counts?.(r);
  return c ? `${formatRate(v)} (${c[0]}/${c[1]})` : formatRate(v);
};

const shortLabel = (label: string): string => (label.length > 70 ? `${label.slice(0, 69)}…` : label);

function chart(ind: Indicator, scope: string, rows: readonly { label: string; report: Report }[]): SafeHtml {
  const bars: Bar[] = rows.map((row) => {
    const value = indicatorValue(ind, row.report);
    return { label: row.label, value, text: value === undefined ? 'chưa có' : formatRate(value) };
  });
  // The labels as the chart shows them (a long procedure name is cut there too; the table has it whole).
  const desc = rows.map((row, i) => `${shortLabel(row.label)}: ${bars[i]?.text ?? ''}`).join('; ');
  return html`<figure><figcaption>${ind.name} (${ind.criterion}) ${scope}</figcaption>${barChart({
    title: `${ind.name} ${scope}`,
    desc: `Tỷ lệ ${ind.name.toLowerCase()} ${scope}. ${desc}.`,
    bars,
    ...(ind.target ? { target: { value: ind.target, label: `mức tối đa điểm ${formatRate(ind.target)}` } } : {}),
  })}</figure>`;
}

function table(caption: string, head: string, rows: readonly { label: string; report: Report }[]): SafeHtml {
  return html`<div class="table-wrap"><table class="figures">
<caption>${caption}</caption>
<thead><tr><th scope="col">${head}</th><th scope="col" class="num">Tiếp nhận</th>${INDICATORS.map(
    (i) => html`<th scope="col" class="num"><abbr title="${i.name}">${i.short}</abbr> (${i.criterion})</th>`,
  )}</tr></thead>
<tbody>${rows.map(
    (row) =>
      html`<tr><th scope="row">${row.label}</th><td>${row.report.received}</td>${INDICATORS.map(
        (i) => html`<td>${cell(i, row.report)}</td>`,
      )}</tr>`,
  )}</tbody></table></div>`;
}

/** Procedures drawn in the charts (the busiest; the table lists them all). */
export const CHART_PROCEDURES = 12;

export function transparencyPage(t: TransparencyInput): RenderedPage {
  const months = t.months.map((m) => ({ label: formatMonth(m.month), report: m.report }));
  const procs = t.procedures.map((p) => ({ label: p.name, report: p.report }));
  const drawn = [...procs].sort((a, b) => b.report.received - a.report.received).slice(0, CHART_PROCEDURES);
  const scopeProcs =
    drawn.length < procs.length ? `theo thủ tục (${drawn.length} thủ tục nhiều hồ sơ nhất)` : 'theo thủ tục';
  const r = t.total;
  const body = html`<main id="noi-dung">
<h1>Công khai kết quả giải quyết thủ tục hành chính</h1>
<p>Các chỉ số theo Quyết định 766/QĐ-TTg của Thủ tướng Chính phủ (Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp), tính trên các hồ sơ ${t.ward.name} tiếp nhận từ ngày <strong>${formatDay(t.from)}</strong> đến ngày <strong>${formatDay(t.to)}</strong>.</p>
${t.problem ? html`<p class="error" role="alert">${t.problem}</p>` : ''}
<form class="inline" method="get" action="/p/${t.ward.id}/cong-khai" aria-label="Chọn kỳ báo cáo">
<label for="from">Từ ngày <input type="date" id="from" name="from" value="${t.from}" required></label>
<label for="to">Đến ngày <input type="date" id="to" name="to" value="${t.to}" required></label>
<button type="submit">Xem</button>
</form>
<p>Tải số liệu (CSV): <a href="${t.csvDetail}" download>theo tháng và theo thủ tục</a> · <a href="${t.csvTotal}" download>tổng hợp cả kỳ</a></p>
<section aria-labelledby="tong-hop">
<h2 id="tong-hop">Tổng hợp cả kỳ</h2>
<dl class="facts">
<dt>Hồ sơ tiếp nhận</dt><dd><strong>${r.received}</strong> (đã giải quyết ${r.finished}, đang giải quyết ${r.inProgress})</dd>
${INDICATORS.map((i) => html`<dt>${i.name} (${i.criterion})</dt><dd><strong>${cellText(i, r)}</strong></dd>`)}
<dt>Hồ sơ quá hạn</dt><dd>${r.overdue}</dd>
</dl>
</section>
<section aria-labelledby="theo-thang">
<h2 id="theo-thang">Theo tháng</h2>
${months.length === 0 ? html`<p>Chưa có hồ sơ trong kỳ.</p>` : [table('Các chỉ số theo tháng', 'Tháng', months), INDICATORS.map((i) => chart(i, 'theo tháng', months))]}
</section>
<section aria-labelledby="theo-thu-tuc">
<h2 id="theo-thu-tuc">Theo thủ tục</h2>
${procs.length === 0 ? html`<p>Chưa có hồ sơ trong kỳ.</p>` : [table('Các chỉ số theo thủ tục', 'Thủ tục', procs), INDICATORS.map((i) => chart(i, scopeProcs, drawn))]}
</section>
<section aria-labelledby="cach-tinh">
<h2 id="cach-tinh">Cách tính</h2>
<ul>
<li>Đúng hạn (2.1): hồ sơ đã giải quyết trước hoặc đúng hạn, hoặc đang giải quyết còn trong hạn, trên tổng số hồ sơ tiếp nhận.</li>
<li>Trực tuyến (3.3): hồ sơ nộp trực tuyến trên tổng số hồ sơ tiếp nhận.</li>
<li>Thanh toán trực tuyến (3.6): hồ sơ nộp phí trực tuyến trên số hồ sơ của thủ tục có thu phí, lệ phí.</li>
<li>Số hóa (4.2): hồ sơ có thành phần được số hóa trên tổng số hồ sơ; đạt tối đa điểm từ 80%.</li>
<li>Hài lòng (5.4): 100% trừ tỷ lệ hồ sơ trễ hạn và tỷ lệ hồ sơ có phản ánh, kiến nghị hoặc đánh giá không hài lòng; đạt tối đa điểm từ 90%.</li>
</ul>
<p>Số liệu tính đến ${r.asOf ? formatDate(r.asOf) : ''}; “—” là chưa có hồ sơ để tính.</p>
</section>
</main>
<footer class="site"><p>${t.ward.centerName} · ${t.ward.address}</p></footer>`;
  return layout({
    title: `Công khai chỉ số phục vụ — ${t.ward.name}`,
    site: t.ward.centerName,
    siteDetail: t.ward.province,
    description: `Chỉ số giải quyết thủ tục hành chính của ${t.ward.name} theo Quyết định 766/QĐ-TTg.`,
    body,
  });
}

/** The page's tables as CSV: one row per month and per procedure, the report's keys as columns. */
export function transparencyCsv(t: Pick<TransparencyInput, 'months' | 'procedures' | 'total'>): string {
  const keys = Object.keys(t.total).filter((k) => k !== 'procedureId') as (keyof Report)[];
  const cell = (v: unknown) => {
    const s = String(v ?? '');
    return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const line = (scope: string, label: string, r: Report) =>
    [scope, label, ...keys.map((k) => r[k])].map(cell).join(',');
  return [
    ['scope', 'label', ...keys].join(','),
    line('period', `${t.total.from}..${t.total.to}`, t.total),
    ...t.months.map((m) => line('month', m.month, m.report)),
    ...t.procedures.map((p) => line('procedure', `${p.id} ${p.name}`, p.report)),
    '',
  ].join('\n');
}
