// Bundles the CLI into one file (fast start-up: one module to load), with the built-in policy pack
// parsed at build time. HCL parsing is left out of the bundle and imported lazily, only when source
// files are read.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const banner = { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" };

/** Parses policies/*.yaml with the program's own YAML reader, so the bundle sees exactly what the source would. */
async function parsedPack() {
  const reader = resolve('build/policy-reader.mjs');
  await build({ entryPoints: ['src/policy/yaml.ts'], outfile: reader, bundle: true, format: 'esm', platform: 'node', banner, logLevel: 'warning' });
  const { parseYaml } = await import(pathToFileURL(reader).href);
  return readdirSync('policies')
    .filter((name) => /\.ya?ml$/.test(name) && !/\.test\.ya?ml$/.test(name))
    .sort()
    .map((name) => {
      const file = `policies/${name}`;
      const result = parseYaml(file, readFileSync(file, 'utf8'));
      if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
      return { file, text: '', builtIn: true, parsed: result.value };
    });
}

const embedPack = {
  name: 'embed-builtin-pack',
  setup(buildApi) {
    buildApi.onLoad({ filter: /src[\\/]cli[\\/]builtin-pack\.ts$/ }, async () => ({
      contents: `export function builtInPolicySources() { return ${JSON.stringify(await parsedPack())}; }`,
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: ['src/cli/entry.ts'],
  outfile: 'build/kmsgate.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['@cdktf/hcl2json'],
  plugins: [embedPack],
  banner,
  legalComments: 'none',
  minify: true,
  logLevel: 'warning',
});
