// Bundles the CLI into build/: kmsgate.mjs with the command wiring, and chunks it imports when a
// command runs (src/cli/main.ts), so that start-up compiles only what the command needs. The
// built-in policy pack is loaded at build time and embedded as data. HCL parsing is left out of the
// bundle and imported lazily, only when source files are read.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { embedBuiltinPolicies } from './embed-builtin-policies.mjs';
import { nodeBundle } from './esbuild-node.mjs';

const CHUNKS = resolve('build/chunks');

const result = await build({
  // builtin-policies.mjs is an entry of its own so that a test can hold the embedded pack to the files.
  entryPoints: { kmsgate: 'src/cli/entry.ts', 'builtin-policies': 'src/cli/builtin-policies.ts' },
  outdir: 'build',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  ...nodeBundle,
  plugins: [embedBuiltinPolicies],
  legalComments: 'none',
  minify: true,
  write: false,
});

// Builds and runs of the program may overlap (a test suite running while the sources change), so a
// run must never meet a chunk half written, or an entry whose chunks are not there yet: each file is
// renamed into place, chunks before the entries that import them.
const isChunk = (path) => path.startsWith(CHUNKS + sep);
const outputs = [...result.outputFiles].sort((a, b) => Number(isChunk(b.path)) - Number(isChunk(a.path)));
mkdirSync(CHUNKS, { recursive: true });
for (const file of outputs) {
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}

// Chunks are named by their content, so earlier builds' chunks would pile up. One that is not this
// build's is removed once no run that started before it could still be about to import it.
const written = new Set(outputs.map((file) => file.path));
for (const name of readdirSync(CHUNKS)) {
  const path = join(CHUNKS, name);
  if (!written.has(path) && Date.now() - statSync(path).mtimeMs > 60_000) rmSync(path, { force: true });
}
