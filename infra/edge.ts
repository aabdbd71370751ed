/**
 * The edge in front of the HTTP API (HTTP APIs take no WAF): a CloudFront distribution whose web
 * ACL holds a WAF rate-based rule on the public routes that guess at dossier codes (the manifest's
 * `throttled` routes: lookup, verify, the kiosk token exchange), at PUBLIC_RATE_LIMIT per client IP,
 * answered 429 `RATE_LIMITED` in our error shape. The web ACL of a distribution lives in us-east-1:
 * {@link EdgeWafStack} is deployed there and the API stack references it across regions.
 *
 * CloudFront adds a secret header (`x-motcua-edge`) to every origin request; with it the lookup
 * handler believes the viewer address CloudFront forwards (functions/lib/client-ip.ts), so a caller
 * going around CloudFront to the execute-api endpoint is counted by its own source IP.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ENV } from '#wiring/definitions.ts';
import { functions, PUBLIC_RATE_LIMIT } from '#wiring/manifest.ts';
import { EDGE_SECRET_HEADER } from '../functions/lib/client-ip.ts';
import { acknowledge } from './nag.ts';

/** The literal path prefix of each throttled route (`/v1/lookup/{dossierCode}` -> `/v1/lookup/`). */
export const throttledPrefixes = (): string[] => [
  ...new Set(
    functions.flatMap((f) => (f.routes ?? []).filter((r) => r.throttled).map((r) => r.path.replace(/\{.*$/, ''))),
  ),
];

/** The WAF web ACL of the edge, in us-east-1 (scope CLOUDFRONT). */
export class EdgeWafStack extends Stack {
  public readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const prefixes = throttledPrefixes();
    const match = (prefix: string): CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'STARTS_WITH',
        searchString: prefix,
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    });
    const scopeDown: CfnWebACL.StatementProperty =
      prefixes.length === 1 ? match(prefixes[0] as string) : { orStatement: { statements: prefixes.map(match) } };
    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const acl = new CfnWebACL(this, 'EdgeWebAcl', {
      scope: 'CLOUDFRONT',
      description: 'motcua: per-IP rate limit on the public routes that guess at dossier codes',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('motcua-edge'),
      customResponseBodies: {
        'rate-limited': {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            error: { code: 'RATE_LIMITED', message: 'Quá nhiều yêu cầu từ địa chỉ này; vui lòng thử lại sau ít phút.' },
          }),
        },
      },
      rules: [
        {
          name: 'public-guessing-routes-per-ip',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'rate-limited' } } },
          statement: {
            rateBasedStatement: {
              limit: PUBLIC_RATE_LIMIT.requests,
              evaluationWindowSec: PUBLIC_RATE_LIMIT.windowS,
              aggregateKeyType: 'IP',
              scopeDownStatement: scopeDown,
            },
          },
          visibilityConfig: visibility('motcua-public-guessing-routes'),
        },
      ],
    });
    this.webAclArn = acl.attrArn;
  }
}

/** Properties of {@link Edge}. */
interface EdgeProps {
  /** The HTTP API's host (`{apiId}.execute-api.{region}.amazonaws.com`). */
  readonly apiDomain: string;
  /** ARN of the web ACL (EdgeWafStack, us-east-1). */
  readonly webAclArn: string;
  /** Functions that read the viewer's address (those with throttled routes). */
  readonly viewers: readonly IFunction[];
}

/** The CloudFront distribution in front of the API, with the WAF web ACL and the origin secret. */
export class Edge extends Construct {
  public readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const secret = new Secret(this, 'OriginSecret', {
      description: 'The header CloudFront adds to every request it sends to the API (x-motcua-edge)',
      generateSecretString: { excludePunctuation: true, passwordLength: 48 },
    });
    acknowledge(
      secret,
      'AwsSolutions-SMG4',
      'The origin secret only tells the API that a request came through CloudFront; rotating it needs CloudFront ' +
        'and the functions updated together, which a redeploy with a new secret does.',
    );
    // A dynamic reference: CloudFormation resolves it at deploy time; the template holds the secret's ARN only.
    const value = secret.secretValue.unsafeUnwrap();
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'motcua API behind the WAF rate limit',
      defaultBehavior: {
        origin: new HttpOrigin(props.apiDomain, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          customHeaders: { [EDGE_SECRET_HEADER]: value },
          readTimeout: Duration.seconds(30),
        }),
        allowedMethods: AllowedMethods.ALLOW_ALL,
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        // An API: nothing cached, every viewer header but Host passed on (API Gateway needs its own Host).
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      webAclId: props.webAclArn,
      priceClass: PriceClass.PRICE_CLASS_200,
      httpVersion: HttpVersion.HTTP2_AND_3,
    });
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR3',
      'CloudFront standard logs hold full URLs with their query strings, i.e. dossier codes and the phone digits of ' +
        'lookups; the API stage keeps an access log by route key (no codes, no digits) and WAF keeps sampled requests.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'The distribution uses the default *.cloudfront.net certificate, whose minimum TLS version cannot be set; a ' +
        "ward's own domain with an ACM certificate (TLSv1.2_2021) replaces it when the province assigns one.",
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'Citizens abroad (overseas Vietnamese, workers) follow their dossiers too; abuse is bounded per IP by the WAF ' +
        'rate rule instead of by country.',
    );
    for (const fn of props.viewers) {
      (fn as IFunction & { addEnvironment(k: string, v: string): unknown }).addEnvironment(ENV.edgeOriginSecret, value);
    }
  }
}
