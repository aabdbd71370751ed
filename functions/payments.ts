/** Starts an online payment of a dossier's fee (thanh toán trực tuyến) with VNPay or MoMo. */
import { paymentView, startPayment, startPaymentSchema } from '#shared/use-cases/payments/start.ts';
import { paymentDeps } from './adapters/dynamo-payments.ts';
import { httpApi, json } from './lib/http.ts';
import { logger } from './lib/powertools.ts';

export const handler = httpApi('payments', {
  'POST /v1/dossiers/{dossierId}/payments': async (req) => {
    const input = startPaymentSchema.parse(req.body);
    const { payment, created } = await startPayment(paymentDeps(), req.principal, req.params.dossierId, input, {
      ipAddr: req.sourceIp,
    });
    logger.info(created ? 'payment started' : 'pending payment returned', {
      orderId: payment.orderId,
      gateway: payment.gateway,
    });
    // The same answer for a repeated request while the payment is pending (idempotent start).
    return json(201, paymentView(payment));
  },
});
