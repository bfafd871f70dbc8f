// Principals the key policy names and what each can do: evaluated per representative caller, with the
// statements that grant it, how they are conditioned, and Denies that apply only sometimes.
import { KEY_ACTION_NAMES, kmsAction } from '../catalog/actions';
import { ACTION_CLASSES, type ActionClass } from '../catalog/classes';
import { defaultUserActions } from '../catalog/usage';
import type { Statement } from '../policy/types';
import type { KeyPolicyAnalyzer, Subject } from './analyzer';
import type { Entity } from './entities';
import type { ValueClass } from './search';
import { statementStrength, weakest } from './strength';
import type { GrantPath, PrincipalFact } from './types';

export const sortStrings = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** `sortStrings` for key actions: the catalogue is already in that order, filtering is cheaper than sorting. */
export const sortActions = (xs: ReadonlySet<string>): string[] => KEY_ACTION_NAMES.filter((a) => xs.has(a));

export function classesOf(actions: Iterable<string>): ActionClass[] {
  const set = new Set<ActionClass>();
  for (const a of actions) {
    const c = kmsAction(a)?.class;
    if (c) set.add(c);
  }
  return ACTION_CLASSES.filter((c) => set.has(c));
}

function isWildcardGrant(st: Statement): boolean {
  return st.action.negated || st.action.patterns.some((p) => p === '*' || p.toLowerCase() === 'kms:*');
}

export interface Collected {
  actions: Set<string>;
  byStatement: Map<Statement, Set<string>>;
  subjectsThatGot: Set<Subject>;
  viaAccount: boolean;
  undecidable: boolean;
  /** Some action was found with certainty (not only through an undecidable question). */
  decided: boolean;
}

/** Which actions the subjects get through the given Allow statements (subjects in order, root user last). */
export function collect(a: KeyPolicyAnalyzer, subjects: readonly Subject[], statements: readonly Statement[], onlyCrossAccount: boolean, fixed?: ReadonlyMap<string, ValueClass>): Collected {
  const out: Collected = { actions: new Set(), byStatement: new Map(), subjectsThatGot: new Set(), viaAccount: false, undecidable: false, decided: false };
  for (const g of a.groups) {
    if (onlyCrossAccount && !g.crossAccount) continue;
    for (const st of statements) {
      if (!a.reachesIgnoringPrincipal(st, g.representative)) continue;
      for (const s of subjects) {
        const r = a.can(s, g.representative, st, fixed);
        if (r === 'no') continue;
        if (r === 'undecidable') out.undecidable = true;
        else out.decided = true;
        for (const x of g.actions) out.actions.add(x);
        const set = out.byStatement.get(st) ?? new Set<string>();
        for (const x of g.actions) set.add(x);
        out.byStatement.set(st, set);
        out.subjectsThatGot.add(s);
        if (a.reaches(st, s, g.representative) === 'account') out.viaAccount = true;
        a.firstTaker(s, subjects, g.representative, st, fixed);
        break;
      }
    }
  }
  return out;
}

export function grantPaths(c: Collected): GrantPath[] {
  return [...c.byStatement.entries()]
    .map(([st, acts]) => {
      const strength = statementStrength(st);
      return { statement: st.ref, actions: sortActions(acts), conditions: strength.strength, restrictingKeys: strength.restrictingKeys, viaWildcard: isWildcardGrant(st) };
    })
    .sort((x, y) => (x.statement < y.statement ? -1 : x.statement > y.statement ? 1 : 0));
}

export function principalFact(a: KeyPolicyAnalyzer, e: Entity): PrincipalFact | null {
  const c = collect(a, e.subjects, e.naming, false);
  if (c.actions.size === 0) return null;
  const grants = grantPaths(c);
  const conditionalDenies: PrincipalFact['conditionalDenies'] = [];
  const probe = [...c.subjectsThatGot][0];
  if (probe) {
    for (const d of a.statements) {
      if (d.effect !== 'Deny') continue;
      const hit = new Set<string>();
      for (const g of a.groups) {
        if (!g.actions.some((x) => c.actions.has(x))) continue;
        if (a.denyState(probe, g.representative, d) === 'sometimes') for (const x of g.actions) if (c.actions.has(x)) hit.add(x);
      }
      if (hit.size > 0) conditionalDenies.push({ statement: d.ref, actions: sortActions(hit) });
    }
  }
  const userActions = new Set(defaultUserActions(a.keyUsage));
  let type = e.type;
  if (type === 'account' && [...c.subjectsThatGot].every((s) => s.caller.kind === 'root')) type = 'root-user';
  return {
    id: e.id,
    type,
    account: e.account,
    isKeyAccountRoot: (type === 'account' || type === 'root-user') && a.keyAccountKnown && e.account === a.keyAccount,
    sameAccount: a.keyAccountKnown && e.account === a.keyAccount,
    throughDelegation: e.throughDelegation && type === 'account',
    actions: sortActions(c.actions),
    actionClasses: classesOf(c.actions),
    beyondUserActions: [...c.actions].filter((x) => !userActions.has(x)).sort(),
    viaWildcard: grants.some((g) => g.viaWildcard),
    conditions: weakest(grants.map((g) => g.conditions)),
    restrictingKeys: sortStrings(grants.flatMap((g) => g.restrictingKeys)),
    statements: sortStrings(grants.map((g) => g.statement)),
    grants,
    conditionalDenies,
    undecidable: c.undecidable,
  };
}

export function allows(a: KeyPolicyAnalyzer): Statement[] {
  return a.statements.filter((st) => st.effect === 'Allow');
}

