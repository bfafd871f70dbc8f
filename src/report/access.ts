// `kmsgate access`: per key, who can do which action classes and under which conditions, read from
// the same facts the policies judge. Plain rows for --json, a compact matrix for people.

import { createColors } from 'picocolors';
import type { Subject } from '../facts';
import type { KeyPolicyFacts } from '../iam';
import { isUnknown, type Unknown } from '../model';
import { redactDeep } from '../redact';

const KEY_TYPES = new Set(['aws_kms_key', 'aws_kms_replica_key', 'aws_kms_external_key', 'aws_kms_replica_external_key']);
const CLASSES = ['administrative', 'cryptographic', 'grant', 'read'] as const;
/** Widths of the admin, crypto, grant and read columns, headers included. */
const COLUMN_WIDTHS = [6, 7, 6, 5];

export interface AccessPrincipal {
  principal: string;
  type: string;
  /** An account principal: its identities get these only where their IAM policies allow too. */
  throughDelegation: boolean;
  actionClasses: readonly string[];
  actions: readonly string[];
  conditions: string;
  restrictingKeys: readonly string[];
}

export type AccessRow =
  | { address: string; file: string; known: false; reason: string }
  | {
      address: string;
      file: string;
      known: true;
      policy: 'default' | 'own' | 'aws_kms_key_policy';
      policyHolder: string;
      keyAccount: string | null;
      public: boolean;
      crossAccount: readonly { account: string; actionClasses: readonly string[] }[];
      iamDelegation: boolean;
      principals: readonly AccessPrincipal[];
    };

function describeUnknown(unknown: Unknown): string {
  if (unknown.waitsOn.length === 0 && unknown.reason) return unknown.reason;
  const owner = unknown.resource ? ` of ${unknown.resource}` : '';
  const waits = unknown.waitsOn.length > 0 ? ` (waits on ${unknown.waitsOn.join(', ')})` : '';
  return `\`${unknown.attribute}\`${owner} is known only after apply${waits}${unknown.reason ? `: ${unknown.reason}` : ''}`;
}

export function accessRows(subjects: readonly Subject[], sensitive: ReadonlySet<string> = new Set()): AccessRow[] {
  const rows: AccessRow[] = [];
  for (const subject of subjects) {
    if (!KEY_TYPES.has(subject.type) || subject.view.deposed !== null || subject.action === 'delete' || subject.action === 'forget') continue;
    const facts = subject.view.facts;
    const policy = facts['keyPolicy'];
    const base = { address: subject.address, file: subject.file };
    if (isUnknown(policy) || policy === undefined) {
      const reason = isUnknown(policy) ? describeUnknown(policy) : 'no key policy facts';
      rows.push({ ...base, known: false, reason: redactDeep(reason, sensitive) });
      continue;
    }
    const key = policy as KeyPolicyFacts;
    const holder = String(facts['policyHolder'] ?? subject.address);
    rows.push({
      ...base,
      known: true,
      policy: facts['defaultPolicy'] === true ? 'default' : holder === subject.address ? 'own' : 'aws_kms_key_policy',
      policyHolder: holder,
      // What follows is read from the key policy, which the plan may mark sensitive as a whole.
      ...redactDeep(
        {
          keyAccount: typeof facts['keyAccount'] === 'string' ? facts['keyAccount'] : null,
          public: key.public.public,
          crossAccount: key.crossAccount.map((c) => ({ account: c.account, actionClasses: c.actionClasses })),
          iamDelegation: key.iamDelegation.delegatesToAnyIdentity,
          principals: key.principals.map((p) => ({
            principal: p.id,
            type: p.type,
            throughDelegation: p.throughDelegation,
            actionClasses: p.actionClasses,
            actions: p.actions,
            conditions: p.conditions,
            restrictingKeys: p.restrictingKeys,
          })),
        },
        sensitive,
      ),
    });
  }
  return rows;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Rows by file, then address: the same plans give the same matrix in whatever order they were named. */
export function sortAccessRows(rows: readonly AccessRow[]): AccessRow[] {
  return [...rows].sort((a, b) => compareText(a.file, b.file) || compareText(a.address, b.address));
}

export function renderAccessText(rows: readonly AccessRow[], color: boolean): string {
  const c = createColors(color);
  const out: string[] = [];
  for (const row of sortAccessRows(rows)) {
    out.push(c.bold(`${row.address}`) + c.dim(`  (${row.file})`));
    if (!row.known) {
      out.push(`  ? ${row.reason}`, '');
      continue;
    }
    const source = row.policy === 'default' ? 'the default key policy' : row.policy === 'own' ? 'its own policy' : row.policyHolder;
    out.push(c.dim(`  policy: ${source}${row.keyAccount ? ` · account ${row.keyAccount}` : ''}`));
    const width = Math.max(9, ...row.principals.map((p) => p.principal.length + (p.throughDelegation ? 13 : 0)));
    out.push(`  ${'principal'.padEnd(width)}  admin  crypto  grant  read  conditions`);
    for (const p of row.principals) {
      const name = `${p.principal}${p.throughDelegation ? ' (through IAM)' : ''}`;
      const marks = CLASSES.map((k, i) => {
        const has = p.actionClasses.includes(k);
        const cell = (has ? '✓' : '·').padEnd(COLUMN_WIDTHS[i] ?? 5);
        return has ? c.yellow(cell) : c.dim(cell);
      });
      const conditions = p.conditions === 'none' ? 'none' : `${p.conditions}${p.restrictingKeys.length > 0 ? ` (${p.restrictingKeys.join(', ')})` : ''}`;
      out.push(`  ${name.padEnd(width)}  ${marks.join(' ')} ${conditions}`);
    }
    const cross = row.crossAccount.map((x) => `${x.account} (${x.actionClasses.join(', ')})`).join('; ') || 'none';
    out.push(
      `  public: ${row.public ? c.red('yes') : 'no'} · other accounts: ${cross} · IAM policies can grant use: ${row.iamDelegation ? c.yellow('yes') : 'no'}`,
      '',
    );
  }
  if (rows.length === 0) out.push('no KMS keys in the plan');
  return `${out.join('\n')}\n`;
}
