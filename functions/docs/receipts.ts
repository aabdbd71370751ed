/** OpenAPI entries of the electronic receipts' routes (see functions/lib/openapi.ts). */
import { receiptListSchema, receiptVerificationSchema } from '#shared/receipts/views.ts';
import type { RouteDocs } from './route-doc.ts';

export const receiptsDocs = {
  'GET /v1/dossiers/{dossierId}/receipts': {
    summary:
      "The dossier's electronic receipts (biên lai thu phí, lệ phí điện tử, Decree 123/2020): one per fee " +
      'collected, online or in cash, numbered without gaps within the ward’s series and year.',
    response: receiptListSchema,
  },
  'GET /v1/receipts/{receiptId}': {
    summary: 'One receipt as PDF: call it as /v1/receipts/{receiptId}.pdf. Its QR code opens the public verification.',
    contentType: 'application/pdf',
  },
  'GET /v1/verify/receipts/{receiptId}': {
    summary:
      "Public verification of a receipt (what its QR code opens): organisation, symbols, number, amount, the payer's " +
      'masked name and the SHA-256 printed on the PDF. 404 RECEIPT_NOT_FOUND for an unknown receipt.',
    response: receiptVerificationSchema,
  },
} satisfies RouteDocs<'forms'>;
