// Grants: a grantee may use the grant's operations without any policy; only an explicit Deny stops it.
// https://docs.aws.amazon.com/kms/latest/developerguide/grants.html
// https://docs.aws.amazon.com/kms/latest/developerguide/grant-authorization.html
import { kmsAction } from '../catalog/actions';
import type { ContextLookup } from '../match/condition';
import { principalValueMatches } from '../match/principal';
import { classifyPrincipal } from '../policy/principal';
import type { Caller } from './caller';

export interface Grant {
  name: string;
  granteePrincipal: string;
  /** Canonical KMS action names. */
  operations: readonly string[];
  encryptionContextEquals?: Readonly<Record<string, string>>;
  encryptionContextSubset?: Readonly<Record<string, string>>;
}

const EC_PREFIX = 'kms:encryptioncontext:';

function requestEncryptionContext(ctx: ContextLookup, keys: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const k of keys) {
    const v = ctx.get(EC_PREFIX + k.toLowerCase());
    if (v && v[0] !== undefined) out.set(k.toLowerCase(), v[0]);
  }
  return out;
}

export function grantApplies(g: Grant, caller: Caller, action: string, ctx: ContextLookup): boolean {
  if (!g.operations.some((o) => o.toLowerCase() === action.toLowerCase())) return false;
  if (!kmsAction(action)?.grantOperation) return false;
  const field = /\.amazonaws\.com(\.cn)?$/.test(g.granteePrincipal) ? 'Service' : 'AWS';
  const c = classifyPrincipal(g.granteePrincipal, field);
  if ('error' in c || !principalValueMatches(c.value, caller)) return false;
  const subset = g.encryptionContextSubset ?? g.encryptionContextEquals;
  if (subset) {
    const got = requestEncryptionContext(ctx, Object.keys(subset));
    for (const [k, v] of Object.entries(subset)) if (got.get(k.toLowerCase()) !== v) return false;
  }
  if (g.encryptionContextEquals) {
    const keys = ctx.get('kms:encryptioncontextkeys');
    if (keys && keys.length !== Object.keys(g.encryptionContextEquals).length) return false;
  }
  return true;
}
