/**
 * Cognito pre token generation trigger (V2): puts the claims the handlers read (`role`, `ward`,
 * see functions/lib/http.ts and DESIGN.md §6) into the ID and access tokens. Staff get them from the
 * admin-set attributes `custom:role` / `custom:ward`; a VNeID-federated user without a role is a
 * citizen. Kiosks are not users: they sign in as devices (POST /v1/kiosk/token, functions/kiosks.ts),
 * so a user given `custom:role=kiosk` gets no role. Anyone else gets no role claim: the API answers 401.
 *
 * Second wave: a `helper` (community digital team member) also gets `residentialGroup` from the
 * admin-set `custom:group`; a `province` administrator gets no ward. A VNeID citizen gets
 * `idNumber` from `custom:id_number`, which the VNeID provider's attribute mapping fills at every
 * sign-in from the claim named by the context key `motcua:vneidIdNumberClaim` (VNeID's personal
 * identity number, số định danh cá nhân); it is trusted only for VNeID-federated citizens and only
 * when it is 9 or 12 digits.
 */
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { ID_NUMBER, isRole } from '../../shared/auth.ts';

/** The name of the VNeID provider in the user pool (also what `identity_provider` selects). */
export const VNEID_PROVIDER_NAME = 'VNeID';

/** Whether Cognito's `identities` attribute (a JSON array) lists the VNeID provider. */
function federatedWithVneid(identities: string | undefined): boolean {
  if (!identities) return false;
  try {
    const parsed: unknown = JSON.parse(identities);
    return (
      Array.isArray(parsed) &&
      parsed.some(
        (i: unknown) =>
          typeof i === 'object' && i !== null && 'providerName' in i && i.providerName === VNEID_PROVIDER_NAME,
      )
    );
  } catch {
    return false;
  }
}

/** The `role` and `ward` claims for a user's attributes; empty when the user has no valid role. */
export function tokenClaims(attributes: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const assigned = attributes['custom:role'];
  const role = assigned !== undefined && assigned !== '' ? assigned : undefined;
  const effective = role ?? (federatedWithVneid(attributes.identities) ? 'citizen' : undefined);
  if (!isRole(effective) || effective === 'kiosk') return {};
  const ward = attributes['custom:ward'];
  const group = attributes['custom:group'];
  const idNumber = attributes['custom:id_number'];
  const vneidCitizen = effective === 'citizen' && federatedWithVneid(attributes.identities);
  return {
    role: effective,
    ...(ward && effective !== 'citizen' && effective !== 'province' ? { ward } : {}),
    ...(group && effective === 'helper' ? { residentialGroup: group } : {}),
    ...(idNumber && vneidCitizen && ID_NUMBER.test(idNumber) ? { idNumber } : {}),
  };
}

export const handler = async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
  const claims = tokenClaims(event.request.userAttributes);
  event.response = {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: { claimsToAddOrOverride: claims },
      accessTokenGeneration: { claimsToAddOrOverride: claims },
    },
  };
  return event;
};
