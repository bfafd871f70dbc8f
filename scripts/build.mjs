// Bundles the CLI into one file (fast start-up: one module to load). HCL parsing is left out of the
// bundle and imported lazily, only when source files are read.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/entry.ts'],
  outfile: 'build/kmsgate.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['@cdktf/hcl2json'],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  legalComments: 'none',
  minify: true,
  logLevel: 'warning',
});

// The GitHub Action bundle (committed in dist/; scripts/check-dist.mjs verifies it is current).
const { bundleAction } = await import('./action-bundle.mjs');
await bundleAction('dist');
