/**
 * Renders the app icon (resources/icon.svg, and resources/icon-small.svg for 32 px and less) into the files the window and the installers use:
 * resources/icon.png (1024 px), resources/icons/<n>x<n>.png (the Linux icon set), resources/icon.ico
 * (Windows) and resources/icon.icns (macOS), each holding PNG images. The SVG is drawn by the same
 * headless Chrome, Chromium or Edge the end-to-end tests use. Run: npx tsx scripts/make-icons.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { browserPath } from './find-browser';

const RESOURCES = new URL('../resources/', import.meta.url);

export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
/** Up to this size the simplified drawing is used. */
export const SMALL_MAX = 32;
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
/** ICNS element types holding PNG data, and the pixel size of each. */
export const ICNS_TYPES: ReadonlyArray<readonly [string, number]> = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

/** A Windows icon: a directory of images, each stored as PNG (Windows Vista and later read these). */
export function icoFile(pngs: ReadonlyMap<number, Uint8Array>, sizes: readonly number[]): Buffer {
  const head = Buffer.alloc(6 + 16 * sizes.length);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2);
  head.writeUInt16LE(sizes.length, 4);
  let offset = head.length;
  sizes.forEach((size, i) => {
    const png = pngs.get(size)!;
    const at = 6 + 16 * i;
    head.writeUInt8(size >= 256 ? 0 : size, at);
    head.writeUInt8(size >= 256 ? 0 : size, at + 1);
    head.writeUInt16LE(1, at + 4); // colour planes
    head.writeUInt16LE(32, at + 6); // bits per pixel
    head.writeUInt32LE(png.length, at + 8);
    head.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([head, ...sizes.map((s) => pngs.get(s)!)]);
}

/** A macOS icon family: 'icns', its length, then (type, length, PNG) elements, all big-endian. */
export function icnsFile(pngs: ReadonlyMap<number, Uint8Array>): Buffer {
  const elements = ICNS_TYPES.map(([type, size]) => {
    const png = pngs.get(size)!;
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + elements.reduce((n, e) => n + e.length, 0), 4);
  return Buffer.concat([head, ...elements]);
}

async function render(svg: string, small: string): Promise<Map<number, Uint8Array>> {
  const browser = await chromium.launch({ executablePath: browserPath(), args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const url = (text: string) => `data:image/svg+xml;base64,${Buffer.from(text).toString('base64')}`;
    const pngs = new Map<number, Uint8Array>();
    for (const size of PNG_SIZES) {
      const src = url(size <= SMALL_MAX ? small : svg);
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(
        `<html><body style="margin:0;background:transparent">` +
          `<img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`,
      );
      await page.locator('img').evaluate((img: { decode(): Promise<void> }) => img.decode());
      const png = await page.screenshot({
        omitBackground: true,
        clip: { x: 0, y: 0, width: size, height: size },
      });
      pngs.set(size, new Uint8Array(png));
    }
    return pngs;
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const svg = readFileSync(new URL('icon.svg', RESOURCES), 'utf8');
  const small = readFileSync(new URL('icon-small.svg', RESOURCES), 'utf8');
  const pngs = await render(svg, small);
  mkdirSync(new URL('icons/', RESOURCES), { recursive: true });
  for (const [size, png] of pngs) writeFileSync(new URL(`icons/${size}x${size}.png`, RESOURCES), png);
  writeFileSync(new URL('icon.png', RESOURCES), pngs.get(1024)!);
  writeFileSync(new URL('icon.ico', RESOURCES), icoFile(pngs, ICO_SIZES));
  writeFileSync(new URL('icon.icns', RESOURCES), icnsFile(pngs));
  console.log(`Wrote resources/icon.png, icon.ico, icon.icns and icons/ (${PNG_SIZES.join(', ')} px).`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
