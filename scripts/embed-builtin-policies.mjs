// The esbuild plugin that embeds the built-in policy pack, already loaded, in a bundle of the CLI: it
// replaces src/cli/builtin-policies.ts. Used by scripts/build.mjs for the shipped bundle and by
// bench/profile.mjs for its unminified copy, so both start up the same way.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { requireBanner } from './esbuild-node.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Loads policies/*.yaml with the program's own loader, so the bundle holds exactly what loading the
 * folder gives, already validated and with its JSONPath selectors compiled.
 */
async function loadedPack() {
  const reader = join(ROOT, 'build', 'policy-reader.mjs');
  await build({
    stdin: { contents: "export { loadPolicies } from './src/policy/load.ts';", resolveDir: ROOT, loader: 'ts' },
    outfile: reader,
    bundle: true,
    format: 'esm',
    platform: 'node',
    banner: requireBanner,
    logLevel: 'warning',
  });
  const { loadPolicies } = await import(pathToFileURL(reader).href);
  const sources = readdirSync(join(ROOT, 'policies'))
    .filter((name) => /\.ya?ml$/.test(name) && !/\.test\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({ file: `policies/${name}`, text: readFileSync(join(ROOT, 'policies', name), 'utf8'), builtIn: true }));
  const { policies, errors } = loadPolicies(sources);
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
  return policies;
}

// JSON.parse of a string is faster for V8 than compiling the same data as an object literal.
export const embedBuiltinPolicies = {
  name: 'embed-builtin-policies',
  setup(buildApi) {
    buildApi.onLoad({ filter: /src[\\/]cli[\\/]builtin-policies\.ts$/ }, async () => ({
      contents: `export function builtInPolicies() { return JSON.parse(${JSON.stringify(JSON.stringify(await loadedPack()))}); }`,
      loader: 'js',
    }));
  },
};
