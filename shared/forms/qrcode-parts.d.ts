/** The parts of the `qrcode` package that shared/forms/qr.ts and qr-png.ts import one by one (CommonJS, untyped). */
declare module 'qrcode/lib/core/qrcode.js' {
  import type { QRCode, QRCodeOptions } from 'qrcode';
  export function create(text: string, options?: QRCodeOptions): QRCode;
}

declare module 'qrcode/lib/renderer/svg-tag.js' {
  import type { QRCode, QRCodeToStringOptions } from 'qrcode';
  export function render(qr: QRCode, options?: QRCodeToStringOptions): string;
}

declare module 'qrcode/lib/renderer/png.js' {
  import type { QRCode, QRCodeToBufferOptions } from 'qrcode';
  export function renderToBuffer(
    qr: QRCode,
    options: QRCodeToBufferOptions,
    done: (error: Error | null | undefined, png: Buffer) => void,
  ): void;
}
