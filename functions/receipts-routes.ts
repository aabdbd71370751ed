/**
 * The electronic receipts' routes (biên lai điện tử), served by the `forms` function (the one that
 * bundles the fonts): a dossier's receipts, one receipt as PDF, and the public verification that
 * the receipt's QR code opens.
 */

import type { Principal } from '#shared/auth.ts';
import { NotFoundError } from '#shared/errors.ts';
import { renderReceipt } from '#shared/forms/receipt.ts';
import { isReceiptId, type Receipt } from '#shared/receipts/receipts.ts';
import { receiptItemView, receiptVerification } from '#shared/receipts/views.ts';
import { visibleDossier } from '#shared/use-cases/dossiers.ts';
import type { RouteKeyOf } from '#wiring/manifest.ts';
import { loadFonts } from './adapters/fonts.ts';
import { publicBaseUrl } from './lib/config.ts';
import { dossierDeps, receiptRepository as receipts } from './lib/deps.ts';
import { json, type RouteMap } from './lib/http.ts';

const notFound = () => new NotFoundError('Biên lai', 'RECEIPT_NOT_FOUND');

/** What a receipt's QR code opens. */
const receiptVerifyUrl = (id: string): string => `${publicBaseUrl()}/v1/verify/receipts/${id}`;

/** The receipt if the caller may see its dossier (owner, staff of its ward); 404 otherwise. */
async function visibleReceipt(p: Principal, id: string): Promise<Receipt> {
  if (!isReceiptId(id)) throw notFound();
  const r = await receipts().get(id);
  if (!r) throw notFound();
  try {
    await visibleDossier(dossierDeps(), p, r.dossierId);
  } catch (e) {
    if (e instanceof NotFoundError) throw notFound();
    throw e;
  }
  return r;
}

export const receiptRoutes: RouteMap<Extract<RouteKeyOf<'forms'>, `${string}/receipts${string}`>> = {
  'GET /v1/dossiers/{dossierId}/receipts': async (req) => {
    const d = await visibleDossier(dossierDeps(), req.principal, req.params.dossierId);
    const items = await receipts().listByDossier(d.id);
    return json(200, { items: items.map(receiptItemView) });
  },
  'GET /v1/receipts/{receiptId}': async (req) => {
    const raw = req.params.receiptId;
    if (!/\.pdf$/i.test(raw)) throw notFound();
    const r = await visibleReceipt(req.principal, raw.replace(/\.pdf$/i, ''));
    const pdf = await renderReceipt(r, receiptVerifyUrl(r.id), await loadFonts());
    return {
      status: 200,
      raw: pdf,
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="bien-lai-${r.series}-${r.number}.pdf"`,
        'cache-control': 'private, no-store',
      },
    };
  },
  'GET /v1/verify/receipts/{receiptId}': async (req) => {
    const id = req.params.receiptId;
    const r = isReceiptId(id) ? await receipts().get(id) : undefined;
    if (!r) throw notFound();
    return json(200, receiptVerification(r));
  },
};
