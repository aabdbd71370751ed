/**
 * The fonts of the printed forms: Be Vietnam Pro (SIL OFL 1.1), which covers every Vietnamese
 * letter with its diacritics. The renderers take the TTF bytes ({@link FontBytes}); reading the
 * files is an adapter's (functions/adapters/fonts.ts).
 */

/** The weights the forms use. */
type FontWeight = 'regular' | 'bold';

/**
 * The font files, relative to the root of the `@expo-google-fonts/be-vietnam-pro` package (and to
 * `MOTCUA_FONT_DIR`): exactly what a build has to copy (infra/assets.ts reads this list).
 * Regular first, then Bold.
 */
export const FONT_FILES = Object.freeze([
  '400Regular/BeVietnamPro_400Regular.ttf',
  '700Bold/BeVietnamPro_700Bold.ttf',
] as const);

/** The file of each weight. */
export const FONT_FILE_OF: Readonly<Record<FontWeight, string>> = { regular: FONT_FILES[0], bold: FONT_FILES[1] };

/** The npm package that ships the fonts. */
export const FONT_PACKAGE = '@expo-google-fonts/be-vietnam-pro';

/** The raw TTF bytes of each weight. */
export type FontBytes = Readonly<Record<FontWeight, Uint8Array>>;
