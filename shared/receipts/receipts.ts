/**
 * Electronic receipts for fees and charges (biên lai thu phí, lệ phí điện tử; Decree 123/2020/NĐ-CP
 * on invoices and receipts): every fee collected, online or in cash, gets exactly one receipt with
 * the collecting organisation, the template and series symbols, a number gap-free within the
 * ward's series and year, the payer, the fee's name, the amount in figures and in words, the method
 * and the date. Pure: the numbering itself is the repository's (a counter incremented
 * conditionally in the transaction that confirms the payment, so a failed confirmation takes no
 * number and two confirmations never take the same one).
 */
import { createHash } from 'node:crypto';
import type { Dossier } from '../dossier.ts';
import { type AnyDomainEvent, newEvent } from '../events.ts';
import { UUID } from '../ids.ts';
import { vnYear } from '../vn-time.ts';
import type { Ward } from '../wards.ts';
import { amountInWords } from './amount-words.ts';

/** How a fee was paid. */
export const RECEIPT_METHODS = ['vnpay', 'momo', 'cash'] as const;
export type ReceiptMethod = (typeof RECEIPT_METHODS)[number];

/** The payment method as the receipt prints it (hình thức thanh toán). */
export const METHOD_NAMES_VI: Readonly<Record<ReceiptMethod, string>> = {
  vnpay: 'Chuyển khoản qua cổng thanh toán VNPay',
  momo: 'Chuyển khoản qua ví điện tử MoMo',
  cash: 'Tiền mặt',
};

/** Digits of a receipt number, as printed (Số: 0000001). */
const RECEIPT_NUMBER_DIGITS = 7;

/**
 * A ward's receipt symbols: the template symbol (ký hiệu mẫu biên lai) and the series prefix; the
 * series of a year is `<prefix>-<yy>E` (E: electronic). These are what the ward registers with its
 * tax authority; the defaults below are placeholders until it does (set per ward in
 * {@link RECEIPT_SYMBOLS}). The primary text of the symbol format was not verified.
 */
interface ReceiptSymbols {
  readonly templateSymbol: string;
  readonly seriesPrefix: string;
}

/** Registered symbols per ward; a ward not listed gets {@link defaultSymbols}. */
const RECEIPT_SYMBOLS: Readonly<Record<string, ReceiptSymbols>> = {
  bimson: { templateSymbol: '01BLP0-001', seriesPrefix: 'BS' },
  quangtrung: { templateSymbol: '01BLP0-001', seriesPrefix: 'QT' },
};

/** The symbols of a ward without registered ones: its id's first two letters. */
function defaultSymbols(ward: string): ReceiptSymbols {
  const letters = ward
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toUpperCase();
  return { templateSymbol: '01BLP0-001', seriesPrefix: (letters.slice(0, 2) || 'BL').padEnd(2, 'X') };
}

/** The Vietnam-time year of an instant (UTC+7, no daylight saving). */
export { vnYear };

/** The series of a ward's receipts in a year: `BS-26E`. */
export function seriesOf(ward: string, year: number): { templateSymbol: string; series: string } {
  const s = RECEIPT_SYMBOLS[ward] ?? defaultSymbols(ward);
  return { templateSymbol: s.templateSymbol, series: `${s.seriesPrefix}-${String(year % 100).padStart(2, '0')}E` };
}

/** A receipt number as printed: 0000042. */
export const formatReceiptNumber = (n: number): string => String(n).padStart(RECEIPT_NUMBER_DIGITS, '0');

/** A receipt before its number: what the confirmation's transaction issues. */
export interface ReceiptDraft {
  /** Our id (public URLs use it; unguessable). */
  readonly id: string;
  readonly ward: string;
  /** Year of the series (Vietnam time of `issuedAt`). */
  readonly year: number;
  readonly templateSymbol: string;
  readonly series: string;
  /** The payment it acknowledges (order id, or `CASH-<code>-<version>`): one receipt per payment. */
  readonly paymentRef: string;
  readonly dossierId: string;
  readonly dossierCode: string;
  /** The collecting organisation (đơn vị thu). */
  readonly organisation: { readonly name: string; readonly unitCode: string; readonly address: string };
  readonly payer: { readonly name: string; readonly address?: string; readonly idNumber?: string };
  /** The fee's name (tên loại phí, lệ phí). */
  readonly feeName: string;
  /** In đồng. */
  readonly amount: number;
  readonly amountInWords: string;
  readonly method: ReceiptMethod;
  /** The gateway's transaction number, when online. */
  readonly transactionNo?: string;
  readonly issuedAt: string;
}

