/**
 * The app icon: resources/ holds it at every size the window and the installers ask for, as real
 * PNG images (also inside the .ico and .icns), and electron-builder.yml and the window point at it.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, inflateSync } from 'node:zlib';
import { electronMock, recorded } from './electron-mock';

vi.mock('electron', () => electronMock());

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const at = (...parts: string[]) => resolve(ROOT, ...parts);
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

/** Checks a PNG from signature to IEND (every chunk's CRC, the image data's size) and returns its size. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let p = 8;
  let header: { width: number; height: number; depth: number; colour: number } | null = null;
  const data: Buffer[] = [];
  let ended = false;
  while (p < png.length) {
    const length = png.readUInt32BE(p);
    const type = png.toString('latin1', p + 4, p + 8);
    const body = png.subarray(p + 8, p + 8 + length);
    expect(png.readUInt32BE(p + 8 + length)).toBe(crc32(png.subarray(p + 4, p + 8 + length)));
    if (type === 'IHDR') {
      header = {
        width: body.readUInt32BE(0),
        height: body.readUInt32BE(4),
        depth: body[8]!,
        colour: body[9]!,
      };
    } else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') ended = true;
    p += 12 + length;
  }
  expect(ended).toBe(true);
  expect(p).toBe(png.length);
  if (!header) throw new Error('no IHDR chunk');
  // 8-bit RGBA: one filter byte and four bytes a pixel on every line.
  expect([header.depth, header.colour]).toEqual([8, 6]);
  expect(inflateSync(Buffer.concat(data)).length).toBe(header.height * (1 + header.width * 4));
  return { width: header.width, height: header.height };
}

describe('the app icon', () => {
  it('is drawn in SVG and rendered as a PNG at every size from 16 to 1024 pixels', () => {
    for (const svg of ['icon.svg', 'icon-small.svg']) {
      const text = readFileSync(at('resources', svg), 'utf8');
      expect(text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 1024 1024"/);
    }
    expect(pngSize(readFileSync(at('resources/icon.png')))).toEqual({ width: 1024, height: 1024 });
    for (const size of SIZES) {
      expect(pngSize(readFileSync(at(`resources/icons/${size}x${size}.png`)))).toEqual({
        width: size,
        height: size,
      });
    }
  });

  it('has a Windows .ico holding PNGs from 16 to 256 pixels', () => {
    const ico = readFileSync(at('resources/icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const entry = 6 + 16 * i;
      const stated = ico[entry] || 256;
      const length = ico.readUInt32LE(entry + 8);
      const offset = ico.readUInt32LE(entry + 12);
      expect(offset + length).toBeLessThanOrEqual(ico.length);
      expect(pngSize(ico.subarray(offset, offset + length))).toEqual({ width: stated, height: stated });
      sizes.push(stated);
    }
    expect(sizes).toEqual(expect.arrayContaining([16, 24, 32, 48, 64, 128, 256]));
  });

  it('has a macOS .icns holding PNGs up to 1024 pixels', () => {
    const icns = readFileSync(at('resources/icon.icns'));
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const PIXELS: Record<string, number> = {
      icp4: 16,
      icp5: 32,
      icp6: 64,
      ic07: 128,
      ic08: 256,
      ic09: 512,
      ic10: 1024,
      ic11: 32,
      ic12: 64,
      ic13: 256,
      ic14: 512,
    };
    const types: string[] = [];
    for (let p = 8; p < icns.length;) {
      const type = icns.toString('latin1', p, p + 4);
      const length = icns.readUInt32BE(p + 4);
      const size = PIXELS[type];
      if (size === undefined) throw new Error(`unexpected element ${type}`);
      expect(pngSize(icns.subarray(p + 8, p + length))).toEqual({ width: size, height: size });
      types.push(type);
      p += length;
    }
    expect(types).toEqual(expect.arrayContaining(['icp4', 'ic07', 'ic08', 'ic09', 'ic10']));
  });

  it('is what electron-builder.yml gives the installers and packs for the window', () => {
    const yml = readFileSync(at('electron-builder.yml'), 'utf8');
    expect(yml).toMatch(/^ {2}buildResources: resources$/m);
    expect(yml).toMatch(/^files:\n(?: {2}.*\n)*? {2}- resources\/icon\.png$/m);
    const icons = [...yml.matchAll(/^(\w+):\n(?: {2}.*\n)*? {2}icon: (\S+)$/gm)].map((m) => [m[1], m[2]]);
    expect(Object.fromEntries(icons)).toEqual({
      linux: 'resources/icons',
      mac: 'resources/icon.icns',
      win: 'resources/icon.ico',
    });
    for (const [, path] of icons) expect(existsSync(at(path!))).toBe(true);
  });

  describe('in the window (Electron mocked)', () => {
    beforeAll(async () => {
      await import('../../../src/main/index');
      await new Promise((r) => setTimeout(r, 20));
    });

    it('is the icon the window opens with', () => {
      const icon = recorded.windows[0]?.options['icon'];
      expect(typeof icon).toBe('string');
      expect(resolve(String(icon))).toBe(at('resources/icon.png'));
    });
  });
});
