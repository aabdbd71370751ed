/**
 * The composition root: every adapter a function uses, built once per container on first use and
 * handed out by a typed getter; handlers take their dependencies from here and nowhere else.
 *
 * esbuild bundles each function on its own: every getter is a `/* @__PURE__ *\/ once(...)` and this
 * module runs nothing at load, so a function's bundle keeps only the getters it calls (and the
 * adapters and SDK clients behind them). The least-privilege test measures the same tree-shaken
 * bundle. The one exception is `paymentDeps` (functions/adapters/dynamo-payments.ts): loading
 * that module checks the gateways' endpoints, a cold-start check that only the payment
 * functions may run, so it is imported by them alone.
 */

import { type Clock, systemClock } from '#shared/ports.ts';
import type { AppointmentDeps } from '#shared/use-cases/appointments.ts';
import type { DocumentDeps } from '#shared/use-cases/documents/model.ts';
import type { DossierDeps } from '#shared/use-cases/dossiers.ts';
import type { KioskDeps } from '#shared/use-cases/kiosks.ts';
import type { QueueDeps } from '#shared/use-cases/queue.ts';
import { busName, events } from '../adapters/bus-client.ts';
import { once } from '../adapters/client-config.ts';
import { bucketName, dynamo, s3, tableName } from '../adapters/clients.ts';
import { deviceSecrets, deviceTokenIssuer } from '../adapters/device-tokens.ts';
import { HttpPortalClient } from '../adapters/dvcqg-http.ts';
import { DynamoAppointmentRepository } from '../adapters/dynamo-appointments.ts';
import { DynamoCalendarRepository, DynamoCatalogRepository } from '../adapters/dynamo-catalog.ts';
import { DynamoDossierRepository } from '../adapters/dynamo-dossiers.ts';
import { DynamoFacts, DynamoFactWriter } from '../adapters/dynamo-facts.ts';
import { DynamoKioskRepository } from '../adapters/dynamo-kiosks.ts';
import { DynamoLookupGuard } from '../adapters/dynamo-lookup.ts';
import { DynamoPortalSyncStore, readDossiersWithSyncState } from '../adapters/dynamo-portal-sync.ts';
import { DynamoQueueRepository } from '../adapters/dynamo-queue.ts';
import { DynamoReceiptRepository } from '../adapters/dynamo-receipts.ts';
import { DynamoWardDirectory } from '../adapters/dynamo-wards.ts';
import { EventBridgePublisher } from '../adapters/event-publisher.ts';
import { channelsFromEnv } from '../adapters/notification-channels.ts';
import { DynamoQueueStats } from '../adapters/queue-stats.ts';
import { DynamoDocumentRecords, S3ScanStore } from '../adapters/s3-scans.ts';
import { resultSigner } from '../adapters/signer.ts';
import { DynamoSlaAlarms } from '../adapters/sla-alarms.ts';
import { StoredEvents } from '../adapters/stored-events.ts';
import { TableInbox } from '../adapters/table-inbox.ts';
import { cachedLookup } from './ttl-cache.ts';

/**
 * The clock is the system's; the local runtime may shift it (MOTCUA_CLOCK_OFFSET_MS, set by the
 * replay tool through /local/clock) so that a quarter of working hours can be played in seconds.
 */
export const clock = /* @__PURE__ */ once(
  (): Clock =>
    process.env.MOTCUA_LOCAL === '1'
      ? { now: () => new Date(Date.now() + Number(process.env.MOTCUA_CLOCK_OFFSET_MS ?? 0)) }
      : systemClock,
);

// The table's repositories.

