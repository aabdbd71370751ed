/**
 * The public pages in a real browser: Debian's chromium driven by puppeteer-core, against the
 * local servers (the same handlers as the cloud). Every request the browser makes is intercepted:
 * one that leaves our origin fails the test. Set SCREENSHOTS=1 to write docs/screenshots/*.png.
 *
 * Without /usr/bin/chromium (or CHROMIUM_PATH) the browser tests are skipped, and say so.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type HTTPResponse, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually, type Stack, startStack } from '../helpers/stack.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) {
  console.warn(
    `\n[test/pages] SKIPPED: no Chromium at ${CHROMIUM}. Install it (apt-get install -y chromium) ` +
      'or set CHROMIUM_PATH to run the browser tests of the public pages.\n',
  );
}
// Browser globals, used only inside callbacks that run in Chromium (the project's lib has no DOM).
declare const document: any;
declare const window: any;
declare function getComputedStyle(e: unknown): { fontSize: string };

const SHOTS = process.env.SCREENSHOTS === '1' ? join(import.meta.dirname, '../../docs/screenshots') : undefined;

const KHAI_SINH = 'bimson-dang-ky-khai-sinh';
const XAY_DUNG = 'bimson-cap-giay-phep-xay-dung-nha-o-rieng-le';
const MONTH = 30 * 24 * 3600_000;

let s: Stack;
let browser: Browser;
let origin: string;
let receiver: string;
let leader: string;
/** Requests the browser tried to send to another origin (all aborted). */
const outside: string[] = [];
/** CSP violations and script errors the pages reported. */
const consoleErrors: string[] = [];
let tracked: { code: string; phone: string; id: string };

async function open(path: string, opts: { width?: number; height?: number; js?: boolean } = {}) {
  const page = await browser.newPage();
  await page.setViewport({ width: opts.width ?? 1280, height: opts.height ?? 800 });
  if (opts.js === false) await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    const url = req.url();
    if (url.startsWith('data:') || new URL(url).origin === origin) void req.continue();
    else {
      outside.push(url);
      void req.abort();
    }
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon|status of 4\d\d|ERR_INTERNET_DISCONNECTED/.test(m.text()))
      consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const response = (await page.goto(origin + path, { waitUntil: 'load' })) as HTTPResponse;
  return { page, response };
}

async function shot(page: Page, name: string, scrollTo?: string) {
  if (!SHOTS) return;
  if (scrollTo) await page.$eval(scrollTo, (e) => e.scrollIntoView());
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) as `${string}.png`, fullPage: false });
}

// biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader sees
const text = (page: Page, sel: string) => page.$eval(sel, (e) => (e as { innerText: string }).innerText);
const texts = (page: Page, sel: string) =>
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader sees
  page.$$eval(sel, (es) => es.map((e) => (e as { innerText: string }).innerText.trim()));

async function move(id: string, to: number, token: string) {
  const d = await s.call('GET', `/v1/dossiers/${id}`, { token });
  const r = await s.call('POST', `/v1/dossiers/${id}/transitions`, {
    token,
    body: { to, expectedVersion: d.json.version },
  });
  if (r.status !== 200) throw new Error(`move ${id} to ${to}: ${r.status} ${r.text}`);
}

async function clockOffset(offsetMs: number) {
  const r = await s.call('POST', '/local/clock', { body: { offsetMs } });
  expect(r.status).toBe(200);
}

/** Three months of dossiers: online and at the counter, two procedures, some finished, some late. */
async function seedDossiers(citizen: string) {
  let n = 0;
  for (const monthsAgo of [2, 1, 0]) {
    // The 10th of the month (10:00 in Vietnam), two and one months ago; then now.
    const d = new Date();
    const at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - monthsAgo, 10, 3);
    await clockOffset(monthsAgo === 0 ? 0 : at - Date.now());
    for (let i = 0; i < 3 + monthsAgo; i++) {
      const r = await s.call('POST', '/v1/dossiers', {
        token: citizen,
        body: { ward: 'bimson', procedureId: KHAI_SINH, channel: 'online', applicant: applicant(++n) },
      });
      expect(r.status).toBe(201);
      await move(r.json.id, 2, receiver);
      await move(r.json.id, 4, receiver);
      if (i % 2 === 0 || monthsAgo === 0) {
        await move(r.json.id, 9, leader);
        await move(r.json.id, 10, receiver);
      }
    }
    for (let i = 0; i < 2; i++) {
      const r = await s.call('POST', '/v1/dossiers', {
        token: receiver,
        body: { ward: 'bimson', procedureId: XAY_DUNG, channel: 'counter', applicant: applicant(++n) },
      });
      expect(r.status).toBe(201);
      await move(r.json.id, 4, receiver);
    }
  }
  await clockOffset(0);
  return n;
}

