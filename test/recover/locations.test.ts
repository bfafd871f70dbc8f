// Source locations for every address of a real plan: root blocks (also in a CRLF file, one-line and
// with identifier labels), local modules (nested, with count), remote modules (the calling block).

import { beforeAll, describe, expect, it } from 'vitest';
import { recover, type Recovery } from '../../src/recover';
import { loadModel, prepare } from './support';

const ROOT = 'testdata/recover/locations';

describe('locations', () => {
  let recovery: Recovery;
  let addresses: string[];
  beforeAll(async () => {
    const model = loadModel('locations');
    addresses = model.resources.map((r) => r.address);
    recovery = recover(model, await prepare('locations', model));
  });

  it.each([
    ['aws_kms_key.root', 'main.tf', 39],
    ['aws_kms_key.one_line', 'main.tf', 46],
    ['aws_kms_key.bare_labels', 'main.tf', 48],
    ['data.aws_iam_policy_document.root', 'main.tf', 52],
    ['aws_kms_key.crlf', 'windows.tf', 1],
    ['aws_kms_alias.crlf', 'windows.tf', 7],
    ['module.local_key.aws_kms_key.this', 'modules/key/main.tf', 5],
    ['module.local_key.module.nested.aws_kms_key.this', 'modules/nested/main.tf', 5],
    ['module.local_key.module.nested.aws_kms_alias.this', 'modules/nested/main.tf', 9],
    ['module.counted[0].aws_kms_key.this', 'modules/nested/main.tf', 5],
    ['module.counted[1].aws_kms_alias.this', 'modules/nested/main.tf', 9],
    ['module.remote_key.aws_kms_key.this', 'main.tf', 64],
    ['module.remote_key.data.aws_iam_policy_document.this', 'main.tf', 64],
    ['module.local_key.module.remote_inner.aws_kms_key.this', 'modules/key/main.tf', 14],
  ])('%s is at %s:%i', (address, file, line) => {
    expect(recovery.location(address)).toEqual({ path: `${ROOT}/${file}`, line });
  });

  it('locates every address of the plan', () => {
    expect(addresses.filter((a) => recovery.location(a) === undefined)).toEqual([]);
  });

  it('locates module instances at their module block', () => {
    expect(recovery.location('module.counted[1]')).toEqual({ path: `${ROOT}/main.tf`, line: 69 });
    expect(recovery.location('module.local_key.module.nested')).toEqual({ path: `${ROOT}/modules/key/main.tf`, line: 9 });
  });

  it('has no location without source, or for addresses the source does not hold', () => {
    expect(recover(loadModel('locations')).location('aws_kms_key.root')).toBeUndefined();
    expect(recovery.location('aws_kms_key.not_declared')).toBeUndefined();
    expect(recovery.location('not an address')).toBeUndefined();
  });
});
