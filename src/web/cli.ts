/** `npm run web`: serve the app on 127.0.0.1 for a browser, until interrupted. */
import { parseArgs } from 'node:util';
import { startWebHarness } from './server';

const { values } = parseArgs({
  options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, 'out-dir': { type: 'string' } },
});
const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a port number (1 to 65535), not "${values.port}".\n`);
  process.exit(2);
}
const harness = await startWebHarness({
  port,
  ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  ...(values['out-dir'] ? { outDir: values['out-dir'] } : {}),
});
process.stdout.write(
  `Broadcast Importer is running at:\n\n  ${harness.url}\n\n` +
    'Open that address in a browser on this computer. The token in it lets that tab (and only it) use\n' +
    'the app: do not share it. Reloading the tab keeps working; a new tab needs the address again.\n\n' +
    `Saved files go to ${harness.outDir}\nPress Ctrl+C to stop.\n`,
);
const stop = () => void harness.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
