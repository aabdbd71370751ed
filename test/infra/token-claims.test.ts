/** The Cognito trigger that gives tokens the `role` and `ward` claims the handlers authorize with. */
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler, tokenClaims } from '#infra/identity/token-claims.ts';

const VNEID_IDENTITIES = JSON.stringify([{ providerName: 'VNeID', providerType: 'OIDC', userId: '001099012345' }]);

describe('Function: tokenClaims', () => {
  it('gives staff their admin-set role and ward', () => {
    expect(tokenClaims({ sub: 'u1', 'custom:role': 'receiver', 'custom:ward': 'bimson' })).toEqual({
      role: 'receiver',
      ward: 'bimson',
    });
  });

  it('makes a VNeID user without a role a citizen, without a ward', () => {
    expect(tokenClaims({ sub: 'u2', identities: VNEID_IDENTITIES, 'custom:ward': 'bimson' })).toEqual({
      role: 'citizen',
    });
  });

  it('gives a helper their residential group and a province administrator no ward', () => {
    expect(
      tokenClaims({ sub: 'h1', 'custom:role': 'helper', 'custom:ward': 'bimson', 'custom:group': 'tdp-03' }),
    ).toEqual({ role: 'helper', ward: 'bimson', residentialGroup: 'tdp-03' });
    expect(tokenClaims({ sub: 'p1', 'custom:role': 'province', 'custom:ward': 'bimson' })).toEqual({
      role: 'province',
    });
    expect(tokenClaims({ sub: 'r1', 'custom:role': 'receiver', 'custom:ward': 'bimson', 'custom:group': 'x' })).toEqual(
      {
        role: 'receiver',
        ward: 'bimson',
      },
    );
  });

  it("gives a VNeID citizen the mapped identity number, and nobody else's", () => {
    expect(tokenClaims({ sub: 'c1', identities: VNEID_IDENTITIES, 'custom:id_number': '038090001234' })).toEqual({
      role: 'citizen',
      idNumber: '038090001234',
    });
    expect(tokenClaims({ sub: 'c2', identities: VNEID_IDENTITIES, 'custom:id_number': '12ab' })).toEqual({
      role: 'citizen',
    });
    // A citizen role set by hand, without VNeID behind it, does not vouch for an identity number.
    expect(tokenClaims({ sub: 'c3', 'custom:role': 'citizen', 'custom:id_number': '038090001234' })).toEqual({
      role: 'citizen',
    });
    expect(
      tokenClaims({
        sub: 's1',
        'custom:role': 'receiver',
        'custom:ward': 'bimson',
        'custom:id_number': '038090001234',
      }),
    ).toEqual({ role: 'receiver', ward: 'bimson' });
  });

  it('gives no role to a pool user without one, nor to an unknown role', () => {
    expect(tokenClaims({ sub: 'u3' })).toEqual({});
    expect(tokenClaims({ sub: 'u4', 'custom:role': 'superuser', 'custom:ward': 'bimson' })).toEqual({});
  });

  it('ignores an identities attribute that is not VNeID or not JSON', () => {
    expect(tokenClaims({ sub: 'u5', identities: JSON.stringify([{ providerName: 'Google' }]) })).toEqual({});
    expect(tokenClaims({ sub: 'u6', identities: 'not json' })).toEqual({});
  });
});

describe('Function: handler', () => {
  it('adds the claims to both the ID and the access token', async () => {
    // Prepare
    const event = {
      version: '2',
      triggerSource: 'TokenGeneration_HostedAuth',
      region: 'ap-southeast-1',
      userPoolId: 'ap-southeast-1_x',
      userName: 'VNeID_001099012345',
      callerContext: { awsSdkVersion: '3', clientId: 'c' },
      request: { userAttributes: { sub: 'u2', identities: VNEID_IDENTITIES }, groupConfiguration: {} },
      response: { claimsAndScopeOverrideDetails: {} },
    } as PreTokenGenerationV2TriggerEvent;
    // Act
    const out = await handler(event);
    // Assess
    expect(out.response.claimsAndScopeOverrideDetails).toEqual({
      idTokenGeneration: { claimsToAddOrOverride: { role: 'citizen' } },
      accessTokenGeneration: { claimsToAddOrOverride: { role: 'citizen' } },
    });
  });
});
