// `kmsgate simulate --policy FILE --principal ARN --action A [--context K=V]...`: the common case as a
// scenario. The caller's own IAM policies are taken to allow everything (the question is what the key
// policy lets through); the key's account comes from --key-arn, else the policy's account principal,
// else the caller's account.
import { UserError } from '../../errors';
import { parseJsonText } from '../policy/json';

export interface SimulateFlags {
  /** The key policy: JSON text or an already-parsed value. */
  policy: unknown;
  principal: string;
  action: string;
  /** `KEY=VALUE` pairs; a key given twice becomes a multivalued key. */
  context?: readonly string[];
  keyArn?: string;
  /** The file the policy came from, for error messages. */
  policyFile?: string;
}

function accountOfPolicy(policy: unknown): string | null {
  const text = JSON.stringify(policy);
  const m = /arn:aws[a-z-]*:iam::(\d{12}):root/.exec(text);
  return m?.[1] ?? null;
}

export function scenarioFromFlags(flags: SimulateFlags): Record<string, unknown> {
  const file = flags.policyFile ?? '--policy';
  let policy = flags.policy;
  if (typeof policy === 'string') {
    const parsed = parseJsonText(policy);
    if (!parsed.ok) throw new UserError(file, `line ${parsed.line}, column ${parsed.column}`, `not valid JSON: ${parsed.message}`);
    policy = parsed.value;
  }
  const context: Record<string, string | string[]> = {};
  for (const pair of flags.context ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UserError('--context', pair, 'expected KEY=VALUE, e.g. --context aws:SourceVpce=vpce-0abc');
    const k = pair.slice(0, eq);
    const v = pair.slice(eq + 1);
    const prev = context[k];
    context[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const callerAccount = /::(\d{12}):/.exec(flags.principal)?.[1] ?? (/^\d{12}$/.test(flags.principal) ? flags.principal : null);
  const account = flags.keyArn ? null : (accountOfPolicy(policy) ?? callerAccount);
  if (!flags.keyArn && !account) throw new UserError('--key-arn', '', 'cannot tell the key account from the policy or the principal; give --key-arn');
  return {
    key: flags.keyArn ? { arn: flags.keyArn } : { account },
    keyPolicy: policy,
    identityPolicies: 'allow-all',
    request: { principal: flags.principal, action: flags.action, context },
  };
}
