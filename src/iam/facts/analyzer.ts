// Key-policy questions answered by evaluation over the finite abstraction: representative callers
// ("subjects") × action groups × value classes of the condition keys involved.
import { KEY_ACTION_NAMES, kmsAction } from '../catalog/actions';
import { coverage, type ActionGroup } from './action-groups';
import { accountOfText, callerBase, namedAccounts, namedIdentities, singleRootAccount, uniqueCallers } from './callers';
import { isIamIdentity, type Caller, type SymbolTable } from '../evaluate/caller';
import { arnAccount, arnLike, isSymbolic, splitArn } from '../match/arn';
import { conditionsHold, type ContextLookup } from '../match/condition';
import { globMatch, hasWildcard, instantiate } from '../match/glob';
import { principalElementMatch, type PrincipalMatch } from '../match/principal';
import type { ConditionClause, PolicyDocument, Statement } from '../policy/types';
import { keyClasses, someContext, type Dimension, type KeyScope, type Tri, type ValueClass } from './search';

export interface FactsContext {
  keyArn?: string | null;
  keyAccount?: string | null;
  keyUsage?: string | null;
  organizationId?: string | null;
  symbols?: SymbolTable;
}

export type SubjectScope = 'internal' | 'outsider' | 'named';

export interface Subject {
  caller: Caller;
  scope: SubjectScope;
  base: Map<string, readonly string[]>;
  /** Cross-account from the key's point of view. */
  crossAccount: boolean;
}

const SOURCE_KEYS = new Set(['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceowner', 'aws:sourceorgid', 'aws:sourceorgpaths']);
const NETWORK_KEYS = new Set(['aws:sourcevpce', 'aws:sourcevpc', 'aws:sourceip', 'aws:vpcsourceip', 'aws:sourcevpcarn', 'aws:vpceaccount', 'aws:vpceorgid', 'aws:vpceorgpaths']);
const ORG_KEYS = new Set(['aws:principalorgid', 'aws:principalorgpaths']);
const IAM_ONLY_KEYS = new Set(['aws:principalarn', 'aws:principalaccount', 'kms:calleraccount', 'aws:principaltype', 'aws:userid', 'aws:username']);

interface Reach {
  allows: Statement[];
  denies: Statement[];
  unconditionalDeny: boolean;
}

interface SubjectState {
  principal: (PrincipalMatch | undefined)[];
  /** can() answers by action × (via statement + 1): 0 unknown, else an index into TRI. */
  memo: Int8Array;
  reach: (Reach | undefined)[];
  dims: Map<string, Dimension[]>;
}

const TRI: Readonly<Record<number, Tri>> = { 1: 'no', 2: 'yes', 3: 'undecidable' };
const TRI_CODE: Readonly<Record<Tri, number>> = { no: 1, yes: 2, undecidable: 3 };
const ACTION_INDEX = new Map(KEY_ACTION_NAMES.map((a, i) => [a, i]));

export class KeyPolicyAnalyzer {
  readonly keyAccount: string;
  readonly keyAccountKnown: boolean;
  readonly keyArn: string | null;
  readonly org: string | null;
  readonly keyUsage: string | null;
  readonly freshAccount: string;
  readonly symbols: SymbolTable;
  readonly statements: readonly Statement[];
  private readonly resourceOk = new Map<Statement, boolean>();
  /** The key actions a statement covers when its Resource covers this key, else null. */
  private readonly applies = new Map<Statement, ReadonlySet<string> | null>();
  readonly groups: readonly ActionGroup[];
  undecidable = false;
  /**
   * Which of an account's named identities (tried in sorted order) is the first to get an action
   * decided an answer: another one would have got it too. Facts computed for a shape (shape.ts) carry
   * over only to documents whose named identities sort the same way.
   */
  namedOrderMatters = false;
  /** A mistake names the first of several endpoints in sorted order (same consequence). */
  endpointOrderMatters = false;
  /** Checking `namedOrderMatters` met an undecidable question: its memo could hide that from later questions. */
  orderProbeUndecidable = false;
  /** Callers whose place among an account's callers comes from sorting the identities the policy names. */
  private readonly sortedNamed = new Set<Subject>();
  private readonly clausesByKey = new Map<string, ConditionClause[]>();
  private readonly subjectCache = new Map<string, Subject[]>();
  private readonly namedAccountSet: Set<string>;
  private readonly covers = new Map<Statement, ReadonlySet<string>>();
  private readonly classCache = new Map<string, ValueClass[]>();
  /** Statement positions and action positions: per-subject memos are flat arrays over them. */
  private readonly pos = new Map<Statement, number>();
  private readonly state = new Map<Subject, SubjectState>();
  private lastSubject: Subject | null = null;
  private lastState: SubjectState | null = null;

