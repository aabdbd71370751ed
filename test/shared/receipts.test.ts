import { describe, expect, it } from 'vitest';
import { amountInWords, numberToVietnameseWords } from '#shared/receipts/amount-words.ts';
import { formatReceiptNumber, issueReceipt, type ReceiptDraft, seriesOf, vnYear } from '#shared/receipts/receipts.ts';

describe('Function: amountInWords', () => {
  it.each([
    [1_250_000, 'Một triệu hai trăm năm mươi nghìn đồng'],
    [30_000, 'Ba mươi nghìn đồng'],
    [15_000, 'Mười lăm nghìn đồng'],
    [21_000, 'Hai mươi mốt nghìn đồng'],
    [24_000, 'Hai mươi tư nghìn đồng'],
    [105_000, 'Một trăm linh năm nghìn đồng'],
    [1_050_000, 'Một triệu không trăm năm mươi nghìn đồng'],
    [1_000_005, 'Một triệu không trăm linh năm đồng'],
    [200_000, 'Hai trăm nghìn đồng'],
    [1_000_000_000, 'Một tỷ đồng'],
    [2_001_001, 'Hai triệu không trăm linh một nghìn không trăm linh một đồng'],
  ])('writes %i as "%s"', (n, words) => {
    expect(amountInWords(n)).toBe(words);
  });

  it('refuses negative and fractional amounts', () => {
    expect(() => numberToVietnameseWords(-1)).toThrow(RangeError);
    expect(() => numberToVietnameseWords(1.5)).toThrow(RangeError);
  });
});

describe('Function: seriesOf / issueReceipt', () => {
  const draft: ReceiptDraft = {
    id: '00000000-0000-4000-8000-000000000001',
    ward: 'bimson',
    year: 2026,
    ...seriesOf('bimson', 2026),
    paymentRef: 'ORDER1',
    dossierId: 'd',
    dossierCode: 'H56.27.01-20260309-0001',
    organisation: { name: 'Ủy ban nhân dân phường Bỉm Sơn', unitCode: 'H56.27.01', address: '' },
    payer: { name: 'Nguyễn Văn An' },
    feeName: 'Lệ phí',
    amount: 30_000,
    amountInWords: 'Ba mươi nghìn đồng',
    method: 'vnpay',
    issuedAt: '2026-12-31T17:30:00.000Z',
  };

  it('takes the year in Vietnam time and names the series after it', () => {
    expect(vnYear('2026-12-31T17:30:00.000Z')).toBe(2027);
    expect(seriesOf('bimson', 2027).series).toBe('BS-27E');
    expect(formatReceiptNumber(42)).toBe('0000042');
  });

  it('numbers a draft with a digest that changes with the number, and refuses number 0', () => {
    const a = issueReceipt(draft, 1);
    const b = issueReceipt(draft, 2);
    expect(a.receipt.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(a.receipt.digest).not.toBe(b.receipt.digest);
    expect(a.event).toMatchObject({ type: 'ReceiptIssued', data: { number: 1, series: 'BS-26E', amount: 30_000 } });
    expect(() => issueReceipt(draft, 0)).toThrow(RangeError);
  });
});
