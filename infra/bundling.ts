/**
 * esbuild settings shared by the CDK construct and the benchmark (one place, no drift).
 *
 * The AWS SDK is bundled (pinned, tree-shaken). Only the credential providers that the default
 * chain imports dynamically, and reaches only when the environment has no credentials, stay
 * out: in Lambda the environment always has them (the first provider wins), so these are never
 * loaded there, and they are ~130 KB of every bundle. Were one ever reached, the Node.js runtime's
 * own copy of the SDK provides it.
 */
import type { FunctionSpec } from '#wiring/manifest.ts';

const LAMBDA_EXTERNALS: readonly string[] = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
];

/**
 * The event-stream codec of @smithy/core (~20 KB of every bundle). Every protocol imports it
 * dynamically (`await import()` in HttpProtocol) and reaches it only for an operation with an event
 * stream: none of the operations this code calls on DynamoDB, EventBridge, KMS, SQS, SES, Secrets
 * Manager or SMS has one, so outside S3 it is never loaded, like the providers above. The S3 client
 * imports it statically (SelectObjectContent), so a function that touches the bucket bundles it.
 */
const EVENT_STREAMS = '@smithy/core/event-streams';

/** What a function leaves out of its bundle: {@link LAMBDA_EXTERNALS}, and the event streams unless it uses S3. */
export function lambdaExternals(spec: Pick<FunctionSpec, 'access'>): readonly string[] {
  return spec.access.bucket ? LAMBDA_EXTERNALS : [...LAMBDA_EXTERNALS, EVENT_STREAMS];
}
