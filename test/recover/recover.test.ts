// Every fixture case was planned twice by Terraform 1.11.4 with the AWS provider 5.100.0: once with
// nothing created (policies known only after apply: plan.json) and once with the resources they name
// already in the state (known.plan.json). A rebuilt document, with its symbolic values replaced by
// the values the second plan knows, must be exactly the text Terraform shows there.

import { beforeAll, describe, expect, it } from 'vitest';
import { isUnknown, Unknown, type Model } from '../../src/model';
import type { RecoveredDocument } from '../../src/recover';
import { knownText, loadModel, recoverCase, resortPrincipals, substitute, valueAt, type CaseRecovery } from './support';

type Mode = 'planOnly' | 'withSource';

interface Expected {
  address: string;
  attribute: string;
  /** Built by aws_iam_policy_document, whose principal lists the provider sorts. */
  providerSorted?: boolean;
  /** Which recoveries rebuild it; the others must answer Unknown. */
  rebuilds: readonly Mode[];
}

const BOTH: readonly Mode[] = ['planOnly', 'withSource'];
const SOURCE: readonly Mode[] = ['withSource'];

const CASES: Readonly<Record<string, readonly Expected[]>> = {
  'data-document': [
    { address: 'data.aws_iam_policy_document.key', attribute: 'json', providerSorted: true, rebuilds: BOTH },
    { address: 'aws_kms_key.main', attribute: 'policy', providerSorted: true, rebuilds: BOTH },
    { address: 'aws_kms_key.minified', attribute: 'policy', providerSorted: true, rebuilds: BOTH },
  ],
  jsonencode: [
    { address: 'aws_kms_key.main', attribute: 'policy', rebuilds: SOURCE },
    { address: 'aws_iam_role_policy.app_decrypt', attribute: 'policy', rebuilds: SOURCE },
    { address: 'aws_iam_role.reader', attribute: 'inline_policy[0].policy', rebuilds: SOURCE },
  ],
  heredoc: [
    { address: 'aws_kms_key.heredoc', attribute: 'policy', rebuilds: SOURCE },
    { address: 'aws_kms_key.indented', attribute: 'policy', rebuilds: SOURCE },
    { address: 'aws_iam_role_policy.app_decrypt', attribute: 'policy', rebuilds: SOURCE },
  ],
  modules: [
    ...['module.tenant["payments.eu"]', 'module.tenant["ledger"]', 'module.shared[0]', 'module.shared[1]'].flatMap((m) => [
      { address: `${m}.data.aws_iam_policy_document.key`, attribute: 'json', providerSorted: true, rebuilds: BOTH },
      { address: `${m}.aws_kms_key.this`, attribute: 'policy', providerSorted: true, rebuilds: BOTH },
      { address: `${m}.aws_kms_key.operations`, attribute: 'policy', rebuilds: SOURCE },
    ]),
    { address: 'aws_kms_key.team["blue"]', attribute: 'policy', rebuilds: SOURCE },
    { address: 'aws_kms_key.team["green"]', attribute: 'policy', rebuilds: SOURCE },
  ],
  merge: [
    { address: 'data.aws_iam_policy_document.key', attribute: 'json', providerSorted: true, rebuilds: BOTH },
    { address: 'aws_kms_key.main', attribute: 'policy', providerSorted: true, rebuilds: BOTH },
    { address: 'data.aws_iam_policy_document.inline_override', attribute: 'json', providerSorted: true, rebuilds: SOURCE },
    { address: 'aws_kms_key.inline_override', attribute: 'policy', providerSorted: true, rebuilds: SOURCE },
  ],
  locals: [
    { address: 'aws_kms_key.locals', attribute: 'policy', rebuilds: SOURCE },
    { address: 'aws_kms_key.merged', attribute: 'policy', rebuilds: SOURCE },
  ],
  dynamic: [
    { address: 'data.aws_iam_policy_document.key', attribute: 'json', providerSorted: true, rebuilds: SOURCE },
    { address: 'aws_kms_key.dynamic', attribute: 'policy', providerSorted: true, rebuilds: SOURCE },
  ],
  'endpoint-scp': [
    { address: 'aws_vpc_endpoint.kms', attribute: 'policy', rebuilds: SOURCE },
    { address: 'aws_vpc_endpoint_policy.kms_fips', attribute: 'policy', rebuilds: SOURCE },
    { address: 'aws_organizations_policy.deny_key_deletion', attribute: 'content', rebuilds: SOURCE },
  ],
};

/** The rebuilt text with its symbols replaced by the known plan's values, written like `reference`. */
function asKnown(document: RecoveredDocument, known: Model, reference: string, providerSorted: boolean): string {
  let value = substitute(document.value, known);
  if (providerSorted) value = resortPrincipals(value);
  return reference.startsWith('{\n') ? JSON.stringify(value, null, 2) : JSON.stringify(value);
}

describe.each(Object.entries(CASES))('%s', (name, expected) => {
  let recovered: CaseRecovery;
  let known: Model;
  beforeAll(async () => {
    recovered = await recoverCase(name);
    known = loadModel(name, 'known.plan.json');
  });

  it('knows none of these policies at plan time', () => {
    for (const { address, attribute } of expected) {
      expect(isUnknown(valueAt(recovered.model, address, attribute)), address).toBe(true);
    }
  });

  describe.each(expected)('$address $attribute', ({ address, attribute, providerSorted = false, rebuilds }) => {
    it.each(BOTH)('%s', (mode) => {
      const document = recovered[mode].document(recovered.resource(address), attribute);
      if (!rebuilds.includes(mode)) {
        expect(document).toBeInstanceOf(Unknown);
        expect((document as Unknown).resource).toBe(address);
        expect((document as Unknown).attribute).toBe(attribute);
        return;
      }
      if (!document || document instanceof Unknown) throw new Error(`not rebuilt: ${document?.reason ?? 'undefined'} ${document?.waitsOn.join(', ')}`);
      const reference = knownText(known, address, attribute);
      // The fixtures hold no characters Go escapes differently from JSON.stringify.
      expect(JSON.stringify(JSON.parse(reference), null, reference.startsWith('{\n') ? 2 : undefined)).toBe(reference);
      expect(asKnown(document, known, reference, providerSorted)).toBe(reference);
      expect(document.origin).toBe(mode === 'withSource' ? 'source' : 'configuration');
      expect(Object.keys(document.symbols)).toEqual([...new Set(document.text.match(/\$\{tf:[^}]+\}/g) ?? [])].map((s) => JSON.parse(`"${s}"`).slice(5, -1)).sort());
    });
  });
});
