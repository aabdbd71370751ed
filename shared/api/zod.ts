/** zod with the `.openapi()` extension, so the schemas that validate also document. */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';

// Only ZodType is touched: passing the namespace itself would keep all of zod (and its ~260 KB of
// locales) in every bundle.
extendZodWithOpenApi({ ZodType: z.ZodType } as unknown as typeof z);

export { z };

/** A short, single-line text: trimmed, NFC-normalized, bounded, no control characters. */
export const text = (max: number) =>
  z
    .string()
    .max(max * 4)
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(1)
        .max(max)
        // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
        .regex(/^[^\u0000-\u001f\u007f\u2028\u2029]*$/, 'control characters are not allowed'),
    );

/** Identifiers in paths and keys: no slashes, dots-only or other path tricks. */
export const slug = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/, 'letters, digits, - and _ only (1-80)')
  .openapi({ example: 'bimson-khai-sinh' });
