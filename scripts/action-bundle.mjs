// Bundles the GitHub Action into dist/ (committed: a JavaScript action runs from the repository as
// checked out, without `npm install`). `npm run build:action` writes it; check-dist.mjs builds it
// into a temporary folder and compares, so both produce the same bytes.
//
// ESM, because src/cli/files.ts finds the built-in policies/ from `import.meta.url` (dist/ sits
// next to policies/ in the action's checkout); the banner gives CommonJS dependencies of
// @actions/core 3 (itself ESM-only) the `require` they call. Nothing is external, so the bundle needs
// no node_modules; the target is node20 so the same file runs under the runner's node24 and the
// project's Node 20.
import { build } from 'esbuild';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const ACTION_ENTRY = 'src/action/entry.ts';
export const ACTION_BUNDLE = 'index.mjs';
export const ACTION_LICENSES = 'licenses.txt';

const HCL2JSON = join(ROOT, 'node_modules/@cdktf/hcl2json');

/**
 * hcl2json (the HCL parser used only when policies must be rebuilt from `.tf` source) loads its
 * WebAssembly from files next to its own code, so it is bundled on its own into `hcl2json/` with
 * those files, and the action imports it from there, lazily, like the CLI does from node_modules.
 */
const hcl2jsonBeside = {
  name: 'hcl2json-beside',
  setup(b) {
    b.onResolve({ filter: /^@cdktf\/hcl2json$/ }, () => ({ path: './hcl2json/lib/index.cjs', external: true }));
  },
};

async function bundleHcl2json(outdir) {
  const target = join(outdir, 'hcl2json');
  await build({
    absWorkingDir: ROOT,
    entryPoints: [join(HCL2JSON, 'lib/index.js')],
    outfile: join(target, 'lib/index.cjs'),
    bundle: true,
    // Go's wasm_exec polyfills `performance` for old Node versions only; Node 20 has it.
    external: ['performance'],
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    legalComments: 'none',
    logLevel: 'warning',
  });
  copyFileSync(join(HCL2JSON, 'main.wasm.gz'), join(target, 'main.wasm.gz'));
}

/** Builds dist/index.mjs, dist/hcl2json/ and dist/licenses.txt into `outdir`. */
export async function bundleAction(outdir) {
  await bundleHcl2json(outdir);
  const result = await build({
    absWorkingDir: ROOT,
    plugins: [hcl2jsonBeside],
    entryPoints: [ACTION_ENTRY],
    outfile: join(outdir, ACTION_BUNDLE),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  writeFileSync(join(outdir, ACTION_LICENSES), licenses([...Object.keys(result.metafile.inputs), 'node_modules/@cdktf/hcl2json/', 'node_modules/fs-extra/', 'node_modules/graceful-fs/', 'node_modules/jsonfile/', 'node_modules/universalify/']));
}

/** The bundle copies third-party code, so it ships their license texts. */
function licenses(inputs) {
  const packages = new Set();
  for (const input of inputs) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packages.add(match[1]);
  }
  const sections = [...packages].sort().map((name) => {
    const dir = join(ROOT, 'node_modules', name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = existsSync(dir) ? readdirSync(dir).sort().find((f) => /^(licen[sc]e|copying)(\.(md|txt))?$/i.test(f)) : undefined;
    const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `License: ${manifest.license ?? 'not stated'} (no license file in the package)`;
    return `${name}@${manifest.version} (${manifest.license ?? 'unknown'})\n\n${text}\n`;
  });
  return `Third-party code bundled in ${ACTION_BUNDLE}\n\n${sections.join('\n---\n\n')}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundleAction(join(ROOT, process.argv[2] ?? 'dist'));
}
