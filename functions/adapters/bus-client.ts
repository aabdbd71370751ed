/**
 * The event bus client on its own, so that the outbox relay (which needs nothing else) does not
 * bundle the DynamoDB and S3 clients; clients.ts re-exports it, so it is the same instance.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ENV } from '#wiring/definitions.ts';
import { endpoint, once, requiredEnv } from './client-config.ts';

export const events = /* @__PURE__ */ once(() => new EventBridgeClient({ ...endpoint(ENV.eventsEndpoint) }));
export const busName = /* @__PURE__ */ once(() => requiredEnv(ENV.bus));