  constructor(
    readonly doc: PolicyDocument,
    ctx: FactsContext,
  ) {
    this.statements = doc.statements;
    this.symbols = ctx.symbols ?? {};
    this.keyArn = ctx.keyArn ?? null;
    const fromArn = this.keyArn ? arnAccount(this.keyArn) : null;
    const inferred = ctx.keyAccount ?? fromArn ?? singleRootAccount(doc);
    this.keyAccountKnown = inferred !== null;
    this.keyAccount = inferred ?? '000000000001';
    this.org = ctx.organizationId ?? null;
    this.keyUsage = ctx.keyUsage ?? null;
    this.namedAccountSet = namedAccounts(doc);
    this.freshAccount = ['999999999999', '999999999998', '888888888888', '999999999997'].find((a) => !this.namedAccountSet.has(a) && a !== this.keyAccount) ?? '999999999996';
    for (const st of doc.statements) this.resourceOk.set(st, this.resourceApplies(st));
    const covers = coverage(doc.statements);
    doc.statements.forEach((st, i) => {
      const c = covers.sets[i] ?? new Set<string>();
      this.covers.set(st, c);
      this.applies.set(st, this.resourceOk.get(st) ? c : null);
    });
    this.groups = covers.groups;
    for (const st of doc.statements) {
      for (const c of st.conditions) {
        const list = this.clausesByKey.get(c.keyLower) ?? [];
        list.push(c);
        this.clausesByKey.set(c.keyLower, list);
      }
    }
    doc.statements.forEach((st, i) => this.pos.set(st, i));
  }

  /**
   * Resource: "*" is this key. With the key ARN unknown, a specific pattern that could name a KMS key is
   * taken to apply to an Allow (more access, fail closed) and not to a Deny (less protection).
   */
  private resourceApplies(st: Statement): boolean {
    if (!st.resource) return false;
    const hit = st.resource.patterns.some((p) => {
      if (p === '*' || p === this.keyArn) return true;
      // A symbolic ARN (known after apply) may be this key: more access for an Allow, no protection from a Deny.
      if (isSymbolic(p)) return st.effect === 'Allow';
      if (this.keyArn) return arnLike(p, this.keyArn);
      const parts = splitArn(p);
      const couldNameKey = parts !== null && globMatch(parts[2] ?? '', 'kms') && globMatch(parts[5] ?? '', 'key/kmsgate-any-key-id');
      return st.effect === 'Allow' && couldNameKey;
    });
    return st.resource.negated ? !hit : hit;
  }

  /** The statement's Resource covers this key (always false without Resource). */
  coversKey(st: Statement): boolean {
    return this.resourceOk.get(st) ?? false;
  }

