/**
 * Small JSON documents in the app's data folder (settings, recent files, saved mappings), written
 * atomically (temp file + rename) so a crash mid-write never leaves a half file behind.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { z } from 'zod';

export class JsonStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** The document, or `fallback` when it is missing, unreadable or no longer fits its schema. */
  read<S extends z.ZodType>(name: string, schema: S, fallback: z.output<S>): z.output<S> {
    let text: string;
    try {
      text = readFileSync(this.path(name), 'utf8');
    } catch {
      return fallback;
    }
    try {
      const parsed = schema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : fallback;
    } catch {
      return fallback;
    }
  }

  write(name: string, value: unknown): void {
    this.writeBytes(name, new TextEncoder().encode(JSON.stringify(value, null, 2)));
  }

  writeBytes(name: string, bytes: Uint8Array): void {
    const target = this.path(name);
    mkdirSync(dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, bytes);
    renameSync(temp, target);
  }

  readBytes(name: string): Uint8Array | null {
    try {
      return new Uint8Array(readFileSync(this.path(name)));
    } catch {
      return null;
    }
  }
}
