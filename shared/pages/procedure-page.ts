/**
 * The procedure's public page (/p/{ward}/thu-tuc/{procedureId}): what the posted listing shows,
 * "có hình ảnh quy trình và mã QR": who it is for, the documents with their copies, the fee, the
 * deadline in working days, the channels, where to submit, the process drawn, how to submit
 * online, and the QR code that opens this page.
 */
import type { Procedure, ProcedureChannel } from '../catalog.ts';
import { procedureSteps } from '../procedure-steps.ts';
import type { Ward } from '../wards.ts';
import { formatDong, formatWorkingDays } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { layout, type RenderedPage } from './layout.ts';
import { stepsSvg } from './svg.ts';

const CHANNEL_NAME_VI: Record<ProcedureChannel, string> = {
  'full-online': 'Dịch vụ công trực tuyến toàn trình',
  'partial-online': 'Dịch vụ công trực tuyến một phần',
  counter: 'Nộp trực tiếp tại Bộ phận một cửa',
};

const RESULT_VI = {
  paper: 'Bản giấy',
  electronic: 'Bản điện tử (có chữ ký số)',
  both: 'Bản giấy hoặc bản điện tử (có chữ ký số)',
} as const;

interface ProcedurePageInput {
  readonly procedure: Procedure;
  readonly ward: Ward;
  /** The QR code of this page, an SVG we drew. */
  readonly qr: SafeHtml;
  /** This page's own address (what the QR encodes). */
  readonly pageUrl: string;
}

function documentsTable(p: Procedure): SafeHtml {
  if (p.documents.length === 0) return html`<p>Không yêu cầu giấy tờ kèm theo.</p>`;
  return html`<div class="table-wrap"><table>
<caption>Thành phần hồ sơ (${p.documents.length} loại giấy tờ)</caption>
<thead><tr><th scope="col">Giấy tờ</th><th scope="col" class="num">Bản chính</th><th scope="col" class="num">Bản sao</th><th scope="col">Bắt buộc</th></tr></thead>
<tbody>${p.documents.map(
    (d) =>
      html`<tr><td>${d.name}</td><td class="num">${d.originals}</td><td class="num">${d.copies}</td><td>${d.required ? 'Có' : 'Không (nếu có)'}</td></tr>`,
  )}</tbody></table></div>`;
}

function fee(p: Procedure): SafeHtml {
  const amount = p.fee > 0 ? html`<strong>${formatDong(p.fee)}</strong>` : html`<strong>Không thu phí, lệ phí</strong>`;
  return html`${amount}${p.feeNote ? html`<br>${p.feeNote}` : ''}`;
}

function onlineHowTo(p: Procedure, ward: Ward): SafeHtml {
  const online = p.channels.filter((c) => c !== 'counter');
  if (online.length === 0) {
    return html`<p>Thủ tục này chỉ nộp trực tiếp tại Bộ phận một cửa (xem nơi nộp ở trên).</p>`;
  }
  const code = p.nationalCode ? html` (mã thủ tục <strong>${p.nationalCode}</strong>)` : '';
  return html`<ol>
<li>Đăng nhập Cổng Dịch vụ công quốc gia hoặc Cổng Dịch vụ công của tỉnh bằng tài khoản định danh điện tử <strong>VNeID</strong> (mức 2).</li>
<li>Tìm thủ tục “${p.name}”${code}, chọn cơ quan thực hiện <strong>${p.agency ?? ward.name}</strong>.</li>
<li>Điền tờ khai điện tử; tải lên bản chụp hoặc bản điện tử của các giấy tờ trong thành phần hồ sơ.</li>
${p.fee > 0 ? html`<li>Nộp phí, lệ phí trực tuyến khi được yêu cầu (VNPay, MoMo).</li>` : ''}
<li>Nhận mã hồ sơ qua tin nhắn; theo dõi tiến độ bằng cách quét mã QR trên giấy tiếp nhận hoặc mở trang tra cứu với mã hồ sơ.</li>
${online.includes('partial-online') ? html`<li>Mang bản chính các giấy tờ đến Bộ phận một cửa để đối chiếu khi nhận kết quả.</li>` : ''}
</ol>
<p class="note">Cần giúp nộp trực tuyến? Tổ công nghệ số cộng đồng ở tổ dân phố của bạn và cán bộ Bộ phận một cửa hướng dẫn miễn phí.</p>`;
}

