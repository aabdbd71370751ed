/**
 * The procedure catalog (danh mục thủ tục hành chính, TTHC): what a ward publishes about each
 * procedure: the documents to bring, the fee, the deadline in working days and the channels.
 */
import * as z from 'zod';
import { slug, text } from './api/zod.ts';
import { feeRuleSchema } from './fee-rules.ts';
import { NATIONAL_CODE } from './ids.ts';

/** How a procedure can be done: dịch vụ công trực tuyến toàn trình / một phần / trực tiếp. */
export const CHANNELS = ['full-online', 'partial-online', 'counter'] as const;
export type ProcedureChannel = (typeof CHANNELS)[number];

const documentSchema = z
  .object({
    /** Component id, used in upload routes. */
    id: slug,
    name: text(300),
    originals: z.number().int().min(0).max(20).default(1),
    copies: z.number().int().min(0).max(20).default(0),
    required: z.boolean().default(true),
  })
  .strict()
  .meta({ id: 'ProcedureDocument' });

/** One step of a procedure's process (bước thực hiện): who does what, and in how long. */
const procedureStepSchema = z
  .object({
    name: text(120),
    detail: text(300).optional(),
  })
  .strict()
  .meta({ id: 'ProcedureStep' });

/** The body an administrator sends to upsert a procedure. */
export const procedureInputSchema = z
  .object({
    ward: slug.optional(),
    /** National procedure code on the National Public Service Portal (mã TTHC). */
    nationalCode: z.string().regex(NATIONAL_CODE).optional(),
    name: text(300),
    /** Field (lĩnh vực), e.g. "Hộ tịch". */
    field: text(120),
    /** The field's code in the national procedure database (mã lĩnh vực, MaLinhVuc on the portal). */
    fieldCode: z
      .string()
      .regex(/^[0-9A-Za-z._-]{1,40}$/)
      .optional(),
    /** Service group at the kiosk (nhóm dịch vụ). */
    group: slug.optional(),
    channels: z.array(z.enum(CHANNELS)).min(1).max(3),
    /** Deadline in working days (thời hạn giải quyết); fractions allowed (0.5 = 4 working hours). */
    durationDays: z
      .number()
      .min(0)
      .max(365)
      .refine((v) => Number.isInteger(v * 8), 'whole working hours: a multiple of 1/8 day'),
    /**
     * The unit of `durationDays` in the law's own words: working days (ngày làm việc, the
     * default) or calendar days ("ngày", e.g. building permits, land dispute mediation), counted
     * from acceptance and rolled to the next working moment when the last day is not worked.
     */
    durationUnit: z.enum(['working-days', 'calendar-days']).optional(),
    /** Fee in đồng (lệ phí); 0 when free. With a `feeRule`, the amount for one page and one copy. */
    fee: z.number().int().min(0).max(1_000_000_000),
    /** The fee as a rule (per page, per copy); the dossier keeps the inputs and the amount. */
    feeRule: feeRuleSchema.optional(),
    feeNote: text(500).optional(),
    documents: z.array(documentSchema).max(50).default([]),
    /**
     * The time a fee is due (status 6) does not count toward the deadline (thời gian thực hiện
     * nghĩa vụ tài chính không tính vào thời hạn giải quyết; land procedures). Default false:
     * the clock runs while the fee is due.
     */
    excludesFinancialObligationTime: z.boolean().optional(),
    /** How the result is issued (kết quả): paper, electronic or both. */
    resultForm: z.enum(['paper', 'electronic', 'both']).default('both'),
    agency: text(300).optional(),
    legalBasis: z.array(text(300)).max(30).default([]),
    active: z.boolean().default(true),
    /** Who it is for (đối tượng thực hiện), as the posted listing says it. */
    audience: text(300).optional(),
    /** The process as the posted listing draws it (quy trình); derived from the lifecycle when absent. */
    steps: z.array(procedureStepSchema).min(1).max(12).optional(),
  })
  .strict()
  .meta({ id: 'ProcedureInput' });

export type ProcedureInput = z.infer<typeof procedureInputSchema>;

export interface Procedure extends Omit<ProcedureInput, 'ward'> {
  readonly id: string;
  readonly ward: string;
  readonly version: number;
  readonly updatedAt: string;
}

/** Working hours in a procedure's deadline (8 working hours a day). */
export const durationHours = (p: Pick<Procedure, 'durationDays'>): number => Math.round(p.durationDays * 8 * 100) / 100;
