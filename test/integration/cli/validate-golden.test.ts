/**
 * `validate --json` for the example files, byte for byte: the output is a contract for scripts, so a
 * change to the validator's internals (speed, streaming) must not change a single byte of it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli';

describe('validate --json on the example files', () => {
  for (const name of ['projects.csv', 'projects.xlsx']) {
    it(`prints exactly the recorded output for examples/${name}`, async () => {
      const golden = readFileSync(join(ROOT, 'test/integration/cli/validate-golden', `${name}.json`), 'utf8');
      const r = await runCli(['validate', join('examples', name), '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      expect(r.stdout).toBe(golden);
    });
  }
});