export function procedurePage(input: ProcedurePageInput): RenderedPage {
  const { procedure: p, ward } = input;
  const steps = procedureSteps(p);
  const body = html`<main id="noi-dung">
<p><a href="#quy-trinh">Quy trình</a> · <a href="#noi-nop">Nơi nộp</a> · <a href="#nop-truc-tuyen">Nộp trực tuyến</a></p>
<h1>${p.name}</h1>
<div class="cols">
<section aria-labelledby="thong-tin">
<h2 id="thong-tin">Thông tin chung</h2>
<dl class="facts">
<dt>Lĩnh vực</dt><dd>${p.field}</dd>
${p.nationalCode ? html`<dt>Mã thủ tục</dt><dd>${p.nationalCode}</dd>` : ''}
<dt>Đối tượng thực hiện</dt><dd>${p.audience ?? 'Cá nhân, tổ chức có yêu cầu'}</dd>
<dt>Cơ quan thực hiện</dt><dd>${p.agency ?? ward.name}</dd>
<dt>Thời hạn giải quyết</dt><dd><strong>${formatWorkingDays(p.durationDays)}</strong> kể từ khi nhận đủ hồ sơ hợp lệ</dd>
<dt>Phí, lệ phí</dt><dd>${fee(p)}</dd>
<dt>Cách thức thực hiện</dt><dd>${p.channels.map((c) => html`<span class="badge">${CHANNEL_NAME_VI[c]}</span>`)}</dd>
<dt>Kết quả</dt><dd>${RESULT_VI[p.resultForm]}</dd>
</dl>
</section>
<aside aria-labelledby="ma-qr">
<h2 id="ma-qr">Mã QR của thủ tục</h2>
<div class="qr">${input.qr}</div>
<p>Quét mã để mở trang này trên điện thoại.<br><small>${input.pageUrl}</small></p>
</aside>
</div>
<section aria-labelledby="ho-so">
<h2 id="ho-so">Thành phần hồ sơ</h2>
${documentsTable(p)}
</section>
<section aria-labelledby="quy-trinh">
<h2 id="quy-trinh">Quy trình thực hiện</h2>
${stepsSvg(steps, `Quy trình thực hiện thủ tục ${p.name}`)}
</section>
<section aria-labelledby="noi-nop">
<h2 id="noi-nop">Nơi nộp hồ sơ</h2>
<p>${ward.centerName}:</p>
<ul>${ward.points.map((pt) => html`<li><strong>${pt.name}</strong><br>${pt.address}</li>`)}</ul>
<p>Giờ làm việc: sáng 7:00–11:30, chiều 13:30–17:00 các ngày làm việc (trừ thứ Bảy, Chủ nhật và ngày nghỉ lễ, Tết).</p>
</section>
<section aria-labelledby="nop-truc-tuyen">
<h2 id="nop-truc-tuyen">Cách nộp hồ sơ trực tuyến</h2>
${onlineHowTo(p, ward)}
</section>
${
  p.legalBasis.length > 0
    ? html`<section aria-labelledby="can-cu"><h2 id="can-cu">Căn cứ pháp lý</h2><ul>${p.legalBasis.map((l) => html`<li>${l}</li>`)}</ul></section>`
    : ''
}
</main>
<footer class="site"><p>${ward.centerName} · ${ward.address}. Thông tin cập nhật ngày ${p.updatedAt.slice(8, 10)}/${p.updatedAt.slice(5, 7)}/${p.updatedAt.slice(0, 4)}.</p></footer>`;
  return layout({
    title: `${p.name} — ${ward.name}`,
    site: ward.centerName,
    siteDetail: ward.province,
    description: `Thủ tục ${p.name}: hồ sơ, phí, thời hạn, quy trình và cách nộp tại ${ward.name}.`,
    body,
  });
}
