/**
 * Reconciliation of payments pending too long (đối soát): callbacks get lost, so every run asks
 * the gateway about each payment pending over 15 minutes; a paid answer confirms it the same way a
 * callback would, a dead link is expired. Runs on the manifest's schedule (EventBridge Scheduler).
 */
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { type ReconcileSummary, reconcilePayments } from '#shared/use-cases/payments/reconcile.ts';
import { paymentDeps } from './adapters/dynamo-payments.ts';
import { logContext, logger } from './lib/powertools.ts';

/** No new check starts with less than this left: a gateway may take seconds to answer. */
const RESERVE_MS = 10_000;

export const handler = middy<ScheduledEvent, ReconcileSummary>()
  .use(logContext())
  .handler(async (event, context) => {
    logger.appendKeys({ correlationId: event.id });
    const summary = await reconcilePayments(paymentDeps(), {
      timeLeft: () => context.getRemainingTimeInMillis() > RESERVE_MS,
      correlationId: event.id,
    });
    const { errors, ...counts } = summary;
    logger.info('payments reconciled', counts);
    if (errors.length) {
      for (const e of errors.slice(0, 20)) logger.error('payment not reconciled', { ...e });
      // Those payments stay pending and are tried again next run; the failure raises the function's alarm.
      throw new Error(`${errors.length} payment(s) could not be reconciled`);
    }
    return summary;
  });
