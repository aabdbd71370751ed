/**
 * Everything that holds data, kept apart from the functions so that redeploying or even deleting
 * the API stack never touches it: the table, the scans bucket (and its access-log bucket), the
 * event bus, the gateway settings secret, the result-signing key and the user pool. All retained.
 */
import { CfnOutput, Duration, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  type IBucket,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { TABLE } from '#wiring/definitions.ts';
import { scansBucketName, ssmParameterNames } from './config.ts';
import { Identity, type IdentityProps } from './constructs/identity.ts';
import { acknowledge } from './nag.ts';

/** Properties of {@link StatefulStack}. */
interface StatefulStackProps extends StackProps {
  /** Sign-in settings: VNeID federation, OAuth redirect URLs, managed login domain. */
  readonly identity: IdentityProps;
  /** Origins allowed to PUT presigned uploads into the scans bucket from a browser. */
  readonly corsOrigins: readonly string[];
  /** The deployment's stage, in every fixed name (bucket, key alias, trigger). */
  readonly stage: string;
}

/** Key prefix where the scan checker moves rejected uploads; expired after 30 days. */
const QUARANTINE_PREFIX = 'quarantine/';

/**
 * The gateway secret's value at creation, byte for byte what earlier versions wrote, and never to
 * change (see the secret below). Placeholders only: real values never enter the template.
 */
export const GATEWAY_SECRET_INITIAL_VALUE =
  '{"VNPAY_TMN_CODE":"REPLACE_ME","VNPAY_HASH_SECRET":"REPLACE_ME","MOMO_PARTNER_CODE":"REPLACE_ME","MOMO_ACCESS_KEY":"REPLACE_ME","MOMO_SECRET_KEY":"REPLACE_ME"}';

export class StatefulStack extends Stack {
  public readonly table: Table;
  public readonly scansBucket: Bucket;
  public readonly accessLogsBucket: Bucket;
  public readonly eventBus: EventBus;
  public readonly gatewaySecret: Secret;
  public readonly signingKey: Key;
  public readonly identity: Identity;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, { terminationProtection: true, ...props });

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The outbox relay reads new outbox items from the stream (DESIGN.md §3).
      stream: StreamViewType.NEW_IMAGE,
      timeToLiveAttribute: TABLE.ttlAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType[index.projection],
      });
    }

    this.accessLogsBucket = new Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // Server access log delivery supports SSE-S3 only.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'archive-then-expire',
          transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }],
          expiration: Duration.days(365),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.accessLogsBucket,
      'AwsSolutions-S1',
      'This bucket is the destination of the scans bucket server access logs; logging it into itself would loop ' +
        'and logging it elsewhere would need a third bucket with the same finding.',
    );

    this.scansBucket = new Bucket(this, 'ScansBucket', {
      bucketName: scansBucketName(props.stage),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      // An upcast: aws-cdk-lib's Bucket meets IBucket only without exactOptionalPropertyTypes.
      serverAccessLogsBucket: this.accessLogsBucket as IBucket,
      serverAccessLogsPrefix: 'scans/',
      // Citizens upload from the portal with presigned PUTs (content type, length and checksum signed).
      cors: [
        {
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD],
          allowedOrigins: [...props.corsOrigins],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(30),
          expiredObjectDeleteMarker: true,
        },
        { id: 'expire-quarantine', prefix: QUARANTINE_PREFIX, expiration: Duration.days(30) },
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.eventBus = new EventBus(this, 'EventBus', {
      // Named per stage: CDK's default name comes from the construct path, the same in every stage.
      eventBusName: `motcua-${props.stage}`,
      description: 'motcua domain events (source motcua.dossiers), published by the outbox relay',
    });

    this.gatewaySecret = new Secret(this, 'GatewaySettings', {
      description:
        'Payment gateway settings (VNPay, MoMo): replace each REPLACE_ME with the value from the merchant portal; ' +
        'WARD_MERCHANTS (JSON) gives wards their own merchants',
      // The initial value only, frozen: CloudFormation rewrites a secret's value whenever this
      // property changes, which would put the placeholders back over what an operator entered.
      // New settings are optional keys the operator adds; never edit this string.
      secretStringValue: SecretValue.unsafePlainText(GATEWAY_SECRET_INITIAL_VALUE),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.gatewaySecret,
      'AwsSolutions-SMG4',
      'The values are merchant credentials issued by VNPay and MoMo; they change only when the gateway issues new ones, ' +
        'which an operator enters by hand. No rotation function can obtain them.',
    );

    this.signingKey = new Key(this, 'ResultSigningKey', {
      description: 'Signs result documents (kết quả giải quyết TTHC) so that /v1/verify can check them',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      alias: `motcua/${props.stage}/result-signing`,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.identity = new Identity(this, 'Identity', { ...props.identity, stage: props.stage });

    // Values that may change, handed to the API stack without an export (infra/config.ts).
    const parameters = ssmParameterNames(props.stage);
    new StringParameter(this, 'WebClientIdParameter', {
      parameterName: parameters.webClientId,
      description: 'motcua: the web app client id, the audience of the API tokens (read by the API stack)',
      stringValue: this.identity.client.userPoolClientId,
    });
    new StringParameter(this, 'TableStreamArnParameter', {
      parameterName: parameters.tableStreamArn,
      description: "motcua: the table stream's ARN, read by the outbox relay's mapping (API stack)",
      stringValue: this.table.tableStreamArn as string,
    });

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'ScansBucketName', { value: this.scansBucket.bucketName });
    new CfnOutput(this, 'EventBusName', { value: this.eventBus.eventBusName });
    new CfnOutput(this, 'GatewaySecretArn', { value: this.gatewaySecret.secretArn });
    new CfnOutput(this, 'SigningKeyArn', { value: this.signingKey.keyArn });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'WebClientId', { value: this.identity.client.userPoolClientId });
  }
}
