/**
 * Shared field schemas: texts and slugs. They document themselves with zod's own `.meta()`, which
 * the OpenAPI generator reads (functions/docs/zod-openapi.ts holds the `.openapi()` extension).
 */
import * as z from 'zod';
import { INVISIBLE_CHARACTERS } from '../errors.ts';
import { SLUG } from '../ids.ts';

/**
 * Characters a name or a reason never needs and that spoof or break what staff and the public
 * read: C0/C1 controls, the soft hyphen, the combining grapheme joiner, the Arabic letter mark,
 * the Mongolian vowel separator, zero-width spaces and joiners and the LRM/RLM marks
 * (U+200B-U+200F), line/paragraph separators, bidirectional embeddings, overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069), invisible operators, the BOM (U+FEFF), specials/noncharacters
 * and the tag characters (U+E0000-U+E007F).
 */
const FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff0-\uffff\u{e0000}-\u{e007f}]|\u034f/u;

/** The invisible and bidirectional ones alone: checked before trimming too, since trim() drops a BOM at either end. */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\u{e0000}-\u{e007f}]|\u034f/u;

/** A short, single-line text: trimmed, NFC-normalized, well-formed Unicode, bounded, nothing invisible or spoofing. */
export const text = (max: number) =>
  z
    .string()
    .max(max * 4)
    .refine((s) => s.isWellFormed(), 'malformed Unicode (lone surrogate)')
    .refine((s) => !INVISIBLE.test(s), {
      message: 'invisible, bidirectional or tag characters are not allowed',
      params: { errorCode: INVISIBLE_CHARACTERS },
    })
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(1)
        .max(max)
        .refine((s) => !FORBIDDEN.test(s), {
          message: 'control, invisible, bidirectional or tag characters are not allowed',
          params: { errorCode: INVISIBLE_CHARACTERS },
        }),
    );

/** Identifiers in paths and keys: no slashes, dots-only or other path tricks. */
export const slug = z
  .string()
  .regex(SLUG, 'letters, digits, - and _ only (1-80)')
  .meta({ example: 'bimson-khai-sinh' });
