/**
 * A dossier's status page (/p/tra-cuu/{code}), what the receipt's QR opens. Until the last 4
 * digits of the applicant's phone are given it shows nothing of the dossier (not even whether it
 * exists: the code on a lost receipt is guessable); then its status, appointment and steps so far,
 * with no personal data. A plain GET form, so it works without any script.
 */
import type { PublicProgress } from '../use-cases/public-progress.ts';
import type { Ward } from '../wards.ts';
import { formatDateTime } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { layout, type RenderedPage } from './layout.ts';

const SITE = 'Tra cứu hồ sơ thủ tục hành chính';

type StatusPageInput = { readonly code: string; readonly ward?: Ward } & (
  | { readonly kind: 'ask' }
  | { readonly kind: 'not-found' | 'locked'; readonly message: string }
  | { readonly kind: 'found'; readonly progress: PublicProgress }
);

/** The ward a code belongs to, by its unit code prefix (public: it is printed in the code). */
export const wardOfCode = (code: string, wards: readonly Ward[]): Ward | undefined =>
  wards.find((w) => code.startsWith(`${w.unitCode}-`));

const statusPath = (code: string): string => `/p/tra-cuu/${encodeURIComponent(code)}`;

function form(code: string, again: boolean): SafeHtml {
  return html`<form class="inline" method="get" action="${statusPath(code)}">
<label for="phone">${again ? 'Nhập lại 4 số cuối' : '4 số cuối'} số điện thoại đã đăng ký
<input class="digits" id="phone" name="phone" inputmode="numeric" autocomplete="off" pattern="[0-9]{4}" maxlength="4" minlength="4" required aria-describedby="phone-help"></label>
<button type="submit">Xem tình trạng</button>
</form>
<p id="phone-help">Để bảo vệ thông tin của người nộp, tình trạng hồ sơ chỉ hiện khi nhập đúng 4 số cuối số điện thoại ghi trên hồ sơ.</p>`;
}

function found(p: PublicProgress): SafeHtml {
  const s = p.status;
  return html`<section aria-labelledby="tinh-trang">
<h2 id="tinh-trang">Tình trạng</h2>
<p class="status">${s.statusName}</p>
${s.overdue ? html`<p class="late">Hồ sơ đã quá hạn giải quyết. Cơ quan giải quyết sẽ gửi văn bản xin lỗi và hẹn lại ngày trả kết quả.</p>` : ''}
<dl class="facts">
<dt>Thủ tục</dt><dd>${s.procedureName}</dd>
<dt>Ngày nộp</dt><dd>${formatDateTime(s.submittedAt)}</dd>
<dt>Ngày hẹn trả kết quả</dt><dd>${s.appointmentAt ? html`<strong>${formatDateTime(s.appointmentAt)}</strong>` : 'Chưa có (hẹn khi hồ sơ được tiếp nhận)'}</dd>
${s.endedAt ? html`<dt>Kết thúc xử lý</dt><dd>${formatDateTime(s.endedAt)}</dd>` : ''}
</dl>
</section>
<section aria-labelledby="qua-trinh">
<h2 id="qua-trinh">Quá trình xử lý</h2>
${
  p.steps.length === 0
    ? html`<p>Chưa có bước xử lý nào.</p>`
    : html`<ol class="timeline">${p.steps.map(
        (st) => html`<li><strong>${st.statusName}</strong><br>${formatDateTime(st.at)} · ${st.office}</li>`,
      )}</ol>`
}
</section>
<p class="note">Trang này không hiển thị thông tin cá nhân của người nộp hồ sơ.</p>`;
}

export function statusPage(input: StatusPageInput): RenderedPage {
  let content: SafeHtml;
  switch (input.kind) {
    case 'ask':
      content = form(input.code, false);
      break;
    case 'not-found':
      content = html`<p class="error" role="alert">${input.message}</p>${form(input.code, true)}`;
      break;
    case 'locked':
      content = html`<p class="error" role="alert">${input.message}</p>`;
      break;
    case 'found':
      content = found(input.progress);
      break;
  }
  return layout({
    title: `Hồ sơ ${input.code} — tra cứu tình trạng`,
    site: input.ward?.centerName ?? SITE,
    ...(input.ward ? { siteDetail: SITE } : {}),
    body: html`<main id="noi-dung"><h1>Hồ sơ <span translate="no">${input.code}</span></h1>${content}</main>
<footer class="site"><p>Hỏi thêm tại Bộ phận một cửa nơi đã nộp hồ sơ, mang theo giấy tiếp nhận.</p></footer>`,
  });
}
