import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { countTemplates } from '../../bench/lib/bill.ts';
import { prop, resourcesOf, synth } from './helpers.ts';

const VNEID = {
  'motcua:oidcIssuer': 'https://vneid.example.gov.vn',
  'motcua:oidcClientId': 'motcua-bimson',
  'motcua:vneidIdNumberClaim': 'citizen_id',
};

/** The authorizer's MOTCUA_TRUSTED_ISSUERS, parsed, with each deploy-time value (import, SSM) as `<token>`. */
const trustedIssuers = (template: ReturnType<typeof synth>['apiTemplate']): Record<string, string>[] => {
  const fns = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));
  const fn = fns.find((f) => JSON.stringify(prop(f, 'Environment')).includes('MOTCUA_TRUSTED_ISSUERS'));
  const value = prop<{ Variables: Record<string, unknown> }>(fn ?? { Type: '' }, 'Environment')?.Variables
    .MOTCUA_TRUSTED_ISSUERS as { 'Fn::Join': [string, unknown[]] } | string;
  const text =
    typeof value === 'string'
      ? value
      : value['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : '<token>')).join(value['Fn::Join'][0]);
  return JSON.parse(text) as Record<string, string>[];
};

describe('Stack: MotcuaApi, citizens verified directly (default)', () => {
  it('guards the signed-in routes with a Lambda authorizer: simple responses, cached 5 minutes per Authorization header', () => {
    const { apiTemplate } = synth();
    apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 300,
      IdentitySource: ['$request.header.Authorization'],
    });
    // API Gateway may invoke it, and nothing else is granted to it.
    apiTemplate.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'apigateway.amazonaws.com',
      Action: 'lambda:InvokeFunction',
      FunctionName: Match.objectLike({ 'Fn::GetAtt': [Match.stringLikeRegexp('^Authorizer'), 'Arn'] }),
    });
  });

  it('trusts the user pool alone when VNeID is not configured, and no federation is created', () => {
    const s = synth();
    expect(trustedIssuers(s.apiTemplate)).toEqual([
      // The pool's issuer (AWS::URLSuffix, the pool id) and the web client (its id from SSM), at deploy time.
      { kind: 'staff', issuer: 'https://cognito-idp.ap-southeast-1.<token>/<token>', audience: '<token>' },
    ]);
    s.statefulTemplate.resourceCountIs('AWS::Cognito::UserPoolIdentityProvider', 0);
  });

  it('trusts VNeID directly, with its audience and identity-number claim, without federating it into the pool', () => {
    const s = synth({ context: VNEID });
    expect(trustedIssuers(s.apiTemplate)).toEqual([
      { kind: 'staff', issuer: 'https://cognito-idp.ap-southeast-1.<token>/<token>', audience: '<token>' },
      {
        kind: 'vneid',
        issuer: 'https://vneid.example.gov.vn',
        audience: 'motcua-bimson',
        idNumberClaim: 'citizen_id',
      },
    ]);
    s.statefulTemplate.resourceCountIs('AWS::Cognito::UserPoolIdentityProvider', 0);
    // Neither the client secret nor the managed login domain is needed to verify tokens.
    s.statefulTemplate.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
  });

  it('refuses a VNeID issuer or key set that is not https, and an unknown sign-in mode', () => {
    expect(() => synth({ context: { ...VNEID, 'motcua:oidcIssuer': 'http://vneid.example.gov.vn' } })).toThrow(
      /motcua:oidcIssuer must be an https URL/,
    );
    expect(() => synth({ context: { ...VNEID, 'motcua:oidcJwksUrl': 'ftp://x' } })).toThrow(/motcua:oidcJwksUrl/);
    expect(() => synth({ context: { 'motcua:citizenSignIn': 'both' } })).toThrow(/motcua:citizenSignIn/);
  });

  it('is billed as direct verification, and federation as Cognito MAUs', () => {
    const direct = synth({ context: VNEID });
    expect(countTemplates([direct.apiTemplate.toJSON(), direct.statefulTemplate.toJSON()], []).citizenSignIn).toBe(
      'direct-jwt',
    );
    const federated = synth({
      context: {
        ...VNEID,
        'motcua:citizenSignIn': 'cognito-federation',
        'motcua:oidcClientSecretName': 'motcua/vneid-client-secret',
        'motcua:authDomainPrefix': 'motcua-bimson',
      },
    });
    expect(
      countTemplates([federated.apiTemplate.toJSON(), federated.statefulTemplate.toJSON()], []).citizenSignIn,
    ).toBe('cognito-federation');
    federated.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: Match.objectLike({ Issuer: Match.anyValue() }),
    });
  });
});
