/**
 * What the receipt routes answer (their schemas document them in the OpenAPI document): apart from
 * shared/receipts/receipts.ts so that the functions that only issue receipts (in the payment and
 * dossier transactions) do not load zod.
 */
import * as z from 'zod';
import { maskName } from '../signing.ts';
import { RECEIPT_METHODS, type Receipt } from './receipts.ts';

/** One line of `GET /v1/dossiers/{id}/receipts` (DESIGN.md §6, fixed fields). */
export const receiptItemSchema = z
  .object({
    id: z.string(),
    series: z.string().meta({ example: 'BS-26E' }),
    templateSymbol: z.string().meta({ example: '01BLP0-001' }),
    number: z.number().int().meta({ example: 42 }),
    amount: z.number().int().meta({ description: 'In đồng', example: 1250000 }),
    amountInWords: z.string().meta({ example: 'Một triệu hai trăm năm mươi nghìn đồng' }),
    method: z.enum(RECEIPT_METHODS),
    issuedAt: z.string(),
    pdfUrl: z.string(),
  })
  .meta({ id: 'ReceiptItem' });

export const receiptListSchema = z.object({ items: z.array(receiptItemSchema) }).meta({ id: 'ReceiptList' });

export function receiptItemView(r: Receipt): z.infer<typeof receiptItemSchema> {
  return {
    id: r.id,
    series: r.series,
    templateSymbol: r.templateSymbol,
    number: r.number,
    amount: r.amount,
    amountInWords: r.amountInWords,
    method: r.method,
    issuedAt: r.issuedAt,
    pdfUrl: `/v1/receipts/${r.id}.pdf`,
  };
}

/** The public verification of a receipt (what its QR code opens): no personal data beyond a masked name. */
export const receiptVerificationSchema = z
  .object({
    valid: z.literal(true),
    id: z.string(),
    organisation: z.string(),
    templateSymbol: z.string(),
    series: z.string(),
    number: z.number().int(),
    dossierCode: z.string(),
    payer: z.string().meta({ description: 'Masked: initials and the given name' }),
    amount: z.number().int(),
    method: z.enum(RECEIPT_METHODS),
    issuedAt: z.string(),
    digest: z.string().meta({ description: 'SHA-256 of the receipt, printed on the PDF' }),
  })
  .meta({ id: 'ReceiptVerification' });

export function receiptVerification(r: Receipt): z.infer<typeof receiptVerificationSchema> {
  return {
    valid: true,
    id: r.id,
    organisation: r.organisation.name,
    templateSymbol: r.templateSymbol,
    series: r.series,
    number: r.number,
    dossierCode: r.dossierCode,
    payer: maskName(r.payer.name),
    amount: r.amount,
    method: r.method,
    issuedAt: r.issuedAt,
    digest: r.digest,
  };
}
