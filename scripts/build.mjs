// Bundles the CLI into build/: kmsgate.mjs with the command wiring, and chunks it imports when a
// command runs (src/cli/main.ts), so that start-up compiles only what the command needs. The
// built-in policy pack is loaded at build time and embedded as data. HCL parsing is left out of the
// bundle and imported lazily, only when source files are read.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { nodeBundle, requireBanner } from './esbuild-node.mjs';

const CHUNKS = resolve('build/chunks');

/**
 * Loads policies/*.yaml with the program's own loader, so the bundle holds exactly what loading the
 * folder gives, already validated and with its JSONPath selectors compiled. The reader it bundles for
 * that (build/policy-reader.mjs) also serves bench/profile.mjs, which parses the pack with parseYaml.
 */
async function loadedPack() {
  const reader = resolve('build/policy-reader.mjs');
  await build({
    stdin: {
      contents: "export { parseYaml } from './src/policy/yaml.ts'; export { loadPolicies } from './src/policy/load.ts';",
      resolveDir: resolve('.'),
      loader: 'ts',
    },
    outfile: reader,
    bundle: true,
    format: 'esm',
    platform: 'node',
    banner: requireBanner,
    logLevel: 'warning',
  });
  const { loadPolicies } = await import(pathToFileURL(reader).href);
  const sources = readdirSync('policies')
    .filter((name) => /\.ya?ml$/.test(name) && !/\.test\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({ file: `policies/${name}`, text: readFileSync(`policies/${name}`, 'utf8'), builtIn: true }));
  const { policies, errors } = loadPolicies(sources);
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
  return policies;
}

// JSON.parse of a string is faster for V8 than compiling the same data as an object literal.
const embedPack = {
  name: 'embed-builtin-policies',
  setup(buildApi) {
    buildApi.onLoad({ filter: /src[\\/]cli[\\/]builtin-policies\.ts$/ }, async () => ({
      contents: `export function builtInPolicies() { return JSON.parse(${JSON.stringify(JSON.stringify(await loadedPack()))}); }`,
      loader: 'js',
    }));
  },
};

const result = await build({
  // builtin-policies.mjs is an entry of its own so that a test can hold the embedded pack to the files.
  entryPoints: { kmsgate: 'src/cli/entry.ts', 'builtin-policies': 'src/cli/builtin-policies.ts' },
  outdir: 'build',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  ...nodeBundle,
  plugins: [embedPack],
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