  subject(caller: Caller, scope?: SubjectScope): Subject {
    const k = this.keyAccount;
    const sc: SubjectScope = scope ?? (caller.account === k ? 'internal' : 'named');
    const region = this.keyArn ? (splitArn(this.keyArn)?.[3] ?? null) : null;
    const base = callerBase(caller, { account: this.keyAccountKnown ? k : null, organizationId: this.org, region });
    // With the key's account unknown only an outsider is known to be in another account.
    const other = this.keyAccountKnown ? caller.account !== null && caller.account !== k : sc === 'outsider';
    return { caller, scope: sc, base, crossAccount: isIamIdentity(caller) && other };
  }

  keyScope(keyLower: string, s: Subject): KeyScope {
    const service = s.caller.kind === 'service';
    if (SOURCE_KEYS.has(keyLower)) return service ? 'free' : 'absent';
    if (service && (IAM_ONLY_KEYS.has(keyLower) || ORG_KEYS.has(keyLower))) return 'absent';
    if (NETWORK_KEYS.has(keyLower)) return s.scope === 'outsider' ? 'outsider' : 'free';
    if (s.scope === 'outsider' && (ORG_KEYS.has(keyLower) || keyLower === 'aws:userid')) return 'outsider';
    if (keyLower === 'aws:username' && s.caller.kind !== 'user') return 'absent';
    return 'free';
  }

  dimensions(s: Subject, statements: readonly Statement[], fixed?: ReadonlyMap<string, ValueClass>): Dimension[] {
    const keys = new Set<string>();
    for (const st of statements) for (const c of st.conditions) keys.add(c.keyLower);
    const dims: Dimension[] = [];
    for (const key of [...keys].sort()) {
      if (s.base.has(key) || fixed?.has(key)) continue;
      const scope = this.keyScope(key, s);
      let classes = this.classCache.get(`${scope}|${key}`);
      if (!classes) {
        classes = keyClasses(key, this.clausesByKey.get(key) ?? [], scope);
        this.classCache.set(`${scope}|${key}`, classes);
      }
      if (classes.length > 1 || classes[0] !== undefined) dims.push({ key, classes });
    }
    return dims;
  }

  /** Principal, action and resource of a statement against a subject and action (no conditions). */
  reaches(st: Statement, s: Subject, action: string): PrincipalMatch {
    if (!(this.applies.get(st)?.has(action) ?? false)) return null;
    if (!st.principal) return 'direct';
    const state = this.stateOf(s);
    const i = this.pos.get(st) ?? -1;
    let hit = state.principal[i];
    if (hit === undefined) {
      hit = principalElementMatch(st.principal, s.caller);
      state.principal[i] = hit;
    }
    return hit;
  }

  private stateOf(s: Subject): SubjectState {
    // Questions come in runs about one subject.
    if (this.lastSubject === s && this.lastState) return this.lastState;
    let st = this.state.get(s);
    if (!st) {
      const n = this.statements.length;
      st = { principal: new Array<PrincipalMatch | undefined>(n), memo: new Int8Array(ACTION_INDEX.size * (n + 1)), reach: new Array<Reach | undefined>(ACTION_INDEX.size), dims: new Map() };
      this.state.set(s, st);
    }
    this.lastSubject = s;
    this.lastState = st;
    return st;
  }

  /** Can the subject perform the action through `via` (or any Allow), with no Deny of the key policy firing? */
  can(s: Subject, action: string, via: Statement | null, fixed?: ReadonlyMap<string, ValueClass>): Tri {
    if (via && !this.reachesIgnoringPrincipal(via, action)) return 'no';
    const ai = ACTION_INDEX.get(action);
    if (fixed || ai === undefined) return this.canUncached(s, action, via, fixed);
    const memo = this.stateOf(s).memo;
    const slot = ai * (this.statements.length + 1) + (via ? (this.pos.get(via) ?? -1) + 1 : 0);
    const hit = memo[slot] ?? 0;
    if (hit !== 0) return TRI[hit] ?? 'undecidable';
    const result = this.canUncached(s, action, via, fixed);
    memo[slot] = TRI_CODE[result];
    return result;
  }

