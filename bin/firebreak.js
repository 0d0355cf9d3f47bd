#!/usr/bin/env node
// Thin launcher: the built CLI lives in dist/ (npm install builds it).
import { run } from '../dist/src/cli/main.js';
import { processIo } from '../dist/src/cli/io.js';

const status = await run(process.argv.slice(2), processIo());
process.exitCode = status;
