/** OpenAPI entries of the payments routes (see functions/lib/openapi.ts). */
import * as z from 'zod';
import './zod-openapi.ts';
import { paymentStartedSchema, startPaymentSchema } from '#shared/use-cases/payments/start.ts';
import type { RouteDocs } from './route-doc.ts';

const vnpayReplySchema = z
  .object({
    RspCode: z.enum(['00', '01', '02', '04', '97', '99']),
    Message: z.string(),
  })
  .openapi('VnpayIpnReply', {
    description:
      '00 confirmed (a failed payment is also 00: the IPN was processed), 01 order not found, 02 already confirmed, ' +
      '04 invalid amount, 97 invalid signature, 99 unknown error. Always HTTP 200.',
  });

export const paymentsDocs = {
  'POST /v1/dossiers/{dossierId}/payments': {
    summary:
      'Start an online payment of the fee due (status 6) with VNPay or MoMo. While a payment through the same ' +
      'gateway is pending, the same payment is returned (201 again). 409 NOT_AWAITING_PAYMENT when the dossier is ' +
      'not at status 6; 422 AMOUNT_NOT_SUPPORTED outside the gateway limits; 422 GATEWAY_NOT_OFFERED when the ' +
      "ward's own merchant does not take this gateway; 422 RETURN_URL_NOT_ALLOWED unless `returnUrl` is an https page " +
      'of a configured front end (FRONTEND_ORIGINS), without user/password or characters gateways encode ' +
      'differently; a new `returnUrl` opens a new payment. 502 GATEWAY_UNAVAILABLE when MoMo cannot be reached. ' +
      'Locally `payUrl` opens the sandbox page /local/sandbox/{gateway}.',
    body: startPaymentSchema,
    response: paymentStartedSchema,
    status: 201,
  },
  'GET /v1/payments/vnpay/ipn': {
    summary:
      "VNPay's IPN (signed query, HMAC-SHA512 over the pairs as received, by the merchant its vnp_TmnCode names). " +
      "Checks in VNPay's order: signature (97), order of that merchant's wards (01), amount (04, also for a " +
      'signed amount not a multiple of 100), still pending (02); then confirms the payment, moves the dossier ' +
      '6 -> 4 and issues the electronic receipt in one transaction.',
    query: z.object({
      vnp_TxnRef: z.string(),
      vnp_Amount: z.string(),
      vnp_ResponseCode: z.string(),
      vnp_TransactionStatus: z.string(),
      vnp_TmnCode: z.string(),
      vnp_SecureHash: z.string(),
    }),
    response: vnpayReplySchema,
  },
  'POST /v1/payments/momo/ipn': {
    summary:
      "MoMo's IPN (JSON, HMAC-SHA256 signature). Always answers 204 with no body; a bad signature, an unknown " +
      'order, a wrong amount or a duplicate changes nothing.',
    status: 204,
  },
  'GET /local/sandbox/{gateway}': {
    summary: 'A page that plays the gateway (vnpay, momo) for the order `orderId` (HTML)',
    query: z.object({ orderId: z.string().optional() }),
    contentType: 'text/html',
  },
  'POST /local/sandbox/{gateway}/pay': {
    summary:
      'Form post (orderId, outcome=success|cancel) of the sandbox page: signs the gateway callback with the local ' +
      'settings and delivers it to the IPN route; answers an HTML page with the IPN reply',
    contentType: 'text/html',
  },
} satisfies RouteDocs<'payments' | 'payment-callbacks' | 'local'>;
