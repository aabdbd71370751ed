/**
 * Reads the forms' fonts (shared/forms/fonts.ts) from disk, once per process, and caches them.
 *
 * Where the files are looked up:
 * 1. `MOTCUA_FONT_DIR`, when set (the Lambda bundle copies `FONT_FILES` beside the code and
 *    points this variable at them). Each file is looked up at its relative path in
 *    `FONT_FILES` first (the layout infra/assets.ts copies), then by its bare file name.
 * 2. Otherwise the installed `@expo-google-fonts/be-vietnam-pro` package.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { FONT_FILE_OF as FILE_OF, FONT_PACKAGE, type FontBytes } from '#shared/forms/fonts.ts';

let cached: Promise<FontBytes> | undefined;

/**
 * The directory the fonts are read from: `MOTCUA_FONT_DIR` if set, else the installed package's root.
 * @throws Error when the variable is unset and the package cannot be resolved.
 */
export function fontDir(): string {
  const fromEnv = process.env.MOTCUA_FONT_DIR;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv;
  try {
    return dirname(createRequire(import.meta.url).resolve(`${FONT_PACKAGE}/package.json`));
  } catch (cause) {
    throw new Error(`Font directory not found: set MOTCUA_FONT_DIR or install ${FONT_PACKAGE}.`, { cause });
  }
}

async function readFont(dir: string, relative: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(join(dir, relative)));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  try {
    return new Uint8Array(await readFile(join(dir, basename(relative))));
  } catch (cause) {
    throw new Error(`Font file ${relative} not found under ${dir}.`, { cause });
  }
}

/**
 * Loads the Regular and Bold TTF bytes, once per process. A failed load is not cached, so a later
 * call retries. Callers must not mutate the returned arrays (they are shared).
 */
export function loadFonts(): Promise<FontBytes> {
  if (cached === undefined) {
    const attempt = (async (): Promise<FontBytes> => {
      const dir = fontDir();
      // Both read at once; a failure names the first missing weight in order (Regular, then Bold).
      const [regular, bold] = await Promise.allSettled([readFont(dir, FILE_OF.regular), readFont(dir, FILE_OF.bold)]);
      if (regular.status === 'rejected') throw regular.reason;
      if (bold.status === 'rejected') throw bold.reason;
      return Object.freeze({ regular: regular.value, bold: bold.value });
    })();
    cached = attempt;
    attempt.catch(() => {
      if (cached === attempt) cached = undefined;
    });
  }
  return cached;
}

/** Forgets the cached fonts (for tests that change `MOTCUA_FONT_DIR`). */
export function clearFontCache(): void {
  cached = undefined;
}
