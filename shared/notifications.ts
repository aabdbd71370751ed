/**
 * Citizen notifications (thông báo): the Vietnamese text for each event, and the channel port
 * (SMS, email, Zalo are adapters behind it). Pure: no I/O here.
 */
import { type Dossier, STATUS, STATUS_NAME_VI } from './dossier.ts';
import type { AnyDomainEvent } from './events.ts';
import { vnClock } from './vn-time.ts';

/** `app`: the citizen's inbox in the portal, addressed by `sub` (appointment reminders). */
export type ChannelName = 'sms' | 'email' | 'zalo' | 'app';

export interface Notification {
  /** The event that caused it: the deduplication key. */
  readonly eventId: string;
  readonly dossierId: string;
  readonly ward: string;
  readonly channel: ChannelName;
  /** Phone number or e-mail address. */
  readonly to: string;
  readonly audience: 'citizen' | 'staff';
  readonly kind: string;
  readonly text: string;
  readonly at: string;
}

export interface NotificationChannel {
  /** Sends once per (eventId, channel); returns false when it was already sent (a redelivery). */
  send(n: Notification): Promise<boolean>;
}

const fmt = (iso: string | undefined): string => {
  if (!iso) return '';
  const d = vnClock(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())} ngày ${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
};

/** The message a citizen receives for an event, or undefined when the event says nothing to them. */
export function citizenMessage(
  e: AnyDomainEvent,
  d: Pick<Dossier, 'code' | 'procedureName'>,
): { kind: string; text: string } | undefined {
  const head = `Hồ sơ ${d.code} (${d.procedureName})`;
  switch (e.type) {
    case 'DossierSubmitted':
      return {
        kind: 'submitted',
        text:
          e.data.status === STATUS.NEW
            ? e.data.assisted
              ? `${head} đã được tổ công nghệ số cộng đồng hỗ trợ gửi trực tuyến và đang chờ tiếp nhận. ` +
                'Ông/bà theo dõi hồ sơ bằng tài khoản VNeID.'
              : `${head} đã được gửi trực tuyến và đang chờ tiếp nhận.`
            : `${head} đã được tiếp nhận. Ngày hẹn trả kết quả: ${fmt(e.data.appointmentAt)}.`,
      };
    case 'DossierStatusChanged': {
      const reason = e.data.reason ? ` Lý do: ${e.data.reason}` : '';
      switch (e.data.to) {
        case STATUS.ACCEPTED:
          return {
            kind: 'accepted',
            text: `${head} đã được tiếp nhận. Ngày hẹn trả kết quả: ${fmt(e.data.appointmentAt)}.`,
          };
        case STATUS.REFUSED:
          return { kind: 'refused', text: `${head} bị từ chối tiếp nhận.${reason}` };
        case STATUS.SUPPLEMENT:
          return {
            kind: 'supplement',
            text: `${head} cần bổ sung, hoàn thiện.${reason} Vui lòng bổ sung để tiếp tục giải quyết.`,
          };
        case STATUS.PAYMENT_DUE:
          return {
            kind: 'payment-due',
            text: `${head} chờ thực hiện nghĩa vụ tài chính. Vui lòng nộp phí, lệ phí để tiếp tục.`,
          };
        case STATUS.DONE:
          return { kind: 'done', text: `${head} đã có kết quả. Mời ông/bà đến nhận hoặc nhận kết quả điện tử.` };
        case STATUS.RETURNED:
          return { kind: 'returned', text: `${head} đã trả kết quả. Mời ông/bà đánh giá mức độ hài lòng.` };
        case STATUS.STOPPED:
          return { kind: 'stopped', text: `${head} đã dừng xử lý.${reason}` };
        default:
          return { kind: 'status', text: `${head} chuyển sang trạng thái: ${STATUS_NAME_VI[e.data.to]}.` };
      }
    }
    case 'DossierOverdue':
      return {
        kind: 'apology',
        text:
          `${head} đã quá hạn giải quyết. Trung tâm Phục vụ hành chính công thành thật xin lỗi ông/bà ` +
          `và hẹn lại ngày trả kết quả: ${fmt(e.data.newAppointmentAt)} (Văn bản xin lỗi, mẫu 04).`,
      };
    case 'DossierExtended':
      return {
        kind: 'apology',
        text:
          `${head} dự kiến không kịp trả kết quả đúng hẹn. Lý do: ${e.data.reason} Trung tâm Phục vụ hành chính ` +
          `công thành thật xin lỗi ông/bà và đề nghị gia hạn đến: ${fmt(e.data.newAppointmentAt)} (Văn bản xin lỗi, mẫu 04).`,
      };
    case 'PaymentConfirmed':
      return { kind: 'paid', text: `${head}: đã nhận thanh toán ${e.data.amount.toLocaleString('vi-VN')} đồng.` };
    case 'ReceiptIssued':
      return {
        kind: 'receipt',
        text:
          `${head}: đã phát hành biên lai điện tử ký hiệu ${e.data.series}, số ` +
          `${String(e.data.number).padStart(7, '0')}, số tiền ${e.data.amount.toLocaleString('vi-VN')} đồng. ` +
          'Ông/bà có thể tải biên lai trong mục hồ sơ.',
      };
    default:
      return undefined;
  }
}
