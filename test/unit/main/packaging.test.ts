import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { FuseV1Options } from '@electron/fuses';

const require = createRequire(import.meta.url);
const fuses = require('../../../scripts/fuses.cjs') as {
  FUSES: Record<number | string, unknown>;
  binaryPath(c: unknown): string;
};

describe('packaging', () => {
  it('flips the fuses that keep the packaged app from running foreign code', () => {
    expect(fuses.FUSES[FuseV1Options.RunAsNode]).toBe(false);
    expect(fuses.FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(fuses.FUSES[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(fuses.FUSES[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(fuses.FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(fuses.FUSES[FuseV1Options.EnableCookieEncryption]).toBe(true);
    // The window is served from app://, so file: pages get no extra privileges.
    expect(fuses.FUSES[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
  });

  it('finds the binary of each platform', () => {
    const packager = {
      appInfo: { productFilename: 'Broadcast Importer' },
      executableName: 'broadcast-importer',
    };
    const at = (electronPlatformName: string) =>
      fuses.binaryPath({ appOutDir: '/o', electronPlatformName, packager });
    expect(at('darwin')).toBe('/o/Broadcast Importer.app');
    expect(at('win32')).toBe('/o/Broadcast Importer.exe');
    expect(at('linux')).toBe('/o/broadcast-importer');
  });

  it('builds AppImage, deb, dmg and nsis, runs the fuse hook and ships the examples', () => {
    const yml = readFileSync(new URL('../../../electron-builder.yml', import.meta.url), 'utf8');
    expect(yml).toMatch(/target: \[AppImage, deb\]/);
    expect(yml).toMatch(/target: dmg/);
    expect(yml).toMatch(/target: nsis/);
    expect(yml).toMatch(/afterPack: scripts\/fuses\.cjs/);
    expect(yml).toMatch(/from: examples/);
  });
});
