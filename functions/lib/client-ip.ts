/**
 * Who is calling a public route, for the per-client limits (lookup attempts). API Gateway's
 * `requestContext.http.sourceIp` is the client, unless the API sits behind the CloudFront
 * distribution (infra/edge.ts): then it is a CloudFront edge server, shared by everyone
 * near it, and the viewer's address is in `CloudFront-Viewer-Address` ("ip:port"), which CloudFront
 * sets itself (or, where it is not forwarded, the entry CloudFront appends to X-Forwarded-For).
 * Either is believed only with the origin secret CloudFront adds
 * (`x-motcua-edge`), so a caller going around CloudFront to the API's own endpoint cannot pick
 * its address; without the secret it is counted by its own source IP, as anyone else.
 */
import { timingSafeEqual } from 'node:crypto';
import { ENV } from '#wiring/definitions.ts';

/** The header CloudFront adds to every origin request; its value is the edge secret. */
export const EDGE_SECRET_HEADER = 'x-motcua-edge';
/** Environment variable holding the edge secret (set only when the edge distribution exists). */
const EDGE_SECRET_ENV = ENV.edgeOriginSecret;

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The viewer's IP from CloudFront's "ip:port" (IPv6 is not bracketed: the port is after the last colon). */
export function viewerIp(address: string): string | undefined {
  const i = address.lastIndexOf(':');
  const ip = i > 0 ? address.slice(0, i) : '';
  return /^[0-9A-Fa-f:.]{2,45}$/.test(ip) ? ip : undefined;
}

/**
 * The viewer in X-Forwarded-For when CloudFront-Viewer-Address is not forwarded: CloudFront appends
 * the viewer's address to whatever the viewer sent, and API Gateway may append CloudFront's (the
 * source IP) after it; entries before those are the viewer's own claims and are ignored.
 */
export function forwardedViewer(xff: string | undefined, sourceIp: string): string | undefined {
  const hops = (xff ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  if (hops.at(-1) === sourceIp) hops.pop();
  const ip = hops.at(-1);
  return ip && /^[0-9A-Fa-f:.]{2,45}$/.test(ip) ? ip : undefined;
}

export function clientIp(
  sourceIp: string,
  headers: Readonly<Record<string, string | undefined>>,
  edgeSecret: string | undefined = process.env[EDGE_SECRET_ENV],
): string {
  const viewer = headers['cloudfront-viewer-address'];
  const presented = headers[EDGE_SECRET_HEADER];
  if (edgeSecret && presented && sameSecret(presented, edgeSecret)) {
    const ip = viewer ? viewerIp(viewer) : forwardedViewer(headers['x-forwarded-for'], sourceIp);
    if (ip) return ip;
  }
  return sourceIp.slice(0, 64);
}
