/**
 * The frame every public page shares: Vietnamese, `lang="vi"`, one inline stylesheet (allowed by
 * its hash in the Content-Security-Policy), no font or script from another origin. System fonts
 * render Vietnamese on phones, TVs and desktops alike, so no web font is needed.
 */
import { html, type SafeHtml, trustedHtml } from './html.ts';

/** The one stylesheet of the pages (inline: the first paint needs no second request). */
export const PAGE_CSS = `
:root{--ink:#1b1b1f;--muted:#4a4f57;--line:#c9ced6;--bg:#fff;--soft:#f2f5f9;--brand:#0b4a8b;--brand-ink:#fff;--accent:#a4161a;--ok:#1e6b33;--warn:#8a4b00}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg);line-height:1.55;font-size:1.0625rem}
a{color:var(--brand)}
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:.5rem}
header.site{background:var(--brand);color:var(--brand-ink);padding:.75rem 1rem}
header.site p{margin:0;font-size:.95rem;opacity:.95}
header.site strong{display:block;font-size:1.05rem}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;line-height:1.3;margin:.5rem 0 1rem;color:var(--brand)}
h2{font-size:1.25rem;margin:1.75rem 0 .75rem;padding-bottom:.25rem;border-bottom:2px solid var(--line)}
h3{font-size:1.05rem;margin:1.25rem 0 .5rem}
dl.facts{display:grid;grid-template-columns:minmax(9rem,14rem) 1fr;gap:.5rem 1rem;margin:0}
dl.facts dt{font-weight:600;color:var(--muted)}
dl.facts dd{margin:0}
@media (max-width:40rem){dl.facts{grid-template-columns:1fr;gap:0}dl.facts dd{margin-bottom:.6rem}}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.95rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top}
thead th{background:var(--soft)}
td.num,th.num{text-align:right}
td.num,table.figures td{white-space:nowrap;text-align:right}
tbody th{font-weight:600;min-width:7rem}
abbr[title]{text-decoration:none}
.table-wrap{overflow-x:auto}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:1rem;background:var(--soft);border:1px solid var(--line);font-size:.9rem;margin:0 .25rem .25rem 0}
.status{font-size:1.35rem;font-weight:700;color:var(--brand)}
.late{color:var(--accent);font-weight:700}
.note{background:var(--soft);border-left:4px solid var(--brand);padding:.75rem 1rem;margin:1rem 0}
.error{background:#fdecec;border-left:4px solid var(--accent);padding:.75rem 1rem;margin:1rem 0}
.cols{display:grid;grid-template-columns:1fr;gap:1rem}
@media (min-width:48rem){.cols{grid-template-columns:2fr 1fr}}
figure{margin:0 0 1.25rem}
figcaption{font-weight:600;margin-bottom:.25rem}
svg.chart,svg.steps{width:100%;height:auto;max-width:44rem;display:block}
svg .l{font-size:15px;fill:#1b1b1f}svg .v{font-size:15px;font-weight:700;fill:#1b1b1f}svg .bg{fill:#e4e9f0}svg .bar{fill:#0b4a8b}svg .tg{stroke:#a4161a;stroke-width:2;stroke-dasharray:5 4}svg .tt{font-size:13px;fill:#a4161a}
.qr{width:12rem;height:12rem;border:1px solid var(--line);background:#fff}
.qr svg{width:100%;height:100%;display:block}
form.inline{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end;margin:1rem 0}
form.inline label{display:flex;flex-direction:column;font-weight:600;gap:.25rem}
input{font:inherit;padding:.45rem .6rem;border:2px solid var(--muted);border-radius:.3rem;min-height:2.75rem}
input.digits{width:7rem;letter-spacing:.3rem;font-size:1.3rem}
button,.button{font:inherit;font-weight:600;background:var(--brand);color:#fff;border:0;border-radius:.3rem;padding:.55rem 1.1rem;min-height:2.75rem;cursor:pointer;text-decoration:none;display:inline-block}
ol.timeline{list-style:none;padding:0;margin:0;border-left:3px solid var(--brand)}
ol.timeline li{padding:.25rem 0 .75rem 1rem;position:relative}
ol.timeline li::before{content:"";position:absolute;left:-.55rem;top:.6rem;width:.8rem;height:.8rem;border-radius:50%;background:var(--brand)}
footer.site{max-width:60rem;margin:2rem auto 1rem;padding:0 1rem;color:var(--muted);font-size:.9rem}
body.board{background:#05121f;color:#f4f7fb;font-size:clamp(1rem,1.6vw,2.2rem);min-height:100vh;display:flex;flex-direction:column}
body.board header.site{background:#0b2a4a;display:flex;justify-content:space-between;align-items:center;gap:1rem;padding:.6em 1em}
body.board header.site h1{color:#fff;margin:0;font-size:1.35em}
body.board header.site p{font-size:.8em}
.clock{font-size:1.6em;font-weight:700;font-variant-numeric:tabular-nums}
.board-main{flex:1;display:grid;grid-template-columns:1fr;gap:1.5em;padding:1em 1.5em;max-width:none;width:100%;margin:0}
@media (min-width:56rem){.board-main{grid-template-columns:3fr 2fr}}
.board h2{color:#ffd24d;border-color:#28476a;font-size:1.1em;margin:0 0 .5em}
.counters{list-style:none;margin:0;padding:0;display:grid;gap:.5em}
.counters li{display:grid;grid-template-columns:1fr auto;align-items:center;background:#0e2740;border-radius:.3em;padding:.3em .7em}
.counters .name{font-size:1.2em}
.counters .num{font-size:2.6em;font-weight:800;color:#ffd24d;font-variant-numeric:tabular-nums;letter-spacing:.03em}
.counters .num.idle{color:#8fa3b8;font-size:1.4em;font-weight:600}
.counters li.fresh{outline:.15em solid #ffd24d}
.upnext,.priority-list{list-style:none;margin:0 0 1em;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(5.2em,1fr));gap:.4em}
.upnext li,.priority-list li{background:#0e2740;border-radius:.3em;padding:.15em .4em;text-align:center;font-size:1.5em;font-weight:700;font-variant-numeric:tabular-nums}
.priority-list li{background:#5c1010;color:#fff}
.waiting{list-style:none;margin:0;padding:0}
.waiting li{display:flex;justify-content:space-between;border-bottom:1px solid #28476a;padding:.2em 0}
.board .muted{color:#b9c6d4}
.conn{display:none;background:#6b1d1d;color:#fff;padding:.2em .8em;border-radius:.3em;font-size:.8em}
body.offline .conn{display:inline-block}
.prio-tag{display:inline-block;background:#a4161a;color:#fff;border-radius:.2em;padding:0 .3em;font-size:.5em;vertical-align:middle;margin-left:.3em}
@media print{header.site{background:none;color:#000}.skip,form{display:none}}
`.trim();

