/**
 * Files bundled beside a function's code (manifest `assets`): the PDF fonts and the API reference
 * page's static files. Resolved from node_modules at synth time, copied by esbuild's after-bundling
 * hook into the deployment package.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { OPENAPI_FILE } from '#wiring/definitions.ts';

const require = createRequire(import.meta.url);

/** Repository root: the folder of package.json, package-lock.json and functions/. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The npm package with the Vietnamese-capable TTFs used by the forms (OFL). */
const FONT_PACKAGE = '@expo-google-fonts/be-vietnam-pro';

/** Weights the forms use, as folders of the font package. */
const FONT_WEIGHT_DIRS = ['400Regular', '700Bold'] as const;

/** The static files of the reference page, from swagger-ui-dist (served without any outside URL). */
export const SWAGGER_UI_FILES = ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js'] as const;

/** Folder names inside the deployment package. */
export const ASSET_DIRS = { fonts: 'fonts', swaggerUi: 'swagger-ui' } as const;

const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

export const fontPackageDir = (): string => packageDir(FONT_PACKAGE);
export const swaggerUiDir = (): string => packageDir('swagger-ui-dist');

/** The TTFs of the used weights, relative to the font package folder (e.g. `400Regular/X.ttf`). */
export function globFontFiles(): readonly string[] {
  const root = fontPackageDir();
  return FONT_WEIGHT_DIRS.flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((f) => f.endsWith('.ttf'))
      .map((f) => `${dir}/${f}`),
  );
}

/**
 * The font list the forms code declares (`FONT_FILES` of shared/forms/fonts.ts, paths relative to
 * the font package folder); falls back to {@link globFontFiles} while that module does not exist.
 */
export async function resolveFontFiles(): Promise<readonly string[]> {
  const file = join(PROJECT_ROOT, 'shared', 'forms', 'fonts.ts');
  if (!existsSync(file)) return globFontFiles();
  const mod: unknown = await import(pathToFileURL(file).href);
  const list = typeof mod === 'object' && mod !== null && 'FONT_FILES' in mod ? mod.FONT_FILES : undefined;
  if (!Array.isArray(list) || !list.every((f): f is string => typeof f === 'string')) {
    throw new Error(`${file} must export FONT_FILES: string[] (paths relative to ${FONT_PACKAGE})`);
  }
  return list;
}

/**
 * The command that writes the OpenAPI document into `<outputDir>/<toDir>/<OPENAPI_FILE>`: the
 * generator (tools/openapi.ts) run by tsx in a Node process of its own, at bundling time.
 */
export function openApiCommand(outputDir: string, toDir: string): string {
  const dest = join(outputDir, toDir, OPENAPI_FILE);
  const tsx = require.resolve('tsx/cli');
  const tool = join(PROJECT_ROOT, 'tools', 'openapi.ts');
  return `mkdir -p ${quote(dirname(dest))} && ${quote(process.execPath)} ${quote(tsx)} ${quote(tool)} --out ${quote(dest)}`;
}

/** Shell-quotes a path for the bundler's command hooks. */
const quote = (p: string): string => `'${p.replaceAll("'", `'\\''`)}'`;

/**
 * Commands that copy `files` (relative to `fromDir`) into `<outputDir>/<toDir>`, keeping their
 * relative paths, so that code reads `join(<toDir at run time>, file)` in the cloud and
 * `join(fromDir, file)` locally.
 */
export function copyCommands(fromDir: string, files: readonly string[], outputDir: string, toDir: string): string[] {
  return files.map((f) => {
    const src = join(fromDir, f);
    if (!existsSync(src)) throw new Error(`asset file not found: ${src}`);
    const dest = join(outputDir, toDir, f);
    return `mkdir -p ${quote(dirname(dest))} && cp ${quote(src)} ${quote(dest)}`;
  });
}
