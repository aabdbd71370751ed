/**
 * The number board of a receiving point (/p/{ward}/bang-goi-so/{point}), for the TV in the
 * waiting room: large numbers, high contrast, legible from across the room. The server renders
 * the board as it is (first paint needs no script); a small script of ours (BOARD_SCRIPT) then
 * polls GET /v1/queue/board and updates the numbers in place, keeps the last figures when the
 * network drops, says so discreetly, and resumes by itself.
 */
import type { BoardView } from '../use-cases/queue.ts';
import { vnClock } from '../vn-time.ts';
import type { Ward } from '../wards.ts';
import { html, type SafeHtml } from './html.ts';
import { layout, type RenderedPage } from './layout.ts';

/** Where the script is served (same origin; the CSP allows only 'self' scripts). */
const BOARD_SCRIPT_PATH = '/p/assets/bang-goi-so.js';

/** `badinh-2` -> `Quầy 2`. */
export const counterName = (id: string): string => {
  const m = /-(\d+)$/.exec(id);
  return m ? `Quầy ${Number(m[1])}` : id;
};

const timeOf = (iso: string): string => {
  const d = vnClock(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
};

type Upcoming = BoardView['upcoming'][number];
const isPriority = (t: unknown): boolean =>
  typeof t === 'object' && t !== null && (t as { priority?: unknown }).priority === true;

function counters(b: BoardView): SafeHtml {
  return html`${b.counters.map(
    (c) =>
      html`<li data-counter="${c.counterId}"><span class="name">${counterName(c.counterId)}</span>${
        c.serving
          ? html`<span class="num">${c.serving.display}${isPriority(c.serving) ? html`<span class="prio-tag">Ưu tiên</span>` : ''}</span>`
          : html`<span class="num idle">Đang trống</span>`
      }</li>`,
  )}`;
}

const chips = (items: readonly Pick<Upcoming, 'display'>[]): SafeHtml =>
  html`${items.map((t) => html`<li>${t.display}</li>`)}`;

export function boardPage(ward: Ward, b: BoardView): RenderedPage {
  const upcoming = b.upcoming ?? [];
  // Priority numbers (booked appointments, UT…) come apart from the regular upcoming numbers.
  const priority: readonly { readonly display: string }[] = [...(b.priority ?? []), ...upcoming.filter(isPriority)];
  const regular = upcoming.filter((t) => !isPriority(t));
  const poll = `/v1/queue/board?ward=${encodeURIComponent(ward.id)}&point=${encodeURIComponent(b.point)}`;
  const header = html`<header class="site">
<div><h1>Bảng gọi số — ${b.pointName}</h1><p>${ward.centerName}</p></div>
<div><span class="conn" id="conn" role="status">Mất kết nối, đang thử lại…</span> <span class="clock" id="clock">${timeOf(b.at)}</span></div>
</header>`;
  const body = html`<main id="noi-dung" class="board-main" data-poll="${poll}">
<section aria-labelledby="h-dang-phuc-vu">
<h2 id="h-dang-phuc-vu">Đang phục vụ</h2>
<ul class="counters" id="counters" aria-live="polite">${counters(b)}</ul>
</section>
<section aria-labelledby="h-tiep-theo">
<h2 id="h-tiep-theo">Số tiếp theo</h2>
<ul class="upnext" id="upnext">${chips(regular)}</ul>
<p class="muted" id="upnext-empty"${regular.length > 0 ? html` hidden` : ''}>Không có số đang chờ.</p>
<div id="priority-box"${priority.length === 0 ? html` hidden` : ''}>
<h2 id="h-uu-tien">Số ưu tiên (người đã đặt lịch, người cao tuổi, người khuyết tật…)</h2>
<ul class="priority-list" id="priority">${chips(priority)}</ul>
</div>
<h2 id="h-dang-cho">Đang chờ theo nhóm</h2>
<ul class="waiting" id="waiting">${b.waiting.map(
    (w) => html`<li data-group="${w.group}"><span>${w.prefix} · ${w.groupName}</span><strong>${w.count}</strong></li>`,
  )}</ul>
<p class="muted">Tổng số đang chờ: <strong id="total">${b.totalWaiting}</strong> · cập nhật lúc <span id="updated">${timeOf(b.at)}</span></p>
</section>
</main>`;
  return layout({
    title: `Bảng gọi số — ${b.pointName}`,
    site: ward.centerName,
    header,
    body,
    bodyClass: 'board',
    scripts: [BOARD_SCRIPT_PATH],
  });
}

/**
 * The board's script: polls every 3 s, updates the lists in place (text only, no markup from the
 * network), marks a counter that just called a new number, and on failure keeps the last
 * figures, shows "mất kết nối" after 8 s without an answer and retries with a backoff capped at
 * 10 s (and at once when the browser says it is back online). ES2017, no dependency.
 */
export const BOARD_SCRIPT = `(function () {
  'use strict';
  var main = document.getElementById('noi-dung');
  if (!main) return;
  var url = main.getAttribute('data-poll');
  var POLL = 3000, MAX_WAIT = 10000, TIMEOUT = 6000, STALE = 8000;
  var lastOk = Date.now(), failures = 0, timer = null, seen = {};
  function $(id) { return document.getElementById(id); }
  function counterName(id) { var m = /-(\\d+)$/.exec(id); return m ? 'Quầy ' + Number(m[1]) : id; }
  function hhmm(d) {
    try { return d.toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' }); }
    catch (e) { return d.toTimeString().slice(0, 5); }
  }
  function node(tag, cls, text) { var n = document.createElement(tag); if (cls) n.className = cls; if (text !== undefined) n.textContent = text; return n; }
  function fill(list, nodes) { while (list.firstChild) list.removeChild(list.firstChild); nodes.forEach(function (n) { list.appendChild(n); }); }
  function chip(t) { return node('li', '', t.display); }
  function render(b) {
    var items = (b.counters || []).map(function (c) {
      var li = node('li'); li.setAttribute('data-counter', c.counterId);
      li.appendChild(node('span', 'name', counterName(c.counterId)));
      var now = c.serving ? c.serving.display : '';
      if (c.serving) {
        var num = node('span', 'num', c.serving.display);
        if (c.serving.priority === true) num.appendChild(node('span', 'prio-tag', 'Ưu tiên'));
        li.appendChild(num);
      } else li.appendChild(node('span', 'num idle', 'Đang trống'));
      if (now && seen[c.counterId] !== undefined && seen[c.counterId] !== now) li.className = 'fresh';
      if (now && seen[c.counterId] !== now) { (function (id) { setTimeout(function () { var x = document.querySelector('[data-counter="' + id + '"]'); if (x) x.className = ''; }, 8000); })(c.counterId); }
      seen[c.counterId] = now;
      return li;
    });
    fill($('counters'), items);
    var up = b.upcoming || [];
    var pri = (b.priority || []).concat(up.filter(function (t) { return t.priority === true; }));
    var reg = up.filter(function (t) { return t.priority !== true; });
    fill($('upnext'), reg.map(chip));
    $('upnext-empty').hidden = reg.length > 0;
    fill($('priority'), pri.map(chip));
    $('priority-box').hidden = pri.length === 0;
    fill($('waiting'), (b.waiting || []).map(function (w) {
      var li = node('li'); li.setAttribute('data-group', w.group);
      li.appendChild(node('span', '', w.prefix + ' · ' + w.groupName));
      li.appendChild(node('strong', '', String(w.count)));
      return li;
    }));
    $('total').textContent = String(b.totalWaiting);
    $('updated').textContent = hhmm(new Date(b.at));
  }
  function schedule(ms) { clearTimeout(timer); timer = setTimeout(poll, ms); }
  function offline(on) { document.body.classList.toggle('offline', on); }
  function poll() {
    var ctl = typeof AbortController === 'function' ? new AbortController() : null;
    var cut = ctl ? setTimeout(function () { ctl.abort(); }, TIMEOUT) : null;
    fetch(url, { cache: 'no-store', headers: { accept: 'application/json' }, signal: ctl ? ctl.signal : undefined })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (b) { clearTimeout(cut); lastOk = Date.now(); failures = 0; offline(false); render(b); schedule(POLL); })
      .catch(function () {
        clearTimeout(cut); failures++;
        if (Date.now() - lastOk > STALE) offline(true);
        schedule(Math.min(MAX_WAIT, POLL * Math.pow(2, failures - 1)));
      });
  }
  function clock() { $('clock').textContent = hhmm(new Date()); if (Date.now() - lastOk > STALE) offline(true); }
  document.querySelectorAll('[data-counter]').forEach(function (li) {
    var n = li.querySelector('.num'); seen[li.getAttribute('data-counter')] = n && !/idle/.test(n.className) ? n.firstChild.textContent : '';
  });
  window.addEventListener('online', function () { schedule(0); });
  setInterval(clock, 1000);
  clock();
  schedule(POLL);
})();
`;