  reachesIgnoringPrincipal(st: Statement, action: string): boolean {
    return this.applies.get(st)?.has(action) ?? false;
  }

  private canUncached(s: Subject, action: string, via: Statement | null, fixed?: ReadonlyMap<string, ValueClass>): Tri {
    const info = kmsAction(action);
    if (!info || info.iamOnly) return 'no';
    if (s.crossAccount && !info.crossAccount) return 'no';
    const rel = this.relevant(s, action);
    if (rel.unconditionalDeny) return 'no';
    const allows = via ? (rel.allows.includes(via) ? [via] : []) : rel.allows;
    if (allows.length === 0) return 'no';
    if (rel.denies.length === 0 && allows.some((st) => st.conditions.length === 0)) return 'yes';
    const denies = rel.denies;
    const v = this.doc.variablesEnabled;
    return this.search(s, via ? [via, ...denies] : [...allows, ...denies], fixed, (ctx) => allows.some((a) => conditionsHold(a.conditions, ctx, v)) && !denies.some((d) => conditionsHold(d.conditions, ctx, v)));
  }

  /** The Allow and Deny statements whose principal, action and resource reach the subject (conditions aside). */
  private relevant(s: Subject, action: string): Reach {
    const state = this.stateOf(s);
    const ai = ACTION_INDEX.get(action) ?? -1;
    let hit = state.reach[ai];
    if (!hit) {
      const allows: Statement[] = [];
      const denies: Statement[] = [];
      for (const st of this.statements) {
        if (this.reaches(st, s, action) === null) continue;
        (st.effect === 'Allow' ? allows : denies).push(st);
      }
      hit = { allows, denies, unconditionalDeny: denies.some((d) => d.conditions.length === 0) };
      if (ai >= 0) state.reach[ai] = hit;
    }
    return hit;
  }

  /** Does `deny` fire for the subject and action: never, in some contexts, or in all? */
  denyState(s: Subject, action: string, deny: Statement): 'never' | 'sometimes' | 'always' {
    if (this.reaches(deny, s, action) === null) return 'never';
    const holds = this.search(s, [deny], undefined, (ctx) => conditionsHold(deny.conditions, ctx, this.doc.variablesEnabled));
    if (holds === 'no') return 'never';
    const escapes = this.search(s, [deny], undefined, (ctx) => !conditionsHold(deny.conditions, ctx, this.doc.variablesEnabled));
    return escapes === 'no' ? 'always' : 'sometimes';
  }

  search(s: Subject, statements: readonly Statement[], fixed: ReadonlyMap<string, ValueClass> | undefined, test: (ctx: ContextLookup) => boolean): Tri {
    const base: ContextLookup = fixed && fixed.size > 0 ? overlayFixed(s.base, fixed) : s.base;
    let dims: Dimension[];
    if (fixed) dims = this.dimensions(s, statements, fixed);
    else {
      const memo = this.stateOf(s).dims;
      let key = '';
      for (const st of statements) key += `${this.pos.get(st) ?? -1},`;
      const hit = memo.get(key);
      if (hit) dims = hit;
      else {
        dims = this.dimensions(s, statements);
        memo.set(key, dims);
      }
    }
    if (dims.length === 0) return test(base) ? 'yes' : 'no';
    const result = someContext(base, dims, test);
    if (result === 'undecidable') this.undecidable = true;
    return result;
  }

  /** Callers an outsider can be: a fresh role, user and root user, plus roles shaped after wildcard aws:PrincipalArn patterns. */
  outsiders(): Subject[] {
    const hit = this.subjectCache.get('outsiders');
    if (hit) return hit;
    const made = this.makeOutsiders();
    this.subjectCache.set('outsiders', made);
    return made;
  }

