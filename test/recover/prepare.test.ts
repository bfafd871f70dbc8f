// The asynchronous preparation: hcl2json is loaded only when a policy is known only after apply, and
// asked only for the blocks such policies need; module folders come from the plan's module calls.

import { describe, expect, it } from 'vitest';
import { prepareSources, recover, sourceDirectories, type Hcl2Json } from '../../src/recover';
import { caseDir, loadModel, sourceFiles } from './support';

/** The real parser, recording which blocks it is asked to parse. */
async function recordingParser(parsed: string[]): Promise<Hcl2Json> {
  const real = (await import('@cdktf/hcl2json')) as unknown as Hcl2Json;
  return {
    parse: (file, text) => {
      parsed.push(`${file}: ${text.split('\n')[0]}`);
      return real.parse(file, text);
    },
    getExpressionAst: (file, text) => real.getExpressionAst(file, text),
  };
}

const refuse = (): Promise<Hcl2Json> => Promise.reject(new Error('hcl2json must not be loaded'));

describe('prepareSources', () => {
  it('does not load hcl2json when the plan knows every policy, and still locates blocks', async () => {
    const model = loadModel('data-document', 'known.plan.json');
    const prepared = await prepareSources(model, sourceFiles(model, caseDir('data-document')), { rootDir: caseDir('data-document'), parser: refuse });
    expect(prepared.stats).toEqual({ files: 2, blocks: 10, expressions: 0, parser: false });
    expect(recover(model, prepared).location('aws_kms_key.main')).toEqual({ path: 'testdata/recover/data-document/key.tf', line: 85 });
  });

  it('parses only the blocks the unknown policies need, following locals, variables and module calls', async () => {
    const model = loadModel('modules');
    const parsed: string[] = [];
    const prepared = await prepareSources(model, sourceFiles(model, caseDir('modules')), {
      rootDir: caseDir('modules'),
      parser: () => recordingParser(parsed),
    });
    expect(prepared.stats.parser).toBe(true);
    expect([...new Set(parsed)].sort()).toEqual([
      'testdata/recover/modules/main.tf: module "shared" {',
      'testdata/recover/modules/main.tf: module "tenant" {',
      'testdata/recover/modules/main.tf: resource "aws_kms_key" "team" {',
      'testdata/recover/modules/modules/tenant-key/main.tf: data "aws_iam_policy_document" "key" {',
      'testdata/recover/modules/modules/tenant-key/main.tf: resource "aws_kms_key" "operations" {',
      'testdata/recover/modules/modules/tenant-key/main.tf: resource "aws_kms_key" "this" {',
      'testdata/recover/modules/modules/tenant-key/variables.tf: variable "admin_role_arn" {',
      'testdata/recover/modules/modules/tenant-key/variables.tf: variable "name" {',
      'testdata/recover/modules/modules/tenant-key/variables.tf: variable "operator_role_arn" {',
      'testdata/recover/modules/modules/tenant-key/variables.tf: variable "user_role_arns" {',
    ]);
  });

  it('reports text it cannot read and keeps the rest', async () => {
    const model = loadModel('jsonencode');
    const files = sourceFiles(model, caseDir('jsonencode')).map((f) =>
      f.path.endsWith('key.tf') ? { ...f, text: `${f.text}\nresource "aws_kms_key" "broken" {\n  policy = <<EOT\nnever closed\n` } : f,
    );
    const prepared = await prepareSources(model, files, { rootDir: caseDir('jsonencode') });
    expect(prepared.problems).toEqual([{ path: 'testdata/recover/jsonencode/key.tf', line: 84, message: 'unterminated heredoc' }]);
    expect(recover(model, prepared).location('aws_iam_role_policy.app_decrypt')).toEqual({ path: 'testdata/recover/jsonencode/key.tf', line: 57 });
  });

  it('reads the accounts the providers pin', async () => {
    const model = loadModel('merge');
    const files = [{ path: 'x/main.tf', text: 'provider "aws" {\n  allowed_account_ids = ["444455556666"]\n  assume_role {\n    role_arn = "arn:aws:iam::444455556666:role/deploy"\n  }\n}\n' }];
    const prepared = await prepareSources(model, files, { rootDir: 'x', parser: refuse });
    expect(prepared.providerAccounts).toEqual(['444455556666']);
  });
});

describe('sourceDirectories', () => {
  it('puts local modules in folders relative to their caller and remote ones nowhere', () => {
    const dirs = sourceDirectories(loadModel('locations').configuration, caseDir('locations'));
    expect(dirs.map((d) => [d.path.join('.'), d.dir])).toEqual([
      ['', 'testdata/recover/locations'],
      ['counted', 'testdata/recover/locations/modules/nested'],
      ['local_key', 'testdata/recover/locations/modules/key'],
      ['local_key.nested', 'testdata/recover/locations/modules/nested'],
      ['local_key.remote_inner', null],
      ['remote_key', null],
    ]);
    expect(sourceDirectories(loadModel('locations').configuration, '.').map((d) => d.dir)[2]).toBe('modules/key');
  });
});
