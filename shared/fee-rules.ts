/**
 * Fees that are rules, not numbers (DESIGN.md §5b "Fee rules"): the catalog holds the rule, the
 * dossier the inputs (pages, copies) and the computed amount. Certified copies (chứng thực bản
 * sao, Thông tư 226/2016/TT-BTC): 2,000 đ a page for the first two pages, 1,000 đ a page from the
 * third, at most 200,000 đ a copy; some fees are per copy or per extract.
 */
import * as z from 'zod';
import { UnprocessableError } from './errors.ts';

export const feeRuleSchema = z
  .discriminatedUnion('kind', [
    z
      .object({
        /** Per page of each copy, cheaper from a page on, capped per copy (chứng thực bản sao). */
        kind: z.literal('per-page'),
        firstPages: z.number().int().min(0).max(1000),
        firstPagePrice: z.number().int().min(0).max(100_000_000),
        nextPagePrice: z.number().int().min(0).max(100_000_000),
        maxPerCopy: z.number().int().min(0).max(1_000_000_000).optional(),
      })
      .strict(),
    z
      .object({
        /** A price per copy or extract (bản sao, trích lục). */
        kind: z.literal('per-copy'),
        price: z.number().int().min(0).max(100_000_000),
      })
      .strict(),
  ])
  .meta({ id: 'FeeRule' });
type FeeRule = z.infer<typeof feeRuleSchema>;

export const feeInputsSchema = z
  .object({
    /** Pages of one copy (số trang). */
    pages: z.number().int().min(1).max(10_000).optional(),
    /** Copies or extracts (số bản). */
    copies: z.number().int().min(1).max(1_000).default(1),
  })
  .strict()
  .meta({ id: 'FeeInputs' });

/** The amount in đồng of a rule for the inputs. */
export function computeFee(rule: FeeRule, inputs: { pages?: number | undefined; copies?: number | undefined }): number {
  const copies = inputs.copies ?? 1;
  if (rule.kind === 'per-copy') return rule.price * copies;
  if (inputs.pages === undefined) {
    throw new UnprocessableError('FEE_INPUTS_REQUIRED', 'Cần số trang (pages) để tính phí chứng thực.');
  }
  const first = Math.min(inputs.pages, rule.firstPages) * rule.firstPagePrice;
  const rest = Math.max(0, inputs.pages - rule.firstPages) * rule.nextPagePrice;
  const perCopy = rule.maxPerCopy === undefined ? first + rest : Math.min(first + rest, rule.maxPerCopy);
  return perCopy * copies;
}
