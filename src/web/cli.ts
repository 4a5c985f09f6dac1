/** `npm run web`: serve the app on 127.0.0.1 for a browser, until interrupted. */
import { parseArgs } from 'node:util';
import { startWebHarness } from './server';

const { values } = parseArgs({
  options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, 'out-dir': { type: 'string' } },
});
const harness = await startWebHarness({
  port: values.port ? Number(values.port) : 0,
  ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  ...(values['out-dir'] ? { outDir: values['out-dir'] } : {}),
});
process.stdout.write(
  `Broadcast Importer is running at:\n\n  ${harness.url}\n\nSaved files go to ${harness.outDir}\nPress Ctrl+C to stop.\n`,
);
const stop = () => void harness.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