beforeAll(async () => {
  if (!hasBrowser) return;
  s = await startStack();
  origin = new URL(s.base).origin;
  const cast = await s.cast('citizen-pages');
  receiver = cast.receiver;
  leader = cast.leader;
  const seeded = await seedDossiers(cast.citizen);
  // The dossier whose receipt we follow: online, accepted, in processing.
  const a = applicant(900);
  const d = await s.call('POST', '/v1/dossiers', {
    token: cast.citizen,
    body: { ward: 'bimson', procedureId: KHAI_SINH, channel: 'online', applicant: a },
  });
  await move(d.json.id, 2, receiver);
  await move(d.json.id, 4, receiver);
  tracked = { code: d.json.code, phone: a.phone, id: d.json.id };
  // The statistics consumer fills the facts behind the transparency page from the events.
  const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  const from = new Date(Date.now() - 4 * MONTH).toISOString().slice(0, 10);
  await eventually(async () => {
    const r = await s.call('GET', `/v1/reports/public?ward=bimson&from=${from}&to=${today}`);
    return r.json?.received === seeded + 1 && r.json.finished >= 6 ? true : undefined;
  }, 60_000);
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--lang=vi-VN',
    ],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

describe.runIf(hasBrowser)('Public pages in Chromium, against the local servers', () => {
  it("shows a procedure as the posted listing does: documents, fee in đồng, working days, where, the steps drawn and the page's QR", async () => {
    const proc = (await s.call('GET', `/v1/procedures/${XAY_DUNG}`)).json;
    const { page, response } = await open(`/p/bimson/thu-tuc/${XAY_DUNG}`);
    expect(response.status()).toBe(200);
    const h = response.headers();
    expect(h['content-security-policy']).toMatch(/default-src 'none'/);
    expect(h['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(h['content-security-policy']).not.toMatch(/https?:|unsafe-inline/);
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['cache-control']).toMatch(/public, max-age=\d+/);
    expect(Buffer.byteLength(await response.text())).toBeLessThan(100_000);
    expect(await page.$eval('html', (e) => e.getAttribute('lang'))).toBe('vi');
    expect(await text(page, 'h1')).toBe(proc.name);
    const rows = await texts(page, '#ho-so ~ .table-wrap tbody tr, section[aria-labelledby="ho-so"] tbody tr');
    expect(rows).toHaveLength(proc.documents.length);
    expect(rows[0]).toContain(proc.documents[0].name);
    const facts = await text(page, 'dl.facts');
    expect(facts).toContain('75.000 đồng');
    expect(facts).toContain(`${proc.durationDays} ngày làm việc`);
    expect(facts).toContain('Dịch vụ công trực tuyến một phần');
    const where = await text(page, 'section[aria-labelledby="noi-nop"]');
    expect(where).toContain('Điểm tiếp nhận số 1 (trụ sở phường Ba Đình cũ)');
    expect(where).toContain('Điểm tiếp nhận số 2 (trụ sở xã Hà Vinh cũ)');
    // The process picture: one numbered box per step, with a title and a description for screen readers.
    const steps = await page.$$eval('svg.steps > g', (gs) => gs.length);
    expect(steps).toBeGreaterThanOrEqual(5);
    expect(await page.$eval('svg.steps title', (t) => t.textContent)).toContain(proc.name);
    expect(await page.$eval('svg.steps desc', (t) => t.textContent)).toContain('Nộp phí, lệ phí');
    const box = await page.$eval('svg.steps', (e) => e.getBoundingClientRect().height);
    expect(box).toBeGreaterThan(200);
    expect(await text(page, 'section[aria-labelledby="nop-truc-tuyen"]')).toContain('VNeID');
    expect(await page.$$eval('.qr svg path', (p) => p.length)).toBeGreaterThan(0);
    await shot(page, 'thu-tuc');
    await shot(page, 'thu-tuc-quy-trinh', '#quy-trinh');
    await page.setViewport({ width: 390, height: 844, isMobile: true, deviceScaleFactor: 1 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'thu-tuc-dien-thoai');
    await page.close();
    // A procedure whose catalog entry has its own steps and audience: those are drawn and shown.
    const burial = (await s.call('GET', '/v1/procedures/bimson-ho-tro-chi-phi-mai-tang')).json;
    const own = await open('/p/bimson/thu-tuc/bimson-ho-tro-chi-phi-mai-tang');
    expect(await own.page.$$eval('svg.steps > g', (gs) => gs.length)).toBe(burial.steps.length);
    expect(await own.page.$eval('svg.steps desc', (t) => t.textContent)).toContain(burial.steps[3].name);
    expect(await text(own.page, 'dl.facts')).toContain(burial.audience);
    await own.page.close();
    const missing = await open('/p/quangtrung/thu-tuc/bimson-dang-ky-khai-sinh');
    expect(missing.response.status()).toBe(404);
    expect(await text(missing.page, 'main')).toContain('không tồn tại');
    await missing.page.close();
  });

  it('shows nothing of a dossier before the last 4 phone digits, then its status, appointment and steps, with no personal data (no script needed)', async () => {
    const { page, response } = await open(`/p/tra-cuu/${encodeURIComponent(tracked.code)}`, { js: false });
    expect(response.status()).toBe(200);
    expect(response.headers()['cache-control']).toBe('no-store');
    const before = await text(page, 'main');
    expect(before).toContain(tracked.code);
    expect(before).not.toContain('Đăng ký khai sinh');
    await page.type('#phone', '0000');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(await text(page, '.error')).toContain('Không tìm thấy hồ sơ');
    await page.type('#phone', tracked.phone.slice(-4));
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    const shown = await text(page, 'main');
    expect(await text(page, '.status')).toBe('Đang xử lý');
    expect(shown).toContain('Đăng ký khai sinh');
    expect(shown).toMatch(/Ngày hẹn trả kết quả\s+\d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}/);
    expect(await texts(page, 'ol.timeline li strong')).toEqual([
      'Mới tiếp nhận trực tuyến',
      'Đã tiếp nhận',
      'Đang xử lý',
    ]);
    const all = await page.content();
    const a = applicant(900);
    for (const personal of [a.fullName, a.idNumber, a.phone, 'Nhung']) expect(all).not.toContain(personal);
    await shot(page, 'tra-cuu');
    await page.setViewport({ width: 390, height: 844, isMobile: true, deviceScaleFactor: 1 });
    await shot(page, 'tra-cuu-dien-thoai');
    await page.close();
  });

  it('refuses more guesses at a code with the lookup lockout, in Vietnamese (429)', async () => {
    const a = applicant(901);
    const d = await s.call('POST', '/v1/dossiers', {
      token: receiver,
      body: { ward: 'bimson', procedureId: KHAI_SINH, channel: 'counter', applicant: a },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await s.call('GET', `/p/tra-cuu/${encodeURIComponent(d.json.code)}?phone=${1000 + i}`, {
        headers: { accept: 'text/html' },
      });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429]);
    const { page, response } = await open(`/p/tra-cuu/${encodeURIComponent(d.json.code)}?phone=${a.phone.slice(-4)}`);
    expect(response.status()).toBe(429);
    expect(await text(page, '.error')).toContain('Tra cứu sai quá nhiều lần');
    expect(await page.$('#phone')).toBeNull();
    await page.close();
  });

  it('shows the numbers each counter serves and the next ones, and follows a counter that calls `next` without a reload', async () => {
    const kiosk = await s.token('kiosk', 'kiosk-pages', 'bimson');
    const take = (group: string) =>
      s.call('POST', '/v1/queue/tickets', { token: kiosk, body: { point: 'badinh', group } });
    for (const g of ['hotich', 'hotich', 'datdai', 'hotich', 'xahoi', 'datdai', 'hotich', 'hotich']) {
      expect((await take(g)).status).toBe(201);
    }
    const next = (counter: string) => s.call('POST', `/v1/queue/counters/${counter}/next`, { token: receiver });
    const first = await next('badinh-1');
    expect(first.status).toBe(200);
    const board = (await s.call('GET', '/v1/queue/board?point=badinh')).json;
    const { page, response } = await open('/p/bimson/bang-goi-so/badinh', { width: 1920, height: 1080 });
    expect(response.headers()['cache-control']).toBe('no-store');
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    expect(await text(page, '[data-counter="badinh-1"] .num')).toBe(first.json.ticket.display);
    expect(await text(page, '[data-counter="badinh-2"] .num')).toBe('Đang trống');
    expect(await texts(page, '#upnext li')).toEqual(board.upcoming.map((t: { display: string }) => t.display));
    // The numbers are big: legible across a room.
    const px = await page.$eval('[data-counter="badinh-1"] .num', (e) =>
      Number.parseFloat(getComputedStyle(e).fontSize),
    );
    expect(px).toBeGreaterThanOrEqual(60);
    await shot(page, 'bang-goi-so');

    const second = await next('badinh-2');
    const expected = second.json.ticket.display as string;
    expect(expected).toBe(board.upcoming[0].display);
    await page.waitForFunction(
      (want) => document.querySelector('[data-counter="badinh-2"] .num')?.textContent === want,
      { timeout: 15_000 },
      expected,
    );
    expect(await texts(page, '#upnext li')).not.toContain(expected);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    // The network drops: the board keeps its numbers, says so, and catches up when it is back.
    await page.setOfflineMode(true);
    await page.waitForFunction(() => document.body.classList.contains('offline'), { timeout: 20_000 });
    expect(await text(page, '#conn')).toContain('Mất kết nối');
    expect(await text(page, '[data-counter="badinh-2"] .num')).toBe(expected);
    await shot(page, 'bang-goi-so-mat-ket-noi');
    const third = await next('badinh-3');
    await page.setOfflineMode(false);
    await page.waitForFunction(
      (want) => document.querySelector('[data-counter="badinh-3"] .num')?.textContent === want,
      { timeout: 20_000 },
      third.json.ticket.display,
    );
    expect(await page.evaluate(() => document.body.classList.contains('offline'))).toBe(false);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await page.close();
  });

  it('draws the Decision 766 indicators by month and by procedure, with the numbers beside them, for a chosen period, and as CSV', async () => {
    const { page, response } = await open('/p/bimson/cong-khai');
    expect(response.status()).toBe(200);
    expect(response.headers()['cache-control']).toMatch(/public/);
    expect(Buffer.byteLength(await response.text())).toBeLessThan(100_000);
    const from = await page.$eval('#from', (e) => (e as { value: string }).value);
    const to = await page.$eval('#to', (e) => (e as { value: string }).value);
    const report = (await s.call('GET', `/v1/reports/public?ward=bimson&from=${from}&to=${to}`)).json;
    const summary = await text(page, 'section[aria-labelledby="tong-hop"]');
    expect(summary).toContain(`Hồ sơ tiếp nhận\n${report.received}`);
    expect(summary).toContain(`(${report.onTime}/${report.received})`);
    // Charts drawn: ten of them (five indicators, by month and by procedure), bars with a width.
    expect(await page.$$eval('svg.chart', (c) => c.length)).toBe(10);
    const widths = await page.$$eval('svg.chart rect.bar', (rs) => rs.map((r) => r.getBoundingClientRect().width));
    expect(widths.filter((w) => w > 0).length).toBeGreaterThan(5);
    expect(await page.$eval('svg.chart title', (t) => t.textContent)).toContain('Giải quyết đúng hạn');
    const months = await texts(page, 'section[aria-labelledby="theo-thang"] tbody th');
    expect(months.length).toBeGreaterThanOrEqual(3);
    const procs = await texts(page, 'section[aria-labelledby="theo-thu-tuc"] tbody th');
    expect(procs).toEqual(
      expect.arrayContaining(['Đăng ký khai sinh', 'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ']),
    );
    await shot(page, 'cong-khai');
    await shot(page, 'cong-khai-theo-thang', '#theo-thang');
    await shot(page, 'cong-khai-theo-thu-tuc', '#theo-thu-tuc');

    // Another period, through the form (no script): only this month.
    const thisMonth = `${to.slice(0, 7)}-01`;
    await page.$eval(
      '#from',
      (e, v) => {
        (e as { value: string }).value = v;
      },
      thisMonth,
    );
    await Promise.all([page.waitForNavigation(), page.click('form button[type=submit]')]);
    expect(page.url()).toContain(`from=${thisMonth}`);
    const narrow = (await s.call('GET', `/v1/reports/public?ward=bimson&from=${thisMonth}&to=${to}`)).json;
    expect(await text(page, 'section[aria-labelledby="tong-hop"]')).toContain(`Hồ sơ tiếp nhận\n${narrow.received}`);
    expect(narrow.received).toBeLessThan(report.received);

    const csvHref = await page.$eval('a[href*="format=csv"]', (a) => a.getAttribute('href') ?? '');
    const csv = await s.call('GET', csvHref);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.split('\n')[0]).toContain('scope,label,ward,from,to');
    expect(csv.text).toMatch(/\nprocedure,bimson-dang-ky-khai-sinh Đăng ký khai sinh,/);
    const badPeriod = '/p/bimson/cong-khai?from=2026-05-01&to=2025-01-01';
    const bad = await s.call('GET', badPeriod, { headers: { accept: 'text/html' } });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Kỳ báo cáo không hợp lệ');
    // A client that does not ask for HTML gets the API's error shape.
    const badJson = await s.call('GET', badPeriod);
    expect([badJson.status, badJson.json.error.code]).toEqual([400, 'INVALID_PERIOD']);
    await page.close();
  });

  it('serves the API reference page with the same headers, drawn from our origin only', async () => {
    const { page, response } = await open('/docs');
    const h = response.headers();
    expect(h['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(h['content-security-policy']).not.toMatch(/https?:/);
    expect(h['x-content-type-options']).toBe('nosniff');
    await page.waitForSelector('.opblock', { timeout: 20_000 });
    await page.close();
  });

  it('sent no request to any other origin and met no CSP violation or script error on any page', () => {
    expect(outside).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
