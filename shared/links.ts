/**
 * Public links that citizens open from a QR code (a procedure on a poster, a dossier on its
 * receipt): the portal's page when the deployment names one, by a URL template such as
 * `https://dichvucong.example.gov.vn/thu-tuc/{procedureId}`, else our own public page (/p/...).
 */

/** The placeholder each kind of link fills. */
export const LINK_PLACEHOLDERS = { procedure: 'procedureId', dossier: 'code' } as const;
export type LinkKind = keyof typeof LINK_PLACEHOLDERS;

/** Why a template cannot be used, or undefined when it can (an absolute http(s) URL with its placeholder). */
export function linkTemplateProblem(template: string, kind: LinkKind): string | undefined {
  const placeholder = `{${LINK_PLACEHOLDERS[kind]}}`;
  if (!template.includes(placeholder)) return `must contain ${placeholder}`;
  let url: URL;
  try {
    url = new URL(template.replaceAll(placeholder, 'x'));
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  return undefined;
}

/** The link of one procedure or dossier; `fallback` when no usable template is set. */
export function publicLink(kind: LinkKind, template: string | undefined, value: string, fallback: string): string {
  if (template === undefined || template.trim() === '' || linkTemplateProblem(template, kind)) return fallback;
  return template.replaceAll(`{${LINK_PLACEHOLDERS[kind]}}`, encodeURIComponent(value));
}
