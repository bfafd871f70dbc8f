// esbuild options shared by every bundle that runs under Node (the CLI, the bench's probes, the fuzz
// worker): ESM for Node 20, with a `require` for the CommonJS dependencies esbuild inlines (an ESM
// bundle has none of its own), and the HCL parser left out: it loads a WASM file that sits beside its
// own code, and kmsgate imports it only when it reads source files.
export const requireBanner = { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" };

export const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['@cdktf/hcl2json'],
  banner: requireBanner,
  logLevel: 'warning',
};
