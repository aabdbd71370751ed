/**
 * The steps of a procedure as its public page draws them (quy trình thực hiện): the catalog's own
 * `steps` when the ward wrote them, else the one-stop lifecycle every dossier goes through
 * (submitted, received at the one-stop desk, processed, approved, the fee where there is one,
 * the result returned), told with the procedure's channels, deadline and fee.
 */
import type { Procedure } from './catalog.ts';

interface ProcedureStep {
  readonly name: string;
  readonly detail?: string | undefined;
}

const days = (d: number): string => {
  if (d === 0) return 'trong ngày';
  return d < 1 ? `${Math.round(d * 8)} giờ làm việc` : `${String(d).replace('.', ',')} ngày làm việc`;
};

/** The steps to draw for `p`. */
export function procedureSteps(
  p: Pick<Procedure, 'channels' | 'durationDays' | 'fee' | 'resultForm'> & {
    readonly steps?: readonly ProcedureStep[] | undefined;
  },
): readonly ProcedureStep[] {
  if (p.steps && p.steps.length > 0) return p.steps;
  const online = p.channels.some((c) => c !== 'counter');
  const counter = p.channels.includes('counter');
  const where =
    online && counter
      ? 'Trực tuyến trên Cổng Dịch vụ công hoặc trực tiếp tại Bộ phận một cửa'
      : online
        ? 'Trực tuyến trên Cổng Dịch vụ công'
        : 'Trực tiếp tại Bộ phận một cửa';
  const steps: ProcedureStep[] = [
    { name: 'Nộp hồ sơ', detail: where },
    {
      name: 'Tiếp nhận, kiểm tra hồ sơ',
      detail: 'Bộ phận một cửa kiểm tra thành phần hồ sơ, cấp giấy tiếp nhận và hẹn trả kết quả',
    },
    { name: 'Thẩm định, xử lý', detail: 'Công chức chuyên môn xem xét, giải quyết hồ sơ' },
  ];
  if (p.fee > 0) steps.push({ name: 'Nộp phí, lệ phí', detail: 'Trực tuyến (VNPay, MoMo) hoặc tại quầy' });
  steps.push({ name: 'Lãnh đạo phê duyệt, ký kết quả', detail: 'Ký số đối với kết quả điện tử' });
  steps.push({
    name: 'Trả kết quả',
    detail: `${p.resultForm === 'electronic' ? 'Bản điện tử' : p.resultForm === 'paper' ? 'Bản giấy tại Bộ phận một cửa' : 'Bản giấy hoặc bản điện tử'}; thời hạn ${days(p.durationDays)} kể từ khi nhận đủ hồ sơ hợp lệ`,
  });
  return steps;
}