  private makeOutsiders(): Subject[] {
    const f = this.freshAccount;
    const texts = [`arn:aws:iam::${f}:role/kmsgate-outsider`, `arn:aws:iam::${f}:user/kmsgate-outsider`, f];
    // An account pattern ("1111*") matches accounts that are not ours: an outsider can hold one.
    const accountFor = (pattern: string) => this.outsiderAccount(pattern) ?? f;
    for (const c of this.clausesByKey.get('aws:principalarn') ?? []) {
      for (const v of c.values) {
        const parts = splitArn(v);
        if (!parts || !hasWildcard(parts[4] ?? '')) continue;
        parts[4] = accountFor(parts[4] ?? '*');
        if (hasWildcard(parts[2] ?? '')) parts[2] = 'iam';
        texts.push(instantiate(parts.join(':'), 'kmsgatex'));
      }
    }
    for (const key of ['aws:principalaccount', 'kms:calleraccount']) {
      for (const c of this.clausesByKey.get(key) ?? []) {
        for (const v of c.values) {
          const account = c.comparison === 'like' && hasWildcard(v) ? this.outsiderAccount(v) : null;
          if (account) texts.push(`arn:aws:iam::${account}:role/kmsgate-outsider`);
        }
      }
    }
    return uniqueCallers(texts, this.symbols).map((c) => this.subject(c, 'outsider'));
  }

  /** A 12-digit account matching the pattern that is neither the key's account nor one the policy names. */
  private outsiderAccount(pattern: string): string | null {
    const fixed = pattern.replaceAll('*', '').length;
    if (fixed > 12) return null;
    let filled = false;
    const account = [...pattern]
      .map((ch) => {
        if (ch === '?') return '9';
        if (ch !== '*') return ch;
        if (filled) return '';
        filled = true;
        return '9'.repeat(12 - fixed);
      })
      .join('');
    return /^\d{12}$/.test(account) && account !== this.keyAccount && !this.namedAccountSet.has(account) ? account : null;
  }

  /** A fresh role, a fresh user and the root user of an account, plus the identities of that account the policy names. */
  accountSubjects(account: string): Subject[] {
    const hit = this.subjectCache.get(account);
    if (hit) return hit;
    const made = this.makeAccountSubjects(account);
    this.subjectCache.set(account, made);
    return made;
  }

  private makeAccountSubjects(account: string): Subject[] {
    const fresh = [`arn:aws:iam::${account}:role/kmsgate-fresh-role`, `arn:aws:iam::${account}:user/kmsgate-fresh-user`];
    const named = this.namedIdentities().filter((t) => accountOfText(t) === account);
    const subjects = uniqueCallers([...fresh, ...named, account], this.symbols).map((c) => this.subject(c));
    for (const s of subjects) if (named.includes(s.caller.text) && !fresh.includes(s.caller.text)) this.sortedNamed.add(s);
    return subjects;
  }

  /**
   * `s` was the first of `subjects` to get `action` through `via`. If it is a named identity, would
   * another named identity of the list, tried first in another sorted order, have got it too?
   */
  firstTaker(s: Subject, subjects: readonly Subject[], action: string, via: Statement, fixed?: ReadonlyMap<string, ValueClass>): void {
    if (this.namedOrderMatters || !this.sortedNamed.has(s)) return;
    const undecidable = this.undecidable;
    for (const t of subjects) {
      if (t === s || !this.sortedNamed.has(t)) continue;
      const r = this.can(t, action, via, fixed);
      if (r === 'undecidable') this.orderProbeUndecidable = true;
      if (r !== 'no') {
        this.namedOrderMatters = true;
        break;
      }
    }
    this.undecidable = undecidable;
  }

  /** IAM identities the policy names, in principals or in aws:PrincipalArn values. */
  namedIdentities(): string[] {
    return namedIdentities(this.statements);
  }
}

function overlayFixed(base: ReadonlyMap<string, readonly string[]>, fixed: ReadonlyMap<string, ValueClass>): ContextLookup {
  return { get: (k) => (fixed.has(k) ? (fixed.get(k) ?? undefined) : base.get(k)) };
}

