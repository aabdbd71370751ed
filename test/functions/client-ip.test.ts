import { describe, expect, it } from 'vitest';
import { clientIp, EDGE_SECRET_HEADER, forwardedViewer, viewerIp } from '#functions/lib/client-ip.ts';

const SECRET = 'edge-secret-0123456789';

describe('Function: clientIp', () => {
  it('is the source IP without the edge secret, whatever headers the caller sends', () => {
    const h = { 'cloudfront-viewer-address': '198.51.100.9:4431', 'x-forwarded-for': '198.51.100.9' };
    expect(clientIp('203.0.113.5', h, SECRET)).toBe('203.0.113.5');
    expect(clientIp('203.0.113.5', { ...h, [EDGE_SECRET_HEADER]: 'guessed' }, SECRET)).toBe('203.0.113.5');
    expect(clientIp('203.0.113.5', { ...h, [EDGE_SECRET_HEADER]: SECRET }, undefined)).toBe('203.0.113.5');
  });

  it("behind the edge, is the viewer CloudFront names, never the viewer's own X-Forwarded-For claims", () => {
    const edge = { [EDGE_SECRET_HEADER]: SECRET };
    expect(clientIp('130.176.1.1', { ...edge, 'cloudfront-viewer-address': '198.51.100.9:4431' }, SECRET)).toBe(
      '198.51.100.9',
    );
    expect(clientIp('130.176.1.1', { ...edge, 'cloudfront-viewer-address': '2001:db8::7:4431' }, SECRET)).toBe(
      '2001:db8::7',
    );
    expect(clientIp('130.176.1.1', { ...edge, 'x-forwarded-for': '10.0.0.1, 198.51.100.9, 130.176.1.1' }, SECRET)).toBe(
      '198.51.100.9',
    );
    expect(clientIp('130.176.1.1', { ...edge, 'x-forwarded-for': '10.0.0.1, 198.51.100.9' }, SECRET)).toBe(
      '198.51.100.9',
    );
  });

  it('parses only addresses', () => {
    expect(viewerIp('not an ip:1')).toBeUndefined();
    expect(forwardedViewer('<script>', '1.2.3.4')).toBeUndefined();
  });
});
