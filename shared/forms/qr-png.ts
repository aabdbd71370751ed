/** QR codes as PNG, for embedding in the PDFs (the PDF function alone bundles the PNG renderer and pngjs). */
import { create } from 'qrcode/lib/core/qrcode.js';
import { renderToBuffer } from 'qrcode/lib/renderer/png.js';
import { QR_OPTIONS } from './qr.ts';

/** Pixels per module of the PNG: sharp enough to print at a few centimetres. */
const PNG_SCALE = 8;

/**
 * The QR code of `text` as PNG bytes (black on white, 8 px per module), for embedding in PDFs.
 * @throws Error when `text` is too long for a QR code at level M.
 */
export function qrPngBytes(text: string): Promise<Uint8Array> {
  const options = { type: 'png', ...QR_OPTIONS, scale: PNG_SCALE } as const;
  return new Promise((resolve, reject) => {
    try {
      renderToBuffer(create(text, options), options, (err, png) =>
        err ? reject(err) : resolve(new Uint8Array(png.buffer, png.byteOffset, png.byteLength)),
      );
    } catch (e) {
      reject(e);
    }
  });
}
