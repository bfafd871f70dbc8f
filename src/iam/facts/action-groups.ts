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
export function groupActions(statements: readonly Statement[], covers: ReadonlyMap<Statement, ReadonlySet<string>>): ActionGroup[] {
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

/** Coverage of one Action/NotAction element, shared by every statement (of any policy) that has the same element. */
interface ElementCoverage {
  id: number;
  set: ReadonlySet<string>;
}

const byElement = new Map<string, ElementCoverage>();
const groupsBySignature = new Map<string, readonly ActionGroup[]>();

function elementCoverage(st: Statement): ElementCoverage {
  const key = `${st.action.negated ? 'N' : 'A'}${JSON.stringify(st.action.patterns)}`;
  let hit = byElement.get(key);
  if (!hit) {
    if (byElement.size >= 10_000) {
      byElement.clear();
      groupsBySignature.clear();
    }
    hit = { id: byElement.size, set: coveredKeyActions(st) };
    byElement.set(key, hit);
  }
  return hit;
}

/**
 * The key actions each statement covers, and the action groups of the statements: policies built from
 * templates repeat the same Action elements, so both are computed once per combination.
 */
export function coverage(statements: readonly Statement[]): { sets: ReadonlySet<string>[]; groups: readonly ActionGroup[] } {
  const elements = statements.map(elementCoverage);
  const sets = elements.map((e) => e.set);
  const signature = elements.map((e) => e.id).join(',');
  let groups = groupsBySignature.get(signature);
  if (!groups) {
    const covers = new Map(statements.map((st, i) => [st, elements[i]?.set ?? new Set<string>()]));
    groups = groupActions(statements, covers);
    groupsBySignature.set(signature, groups);
  }
  return { sets, groups };
}
