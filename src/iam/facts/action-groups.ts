// Actions that every statement of a policy treats alike form one group, evaluated once.
import { KEY_ACTION_NAMES, expandActionPattern, kmsAction } from '../catalog/actions';
import type { Statement } from '../policy/types';

export interface ActionGroup {
  actions: string[];
  representative: string;
  crossAccount: boolean;
}

/** The key actions a statement's Action/NotAction covers, from the per-pattern expansion cache. */
export function coveredKeyActions(st: Statement): Set<string> {
  const hit = new Set<string>();
  for (const p of st.action.patterns) for (const a of expandActionPattern(p).kms) hit.add(a);
  return new Set(KEY_ACTION_NAMES.filter((a) => hit.has(a) !== st.action.negated));
}

/** Actions that every statement treats alike are evaluated once. */
export function groupActions(statements: readonly Statement[], covers: ReadonlyMap<Statement, Set<string>>): ActionGroup[] {
  const bySig = new Map<string, ActionGroup>();
  for (const a of KEY_ACTION_NAMES) {
    const info = kmsAction(a);
    let sig = info?.crossAccount ? 'x' : 'l';
    for (const st of statements) sig += covers.get(st)?.has(a) ? '1' : '0';
    const g = bySig.get(sig);
    if (g) g.actions.push(a);
    else bySig.set(sig, { actions: [a], representative: a, crossAccount: info?.crossAccount ?? false });
  }
  return [...bySig.values()];
}
