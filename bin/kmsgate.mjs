#!/usr/bin/env node
import { existsSync } from 'node:fs';

const bundle = new URL('../build/kmsgate.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('kmsgate: error: the program is not built; run `npm install` (or `npm run build`) in the kmsgate folder\n');
  process.exit(3);
}
await import(bundle.href);
