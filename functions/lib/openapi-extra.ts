/** OpenAPI entries of the feature routes, one file per feature under functions/docs/. */
import { appointmentsDocs } from '../docs/appointments.ts';
import { documentsDocs } from '../docs/documents.ts';
import { dvcqgDocs } from '../docs/dvcqg.ts';
import { kiosksDocs } from '../docs/kiosks.ts';
import { lawDocs } from '../docs/law.ts';
import { pagesDocs } from '../docs/pages.ts';
import { paymentsDocs } from '../docs/payments.ts';
import { queueDocs } from '../docs/queue.ts';
import { receiptsDocs } from '../docs/receipts.ts';
import { reportsDocs } from '../docs/reports.ts';
import { wardsDocs } from '../docs/wards.ts';
import type { RouteDoc } from './openapi.ts';

export const extraDocs: Record<string, RouteDoc> = {
  ...paymentsDocs,
  ...documentsDocs,
  ...queueDocs,
  ...reportsDocs,
  ...wardsDocs,
  ...dvcqgDocs,
  ...pagesDocs,
  ...appointmentsDocs,
  ...lawDocs,
  ...kiosksDocs,
  ...receiptsDocs,
};
