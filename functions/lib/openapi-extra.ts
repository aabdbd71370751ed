/** OpenAPI entries of the feature routes, one file per feature under functions/docs/. */
import { documentsDocs } from '../docs/documents.ts';
import { paymentsDocs } from '../docs/payments.ts';
import { queueDocs } from '../docs/queue.ts';
import { receiptsDocs } from '../docs/receipts.ts';
import { reportsDocs } from '../docs/reports.ts';
import type { RouteDoc } from './openapi.ts';

export const extraDocs: Record<string, RouteDoc> = {
  ...paymentsDocs,
  ...documentsDocs,
  ...queueDocs,
  ...reportsDocs,
  ...receiptsDocs,
};
