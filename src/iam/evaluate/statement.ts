// Does one statement apply to one request? Principal, action, resource, conditions.
import { actionMatches } from '../catalog/actions';
import { arnLike } from '../match/arn';
import { conditionsHold, substitute, type ContextLookup } from '../match/condition';
import { principalElementMatch, type PrincipalMatch } from '../match/principal';
import type { PolicyDocument, Statement } from '../policy/types';
import type { Caller } from './caller';

export interface Request {
  caller: Caller;
  /** Canonical action name, e.g. kms:Decrypt. */
  action: string;
  /** The resource ARN (the key ARN for key operations). */
  resource: string;
  ctx: ContextLookup;
}

export function actionCovered(st: Statement, action: string): boolean {
  let hit = false;
  for (const p of st.action.patterns) {
    if (actionMatches(p, action)) {
      hit = true;
      break;
    }
  }
  return st.action.negated ? !hit : hit;
}

/**
 * Resource match. In a key policy "*" means this key and the statement can only ever be about this key;
 * a statement without Resource has no effect (key-policy-overview).
 */
export function resourceCovered(st: Statement, doc: PolicyDocument, resource: string, ctx: ContextLookup): boolean {
  if (!st.resource) return false;
  let hit = false;
  for (const raw of st.resource.patterns) {
    const p = doc.variablesEnabled && raw.includes('${') ? substitute(raw, ctx) : raw;
    if (p !== null && arnLike(p, resource)) {
      hit = true;
      break;
    }
  }
  return st.resource.negated ? !hit : hit;
}

/** null: the statement does not apply; otherwise how its principal reached the caller ('direct' when it has no Principal). */
export function statementApplies(st: Statement, doc: PolicyDocument, req: Request): PrincipalMatch {
  const how: PrincipalMatch = st.principal ? principalElementMatch(st.principal, req.caller) : 'direct';
  if (how === null) return null;
  if (!actionCovered(st, req.action)) return null;
  if (!resourceCovered(st, doc, req.resource, req.ctx)) return null;
  if (!conditionsHold(st.conditions, req.ctx, doc.variablesEnabled)) return null;
  return how;
}
