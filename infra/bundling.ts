/**
 * esbuild settings shared by the CDK construct and the benchmark (one place, no drift).
 *
 * The AWS SDK is bundled (pinned, tree-shaken). Only the credential providers that the default
 * chain imports dynamically, and reaches only when the environment has no credentials, stay
 * out: in Lambda the environment always has them (the first provider wins), so these are never
 * loaded there, and they are ~130 KB of every bundle. Were one ever reached, the Node.js runtime's
 * own copy of the SDK provides it.
 */
export const LAMBDA_EXTERNALS: readonly string[] = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
];
