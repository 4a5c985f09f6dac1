/**
 * Runs once before the end-to-end tests: finds the browser they drive, or stops the run with one
 * message saying what to install (rather than every test failing with a stack trace).
 */
import { BrowserNotFound, findBrowser, thisSystem } from '../../scripts/find-browser';

export default function setup(): void {
  try {
    const found = findBrowser(thisSystem());
    console.log(`End-to-end tests drive ${found.path} (found by ${found.source}).`);
  } catch (e) {
    if (!(e instanceof BrowserNotFound)) throw e;
    process.stderr.write(`\n${e.message}\n\n`);
    process.exit(1);
  }
}
