/**
 * QR codes for the web: error correction M, a quiet zone of 2 modules (qr-png.ts draws the same
 * codes as PNG for the PDFs).
 *
 * The QR core and the SVG renderer of the `qrcode` package alone: its entry also loads the PNG,
 * terminal and UTF-8 renderers and pngjs (~60 KB of the bundles that only draw SVG).
 */
import { create } from 'qrcode/lib/core/qrcode.js';
import { render } from 'qrcode/lib/renderer/svg-tag.js';

/** What every QR code of ours is drawn with. */
export const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 2 } as const;

/**
 * The QR code of `text` as a standalone SVG document (`<svg …>` with one `<path>` of the dark modules).
 * @throws Error when `text` is too long for a QR code at level M.
 */
export async function qrSvg(text: string): Promise<string> {
  const options = { type: 'svg', ...QR_OPTIONS } as const;
  return render(create(text, options), options);
}