/** An issued receipt. Immutable. */
export interface Receipt extends ReceiptDraft {
  /** Gap-free within `ward`, `series`, `year`, from 1. */
  readonly number: number;
  /** Lower-case hex SHA-256 of {@link receiptCanonicalText}: printed on the PDF, shown by the verification. */
  readonly digest: string;
}

/** What a confirmation knows about the payment its receipt acknowledges. */
interface ReceiptPayment {
  readonly ref: string;
  readonly amount: number;
  readonly method: ReceiptMethod;
  readonly paidAt: string;
  readonly transactionNo?: string;
}

/** The receipt a payment of the dossier's fee gets; numbered by the repository. */
export function receiptDraft(d: Dossier, p: ReceiptPayment, ward: Ward | undefined): ReceiptDraft {
  const year = vnYear(p.paidAt);
  return {
    id: crypto.randomUUID(),
    ward: d.ward,
    year,
    ...seriesOf(d.ward, year),
    paymentRef: p.ref,
    dossierId: d.id,
    dossierCode: d.code,
    organisation: {
      name: ward ? `Ủy ban nhân dân ${ward.name.replace(/^Phường/, 'phường').replace(/^Xã/, 'xã')}` : d.ward,
      unitCode: ward?.unitCode ?? '',
      address: ward?.address ?? '',
    },
    payer: {
      name: d.applicant.fullName,
      ...(d.applicant.address ? { address: d.applicant.address } : {}),
      ...(d.applicant.idNumber ? { idNumber: d.applicant.idNumber } : {}),
    },
    feeName: `Phí, lệ phí giải quyết thủ tục: ${d.procedureName} (hồ sơ ${d.code})`,
    amount: p.amount,
    amountInWords: amountInWords(p.amount),
    method: p.method,
    ...(p.transactionNo ? { transactionNo: p.transactionNo } : {}),
    issuedAt: p.paidAt,
  };
}

/** Tag of the canonical form; a new form gets a new tag. */
const RECEIPT_CANONICAL_TAG = 'motcua.receipt.v1';

/** What the digest covers, in a fixed order (JSON: unambiguous). */
function receiptCanonicalText(r: ReceiptDraft & { readonly number: number }): string {
  return JSON.stringify([
    RECEIPT_CANONICAL_TAG,
    r.id,
    r.organisation.name,
    r.organisation.unitCode,
    r.templateSymbol,
    r.series,
    r.number,
    r.dossierCode,
    r.payer.name.normalize('NFC'),
    r.feeName.normalize('NFC'),
    r.amount,
    r.method,
    r.issuedAt,
  ]);
}

/** Numbers a draft, and the event that tells the citizen (through the outbox). */
export function issueReceipt(
  draft: ReceiptDraft,
  number: number,
  correlationId?: string,
): { receipt: Receipt; event: AnyDomainEvent } {
  if (!Number.isSafeInteger(number) || number < 1) throw new RangeError(`receipt number must be >= 1, got ${number}`);
  const numbered = { ...draft, number };
  const digest = createHash('sha256').update(receiptCanonicalText(numbered), 'utf8').digest('hex');
  const receipt: Receipt = { ...numbered, digest };
  const event = newEvent(
    'ReceiptIssued',
    new Date(draft.issuedAt),
    { ward: draft.ward, dossierId: draft.dossierId, ...(correlationId ? { correlationId } : {}) },
    {
      receiptId: receipt.id,
      code: draft.dossierCode,
      series: receipt.series,
      number,
      amount: receipt.amount,
      method: receipt.method,
    },
  );
  return { receipt, event };
}

/** A receipt to issue in a confirmation's transaction, and the correlation id its event carries. */
export interface ReceiptIssue {
  readonly draft: ReceiptDraft;
  readonly correlationId?: string;
}

/** Where receipts are read (written by the payment and dossier repositories, in their transactions). */
export interface ReceiptRepository {
  /** A dossier's receipts, oldest first. */
  listByDossier(dossierId: string): Promise<readonly Receipt[]>;
  get(receiptId: string): Promise<Receipt | undefined>;
}

/** A receipt id as issued (a UUID). */
export const isReceiptId = (v: string): boolean => UUID.test(v);
