#!/usr/bin/env node
// The CLI runs the compiled code: `npm run build` (or `npm start`) first.
import '../dist/src/cli/main.js';
