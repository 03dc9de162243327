#!/usr/bin/env node
import module from 'node:module';

// Node 22.1 and later keep V8's compiled code of the CLI's files between runs (in the system's
// temporary folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off); the bundle loads after that
module.enableCompileCache?.();
await import('../dist/sla-audit.js');