interface PageInput {
  /** The <title> and the default <h1>. */
  readonly title: string;
  /** The header's first line (the center or the ward). */
  readonly site: string;
  readonly siteDetail?: string;
  readonly body: SafeHtml;
  /** Same-origin scripts (loaded with `defer`, never needed for the first paint). */
  readonly scripts?: readonly string[];
  readonly bodyClass?: string;
  readonly description?: string;
  /** Replaces the standard header (the board has its own). */
  readonly header?: SafeHtml;
}

/** A whole page, and the inline stylesheets its CSP must allow by hash. */
export interface RenderedPage {
  readonly html: string;
  readonly inlineStyles: readonly string[];
}

export function layout(p: PageInput): RenderedPage {
  const header = p.header ?? html`<header class="site"><p><strong>${p.site}</strong>${p.siteDetail ?? ''}</p></header>`;
  const page = html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title}</title>
${p.description ? html`<meta name="description" content="${p.description}">` : ''}
<meta name="referrer" content="no-referrer">
<style>${trustedHtml(PAGE_CSS)}</style>
${(p.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}
</head>
<body${p.bodyClass ? html` class="${p.bodyClass}"` : ''}>
<a class="skip" href="#noi-dung">Bỏ qua, đến nội dung chính</a>
${header}
${p.body}
</body>
</html>`;
  return { html: page.value, inlineStyles: [PAGE_CSS] };
}

/** A short page for a missing procedure, a bad period, a refused lookup. */
export function messagePage(title: string, message: string, site: string): RenderedPage {
  return layout({
    title,
    site,
    body: html`<main id="noi-dung"><h1>${title}</h1><p class="error">${message}</p></main>`,
  });
}
