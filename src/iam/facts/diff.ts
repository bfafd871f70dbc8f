// Who gains and who loses access when a key policy changes: compared per principal and action.
import type { ActionClass } from '../catalog/classes';
import { classesOf } from './principals';
import type { KeyPolicyFacts, PrincipalFactType } from './types';

export interface AccessChange {
  principal: string;
  type: PrincipalFactType;
  actions: string[];
  actionClasses: ActionClass[];
}

export interface AccessDiff {
  changed: boolean;
  gained: AccessChange[];
  lost: AccessChange[];
  publicBefore: boolean;
  publicAfter: boolean;
}

type Side = Pick<KeyPolicyFacts, 'principals' | 'public'> | null;

function index(f: Side): Map<string, { type: PrincipalFactType; actions: Set<string> }> {
  const m = new Map<string, { type: PrincipalFactType; actions: Set<string> }>();
  for (const p of f?.principals ?? []) m.set(p.id, { type: p.type, actions: new Set(p.actions) });
  return m;
}

function changes(from: Side, to: Side): AccessChange[] {
  const a = index(from);
  const b = index(to);
  const out: AccessChange[] = [];
  for (const [id, entry] of b) {
    const before = a.get(id)?.actions ?? new Set<string>();
    const added = [...entry.actions].filter((x) => !before.has(x)).sort();
    if (added.length > 0) out.push({ principal: id, type: entry.type, actions: added, actionClasses: classesOf(added) });
  }
  return out.sort((x, y) => (x.principal < y.principal ? -1 : 1));
}

/** `before` null: the key policy is new; `after` null: it is removed. */
export function diffAccess(before: Side, after: Side): AccessDiff {
  const gained = changes(before, after);
  const lost = changes(after, before);
  const publicBefore = before?.public.public ?? false;
  const publicAfter = after?.public.public ?? false;
  return { changed: gained.length > 0 || lost.length > 0 || publicBefore !== publicAfter, gained, lost, publicBefore, publicAfter };
}
