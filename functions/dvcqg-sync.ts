/**
 * The national portal sync (đồng bộ hồ sơ lên Cổng DVCQG). Two triggers, one job: the dossier
 * events (its own SQS queue, EventBridge rules in the manifest) send each changed dossier's
 * current state; the schedule resends what is marked pending, i.e. what the portal may not have
 * acknowledged (after an outage, a dead letter, a missing setting). Either way the STORED dossier
 * is read, never the event. A dossier the portal did not take is marked pending and fails its
 * records: the queue retries them, then its DLQ. An event's first delivery does not mark the
 * dossier pending before sending (two index writes saved on the common path); a redelivery does,
 * so that an attempt that died before it could say so is still found by the reconciliation if
 * every retry dies too.
 */
import middy from '@middy/core';
import type { ScheduledEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { reconcilePortal, syncDossierToPortal } from '#shared/dvcqg/sync.ts';
import { dossierEventConsumer } from './lib/consumer.ts';
import {
  cachedProcedures,
  cachedWards,
  clock,
  dossierRepository,
  dossiersWithSyncState,
  portalClient,
  portalSyncStore,
  wardDirectory,
} from './lib/deps.ts';
import { logger } from './lib/powertools.ts';

/** Longer than the function may run (30 s) and than one call with its retries: a dead holder's dossiers free up after this. */
const LEASE_MS = 60_000;
/** The reconciliation leaves a change this long to the event-driven sync (DVCQG_RECONCILE_GRACE_S, default 30). */
const graceMs = () => Number(process.env.DVCQG_RECONCILE_GRACE_S ?? 30) * 1000;
/** No new dossier is started with less than this left. */
const RESERVE_MS = 10_000;

const deps = () => ({
  dossiers: dossierRepository(),
  catalog: cachedProcedures(),
  store: portalSyncStore(),
  wards: cachedWards(),
  // The portal client, and with it the session, lives as long as the container.
  portal: portalClient(),
  clock: clock(),
  leaseMs: LEASE_MS,
});

const onEvents = dossierEventConsumer(
  'dvcqg-sync',
  // The batch's dossiers and their sync states in one read: what each sync checks before it
  // takes the lease (it reads the dossier again under the lease).
  dossiersWithSyncState,
  async (read, events, { redelivered }) => {
    const id = events[0]?.dossierId;
    if (!id) return;
    const r = await syncDossierToPortal(deps(), id, read, { markPending: redelivered });
    logger.info('portal sync', { dossierId: id, result: r.result });
  },
);

const onSchedule = middy<ScheduledEvent, unknown>().handler(async (event, context) => {
  const r = await reconcilePortal(
    deps(),
    (await wardDirectory().list()).map((w) => w.id),
    { graceMs: graceMs(), limit: 50, timeLeft: () => context.getRemainingTimeInMillis() > RESERVE_MS },
  );
  logger.info('portal reconciliation', { ...r, run: event.id });
  return r;
});

/** One function, two triggers: the queue's batches and the schedule's runs. */
export const handler = middy<SQSEvent | ScheduledEvent, SQSBatchResponse | unknown>().handler((event, context) =>
  'Records' in event
    ? (onEvents(event, context) as Promise<SQSBatchResponse>)
    : onSchedule(event as ScheduledEvent, context),
);