/** The DynamoDB dossier repository itself (consumers use its batch read, the lists its helper lists). */
export const dossierRepository = /* @__PURE__ */ once(() => new DynamoDossierRepository(dynamo(), tableName()));
const catalogRepository = /* @__PURE__ */ once(() => new DynamoCatalogRepository(dynamo(), tableName()));
const calendarRepository = /* @__PURE__ */ once(() => new DynamoCalendarRepository(dynamo(), tableName()));
/** The ward directory (the table's wards, cached per container for a minute). */
export const wardDirectory = /* @__PURE__ */ once(() => new DynamoWardDirectory(dynamo(), tableName()));
/** How long a consumer reuses a procedure's or ward's names (the portal sync): a rename shows within a minute. */
const NAMES_TTL_MS = 60_000;
export const cachedProcedures = /* @__PURE__ */ once(() =>
  cachedLookup((id) => catalogRepository().get(id), NAMES_TTL_MS),
);
export const cachedWards = /* @__PURE__ */ once(() => cachedLookup((id) => wardDirectory().get(id), NAMES_TTL_MS));
const appointmentRepository = /* @__PURE__ */ once(() => new DynamoAppointmentRepository(dynamo(), tableName()));
export const queueRepository = /* @__PURE__ */ once(() => new DynamoQueueRepository(dynamo(), tableName()));
const kioskRepository = /* @__PURE__ */ once(() => new DynamoKioskRepository(dynamo(), tableName()));
export const receiptRepository = /* @__PURE__ */ once(() => new DynamoReceiptRepository(dynamo(), tableName()));
export const portalSyncStore = /* @__PURE__ */ once(() => new DynamoPortalSyncStore(dynamo(), tableName()));
/** A batch's dossiers with their portal sync states, in one read (the portal sync's consumer). */
export const dossiersWithSyncState = (ids: readonly string[]) => readDossiersWithSyncState(dynamo(), tableName(), ids);
/** The public lookup's attempt counter (per client and code, per hour). */
export const lookupGuard = /* @__PURE__ */ once(() => new DynamoLookupGuard(dynamo(), tableName()));
/** The indicator facts (one row per dossier). */
export const facts = /* @__PURE__ */ once(() => new DynamoFacts(dynamo(), tableName()));
/** Their writer (the statistics). */
export const factWriter = /* @__PURE__ */ once(() => new DynamoFactWriter(dynamo(), tableName()));
/** The queue's day figures (visitors at the kiosks). */
export const queueStats = /* @__PURE__ */ once(() => new DynamoQueueStats(dynamo(), tableName()));
/** The deadline watch's alarms: a marker and the alarm's event, in one transaction. */
export const slaAlarms = /* @__PURE__ */ once(() => new DynamoSlaAlarms(dynamo(), tableName()));
/** The stored copies of a dossier's events (history entries, outbox items). */
export const storedEvents = /* @__PURE__ */ once(() => new StoredEvents(dynamo(), tableName()));
/** The dossier's inbox of notifications, and their delivery records. */
export const notificationInbox = /* @__PURE__ */ once(() => new TableInbox(dynamo(), tableName()));

// Other services.

/** The event bus, for the outbox relay. */
export const eventPublisher = /* @__PURE__ */ once(() => new EventBridgePublisher(events(), busName));
/** The notification senders configured for this deployment (SMS, e-mail, Zalo; previews locally). */
export const notificationChannels = /* @__PURE__ */ once(() => channelsFromEnv());
/** The national portal's client; its session lives as long as the container. */
export const portalClient = /* @__PURE__ */ once(() => new HttpPortalClient());

// What the use cases take.

export const dossierDeps = /* @__PURE__ */ once(
  (): DossierDeps => ({
    dossiers: dossierRepository(),
    catalog: catalogRepository(),
    calendars: calendarRepository(),
    clock: clock(),
    wards: wardDirectory(),
  }),
);

export const appointmentDeps = /* @__PURE__ */ once(
  (): AppointmentDeps => ({
    appointments: appointmentRepository(),
    calendars: calendarRepository(),
    catalog: catalogRepository(),
    queue: queueRepository(),
    clock: clock(),
    wards: wardDirectory(),
  }),
);

export const queueDeps = /* @__PURE__ */ once(
  (): QueueDeps => ({ queue: queueRepository(), clock: clock(), wards: wardDirectory() }),
);

/** The kiosks' deps: device tokens expire on the system's clock, never the local runtime's shifted one. */
export const kioskDeps = /* @__PURE__ */ once(
  (): KioskDeps => ({
    kiosks: kioskRepository(),
    secrets: deviceSecrets,
    tokens: deviceTokenIssuer(),
    clock: systemClock,
    wards: wardDirectory(),
  }),
);

/** What the scan routes and the scan checker share: the dossiers, the clock, upload records, the bucket. */
interface ScanDeps {
  readonly dossiers: DossierDeps['dossiers'];
  readonly clock: Clock;
  readonly records: DynamoDocumentRecords;
  readonly scans: S3ScanStore;
}

export const scanDeps = /* @__PURE__ */ once((): ScanDeps => {
  const now = clock();
  return {
    dossiers: dossierRepository(),
    clock: now,
    records: new DynamoDocumentRecords(dynamo(), tableName()),
    scans: new S3ScanStore(s3(), bucketName(), () => now.now()),
  };
});

/** The documents routes': the scans' deps and the result signer (KMS, or a local key). */
export const documentDeps = /* @__PURE__ */ once((): DocumentDeps => ({ ...scanDeps(), signer: resultSigner() }));
