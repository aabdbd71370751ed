/** Starts an online payment of a dossier's fee (thanh toán trực tuyến) with VNPay or MoMo. */
import { NotFoundError } from '#shared/errors.ts';
import { paymentView, startPayment, startPaymentSchema } from '#shared/use-cases/payments/start.ts';
import { paymentDeps } from './adapters/dynamo-payments.ts';
import { httpApi, json } from './lib/http.ts';
import { logger } from './lib/powertools.ts';

const ID = /^[0-9a-f-]{36}$/;

export const handler = httpApi({
  'POST /v1/dossiers/{dossierId}/payments': async (req) => {
    const id = req.params.dossierId ?? '';
    // A malformed id cannot name a dossier the caller may see: 404, like any other.
    if (!ID.test(id)) throw new NotFoundError('Hồ sơ', 'DOSSIER_NOT_FOUND');
    if (!req.principal) throw new Error('route without a principal');
    const input = startPaymentSchema.parse(req.body);
    const { payment, created } = await startPayment(paymentDeps(), req.principal, id, input, {
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
