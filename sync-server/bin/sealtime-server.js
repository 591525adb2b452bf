#!/usr/bin/env node
// Runs the TypeScript CLI directly: tsx compiles it on the fly (no build step).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
await runCli(process.argv);
