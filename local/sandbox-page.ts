/**
 * The local sandbox page that plays a payment gateway (VNPay or MoMo) for developers: it shows the
 * order and posts the chosen outcome back to the local runtime, which then signs and delivers the
 * gateway's callback. Self-contained HTML: no script, no external URL, inline CSS only.
 */

/** The order the sandbox page shows. */
interface SandboxOrder {
  readonly orderId: string;
  /** Amount in đồng. */
  readonly amountVnd: number;
  /** What is being paid, e.g. the dossier code. */
  readonly orderInfo?: string;
}

/** Options of {@link sandboxPage}. */
interface SandboxPageOptions {
  readonly gateway: 'vnpay' | 'momo';
  /** The order to pay; without it the page asks for an order ID. */
  readonly order?: SandboxOrder;
  /** Where the form posts `orderId` and `outcome=success|cancel`: a path or an http(s) URL. */
  readonly action: string;
}

const GATEWAY_NAMES = { vnpay: 'VNPay', momo: 'MoMo' } as const;
const ACCENTS = { vnpay: '#005baa', momo: '#a50064' } as const;

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Formats an amount in đồng the Vietnamese way: `30.000 đồng`. */
export function formatVnd(amountVnd: number): string {
  return `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 }).format(amountVnd)} đồng`;
}

/**
 * Renders the sandbox gateway page. Every interpolated value is escaped; `action` must be a
 * same-origin path (`/…`) or an http(s) URL, anything else (such as `javascript:`) throws `TypeError`.
 */
export function sandboxPage(opts: SandboxPageOptions): string {
  if (!/^(\/(?!\/)|https?:\/\/)/i.test(opts.action)) throw new TypeError('action must be a path or an http(s) URL');
  const name = GATEWAY_NAMES[opts.gateway];
  const accent = ACCENTS[opts.gateway];
  const order = opts.order;
  const details = order
    ? `<dl>
      <dt>Mã giao dịch</dt><dd>${escapeHtml(order.orderId)}</dd>
      <dt>Số tiền</dt><dd class="amount">${escapeHtml(formatVnd(order.amountVnd))}</dd>${
        order.orderInfo ? `\n      <dt>Nội dung</dt><dd>${escapeHtml(order.orderInfo)}</dd>` : ''
      }
    </dl>
    <input type="hidden" name="orderId" value="${escapeHtml(order.orderId)}">`
    : `<p>Không có giao dịch nào được chọn. Nhập mã giao dịch:</p>
    <label for="orderId">Mã giao dịch</label>
    <input id="orderId" type="text" name="orderId" required autocomplete="off">`;
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Cổng thanh toán thử nghiệm ${escapeHtml(name)}</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f4f5f7; color: #1d2330; margin: 0; }
  main { max-width: 28rem; margin: 3rem auto; background: #fff; border-radius: 8px; padding: 1.5rem 2rem;
    box-shadow: 0 1px 4px rgba(0, 0, 0, .12); border-top: 6px solid ${accent}; }
  h1 { font-size: 1.25rem; margin: 0 0 .25rem; }
  .note { color: #6b7280; font-size: .875rem; margin: 0 0 1.25rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .5rem 1rem; margin: 0 0 1.5rem; }
  dt { color: #6b7280; }
  dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
  .amount { font-size: 1.25rem; color: ${accent}; }
  label { display: block; margin-bottom: .25rem; }
  input[type=text] { width: 100%; box-sizing: border-box; padding: .5rem; margin-bottom: 1.25rem; font-size: 1rem; }
  .actions { display: flex; gap: .75rem; }
  button { flex: 1; padding: .75rem; border: 0; border-radius: 6px; font-size: 1rem; cursor: pointer; }
  .ok { background: ${accent}; color: #fff; }
  .cancel { background: #e5e7eb; color: #1d2330; }
</style>
</head>
<body>
<main>
  <h1>Cổng thanh toán ${escapeHtml(name)} (thử nghiệm)</h1>
  <p class="note">Trang này chỉ dùng khi phát triển: không có tiền thật nào được chuyển.</p>
  <form method="post" action="${escapeHtml(opts.action)}">
    ${details}
    <div class="actions">
      <button class="ok" type="submit" name="outcome" value="success">Thanh toán thành công</button>
      <button class="cancel" type="submit" name="outcome" value="cancel">Hủy giao dịch</button>
    </div>
  </form>
</main>
</body>
</html>
`;
}
