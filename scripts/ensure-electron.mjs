// Electron's binary is fetched by its own install script, which npm only runs for allowed packages.
// `npm start` fetches it on first use so `npm install && npm start` works on a fresh machine.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
if (!existsSync(join(electronDir, 'path.txt'))) {
  console.error('Fetching the Electron runtime (first start only)…');
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(
      'Could not fetch the Electron runtime. Check the network connection and try again, ' +
        'or use the browser version with `npm run web`.',
    );
    process.exit(1);
  }
}
