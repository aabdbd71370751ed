/** zod with the `.openapi()` extension, so the schemas that validate also document. */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';

// Only ZodType is touched: passing the namespace itself would keep all of zod (and its ~260 KB of
// locales) in every bundle.
extendZodWithOpenApi({ ZodType: z.ZodType } as unknown as typeof z);

/**
 * Characters a name or a reason never needs and that spoof or break what staff read: C0/C1
 * controls, line/paragraph separators, bidirectional overrides and isolates, invisible
 * separators, the BOM and specials/noncharacters.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b\u200e\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff0-\uffff]/;

/** A short, single-line text: trimmed, NFC-normalized, well-formed Unicode, bounded, nothing invisible or spoofing. */
export const text = (max: number) =>
  z
    .string()
    .max(max * 4)
    .refine((s) => s.isWellFormed(), 'malformed Unicode (lone surrogate)')
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(1)
        .max(max)
        .refine((s) => !FORBIDDEN.test(s), 'control, invisible or bidirectional-override characters are not allowed'),
    );

/** Identifiers in paths and keys: no slashes, dots-only or other path tricks. */
export const slug = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/, 'letters, digits, - and _ only (1-80)')
  .openapi({ example: 'bimson-khai-sinh' });
