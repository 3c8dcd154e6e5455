#!/usr/bin/env node
// Entry of the `corespace` command: runs the TypeScript CLI through tsx's loader, so the
// headless runner executes the same sources as the tests and the browser worker.
import { addressSpaceProblem } from '../cli/address-space.mjs';

const tooSmall = addressSpaceProblem();
if (tooSmall) {
  process.stderr.write(`${tooSmall}\n`);
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
