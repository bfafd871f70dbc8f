// keyPolicyFacts (facts per shape, src/iam/facts/shape.ts) against the direct analysis of the same
// document: equal as JSON (values and key order). The facts tests go through `checkedFacts`, so the
// whole facts table is checked, on each policy as written and on copies with its identifiers renamed
// (accounts, role and user names and paths, endpoint, VPC and organization ids), which reuse the shape
// the first one computed. The renaming here is written independently of shape.ts.
import { expect } from 'vitest';
import { keyPolicyFacts, parsePolicy, type FactsContext, type KeyPolicyFacts, type PolicyDocument } from '../../src/iam';
import { directKeyPolicyFacts } from '../../src/iam/facts/key-policy';
import { rng } from './workload';

type Json = Record<string, unknown>;

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const IAM_ARN = /^arn:aws:(?:iam|sts)::\d{12}:(?:role|user|assumed-role|federated-user)\/(.+)$/;
const NAME_CHARS = /[A-Za-z0-9+=,.@_-]/;
const SYLLABLES = ['ab', 'App', 'zq', 'Ops', 'ad', 'min', 'x', 'Key', 'data', 'O', 'root', 'a', 'B', 'payments', 'Z'];

/** The identifiers of a policy and its context: 12-digit accounts, IAM names and path parts, endpoint/VPC/org ids. */
function identifiers(strings: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const s of strings) {
    for (const m of s.matchAll(/\d{12}/g)) out.add(m[0]);
    for (const m of s.matchAll(/\b(?:vpce|vpc|o)-[a-z0-9]+/g)) out.add(m[0]);
    const arn = IAM_ARN.exec(s)?.[1];
    if (arn) for (const part of arn.split('/')) if (part !== '' && !part.includes('*') && !part.includes('?') && !part.includes('$')) out.add(part);
  }
  return out;
}

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
  return out;
}

function replaceAll(s: string, map: ReadonlyMap<string, string>): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    let done = false;
    if (i === 0 || !NAME_CHARS.test(s.charAt(i - 1))) {
      for (const [from, to] of map) {
        const end = i + from.length;
        if (s.startsWith(from, i) && (end === s.length || !NAME_CHARS.test(s.charAt(end)))) {
          out += to;
          i = end;
          done = true;
          break;
        }
      }
    }
    if (!done) out += s.charAt(i++);
  }
  return out;
}

function mapStrings(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, f)]));
  return v;
}

/** A consistent renaming of every identifier (longest first, whole words only) to random ones of the same kind. */
export function renamed(policy: Json, ctx: FactsContext, seed: number): { policy: Json; ctx: FactsContext } {
  const next = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const ids = [...identifiers([...strings(policy), ...strings(ctx)])].sort((a, b) => b.length - a.length);
  const used = new Set<string>();
  const map = new Map<string, string>();
  for (const id of ids) {
    let to = id;
    for (let tries = 0; tries < 20 && (to === id || used.has(to)); tries++) {
      if (/^\d{12}$/.test(id)) to = String(100_000_000_000 + Math.floor(next() * 899_999_999_999));
      else if (/^(vpce|vpc|o)-/.test(id)) to = `${id.slice(0, id.indexOf('-'))}-${Math.floor(next() * 2 ** 40).toString(16)}`;
      else to = Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(SYLLABLES)).join(pick(['', '-', '_']));
    }
    used.add(to);
    map.set(id, to);
  }
  const f = (s: string) => replaceAll(s, map);
  return { policy: mapStrings(policy, f) as Json, ctx: mapStrings(ctx, f) as FactsContext };
}

function document(policy: Json): PolicyDocument {
  const d = parsePolicy(policy, 'key').document;
  if (!d) throw new Error('unreadable policy');
  return d;
}

/** The facts through the shape cache, required equal to the direct analysis. */
export function expectSameFacts(doc: PolicyDocument, ctx: FactsContext): KeyPolicyFacts {
  const facts = keyPolicyFacts(doc, ctx);
  const direct = directKeyPolicyFacts(doc, ctx);
  expect(facts).toEqual(direct);
  expect(JSON.stringify(facts)).toBe(JSON.stringify(direct));
  return facts;
}

/** keyPolicyFacts of a policy, checked against the direct analysis, and so are `copies` renamed copies. */
export function checkedFacts(policy: Json, ctx: FactsContext, copies = 3): KeyPolicyFacts {
  const facts = expectSameFacts(document(policy), ctx);
  const seed = hash(JSON.stringify([policy, ctx]));
  for (let i = 0; i < copies; i++) {
    const r = renamed(policy, ctx, seed + i);
    expectSameFacts(document(r.policy), r.ctx);
  }
  return facts;
}
