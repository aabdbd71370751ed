import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { throttledPrefixes } from '#infra/edge.ts';
import { PUBLIC_RATE_LIMIT } from '#wiring/manifest.ts';
import { synth } from './helpers.ts';

describe('Stack: the edge in front of the HTTP API', () => {
  const built = synth();

  it('puts a WAF rate-based rule per IP on exactly the throttled routes, in a us-east-1 CLOUDFRONT web ACL, answering 429', () => {
    expect(built.edgeWaf?.region).toBe('us-east-1');
    expect(throttledPrefixes().sort()).toEqual(['/p/tra-cuu/', '/v1/kiosk/token', '/v1/lookup/', '/v1/verify/']);
    const waf = Template.fromStack(built.edgeWaf as NonNullable<typeof built.edgeWaf>);
    waf.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      Rules: [
        Match.objectLike({
          Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'rate-limited' } } },
          Statement: {
            RateBasedStatement: Match.objectLike({
              Limit: PUBLIC_RATE_LIMIT.requests,
              EvaluationWindowSec: PUBLIC_RATE_LIMIT.windowS,
              AggregateKeyType: 'IP',
              ScopeDownStatement: {
                OrStatement: {
                  Statements: throttledPrefixes().map((p) =>
                    Match.objectLike({
                      ByteMatchStatement: Match.objectLike({ SearchString: p, PositionalConstraint: 'STARTS_WITH' }),
                    }),
                  ),
                },
              },
            }),
          },
        }),
      ],
    });
  });

  it('fronts the API with a CloudFront distribution that carries the web ACL and the origin secret header, caching nothing', () => {
    const api = Template.fromStack(built.api);
    api.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        WebACLId: Match.anyValue(),
        Origins: [
          Match.objectLike({
            OriginCustomHeaders: [Match.objectLike({ HeaderName: 'x-motcua-edge' })],
            CustomOriginConfig: Match.objectLike({
              OriginProtocolPolicy: 'https-only',
              OriginSSLProtocols: ['TLSv1.2'],
            }),
          }),
        ],
        DefaultCacheBehavior: Match.objectLike({
          CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
          ViewerProtocolPolicy: 'https-only',
        }),
      }),
    });
    // The lookup function knows the secret; no function without a throttled route does.
    const lookup = built.api.functions.get('lookup')?.function;
    const reports = built.api.functions.get('reports')?.function;
    const envOf = (id: string) => JSON.stringify(api.toJSON().Resources[id]?.Properties?.Environment?.Variables ?? {});
    expect(envOf(built.api.getLogicalId(lookup?.node.defaultChild as never))).toContain('EDGE_ORIGIN_SECRET');
    expect(envOf(built.api.getLogicalId(reports?.node.defaultChild as never))).not.toContain('EDGE_ORIGIN_SECRET');
  });

  it('leaves the edge out with motcua:edge=false', () => {
    const none = synth({ context: { 'motcua:edge': 'false' } });
    expect(none.edgeWaf).toBeUndefined();
    Template.fromStack(none.api).resourceCountIs('AWS::CloudFront::Distribution', 0);
  });
});
