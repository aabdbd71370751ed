/** QR codes for the printed forms and the web: error correction M, a quiet zone of 2 modules. */
import QRCode from 'qrcode';

const ERROR_CORRECTION = 'M';
const MARGIN = 2;
/** Pixels per module of the PNG: sharp enough to print at a few centimetres. */
const PNG_SCALE = 8;

/**
 * The QR code of `text` as a standalone SVG document (`<svg …>` with one `<path>` of the dark modules).
 * @throws Error when `text` is too long for a QR code at level M.
 */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: ERROR_CORRECTION, margin: MARGIN });
}

/**
 * The QR code of `text` as PNG bytes (black on white, 8 px per module), for embedding in PDFs.
 * @throws Error when `text` is too long for a QR code at level M.
 */
export async function qrPngBytes(text: string): Promise<Uint8Array> {
  const png = await QRCode.toBuffer(text, {
    type: 'png',
    errorCorrectionLevel: ERROR_CORRECTION,
    margin: MARGIN,
    scale: PNG_SCALE,
  });
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
