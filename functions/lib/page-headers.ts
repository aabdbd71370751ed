/**
 * Headers of every HTML page we serve (the public pages and the API reference): a
 * Content-Security-Policy that allows only our own origin (inline stylesheets by their hash, no
 * inline script), no framing by another site, no MIME sniffing, no referrer (a status page's
 * address holds a dossier code), and the cache policy of the page.
 */
import { createHash } from 'node:crypto';
import type { HttpResult } from './http.ts';

const sha256 = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** Cache policies: a page anyone may cache a while, and one nobody should keep. */
export const CACHE = {
  public: 'public, max-age=300',
  asset: 'public, max-age=3600',
  none: 'no-store',
} as const;

interface PagePolicy {
  /** Inline <style> contents allowed by hash. */
  readonly inlineStyles?: readonly string[];
  readonly cache: string;
  /** swagger-ui draws its icons from data: URLs and sets inline styles itself. */
  readonly reference?: boolean;
}

function contentSecurityPolicy(p: Omit<PagePolicy, 'cache'>): string {
  const styles = ["'self'", ...(p.inlineStyles ?? []).map(sha256), ...(p.reference ? ["'unsafe-inline'"] : [])];
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src ${styles.join(' ')}`,
    `img-src 'self'${p.reference ? ' data:' : ''}`,
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function pageHeaders(p: PagePolicy, contentType = 'text/html; charset=utf-8'): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': contentSecurityPolicy(p),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': p.cache,
  };
}

/** An HTML page as an HTTP result. */
export const htmlPage = (
  status: number,
  page: { readonly html: string; readonly inlineStyles: readonly string[] },
  cache: string,
): HttpResult => ({
  status,
  raw: page.html,
  headers: pageHeaders({ inlineStyles: page.inlineStyles, cache }),
});
