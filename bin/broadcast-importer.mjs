#!/usr/bin/env node
// Runs the TypeScript command line straight from the source tree, so a fresh checkout works after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
