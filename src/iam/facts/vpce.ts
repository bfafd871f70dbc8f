// "Deny unless the request comes through our VPC endpoint": does the key policy have one, what does it
// name, which cryptographic actions does it leave open, whom does it exempt, and the usual mistakes
// (ForAnyValue on a single-valued key lets requests without aws:SourceVpce through; StringEquals instead
// of StringNotEquals denies the endpoint itself).
// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-aws.html#conditions-aws-sourcevpce
// https://docs.aws.amazon.com/kms/latest/developerguide/kms-vpc-endpoint.html#vpce-policy-condition
import { KEY_ACTION_NAMES, kmsAction } from '../catalog/actions';
import { cryptographicActionsFor } from '../catalog/usage';
import { parseCaller } from '../evaluate/caller';
import { conditionsHold } from '../match/condition';
import { principalElementMatch } from '../match/principal';
import type { Statement } from '../policy/types';
import type { KeyPolicyAnalyzer, Subject } from './analyzer';
import type { ValueClass } from './search';
import type { VpceExemption, VpceMistake, VpceRestriction } from './types';

const NETWORK = new Set(['aws:sourcevpce', 'aws:sourcevpc', 'aws:sourceip', 'aws:vpcsourceip', 'aws:sourcevpcarn']);
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** The ordinary direct call: not forwarded by a service, no bypass tags. */
function ordinaryCall(denies: readonly Statement[]): Map<string, ValueClass> {
  const fixed = new Map<string, ValueClass>([
    ['kms:viaservice', null],
    ['aws:viaawsservice', ['false']],
    ['aws:calledvia', null],
    ['aws:calledviafirst', null],
    ['aws:calledvialast', null],
  ]);
  for (const d of denies) for (const c of d.conditions) if (c.keyLower.startsWith('aws:principaltag/')) fixed.set(c.keyLower, null);
  return fixed;
}

function vpceDenies(statements: readonly Statement[]): Statement[] {
  return statements.filter((st) => st.effect === 'Deny' && st.conditions.some((c) => c.keyLower === 'aws:sourcevpce' || c.keyLower === 'aws:sourcevpc'));
}

/** The endpoints the VPC-endpoint Denies name, sorted: the order in which mistakes are looked for. */
export function vpceEndpoints(statements: readonly Statement[]): string[] {
  return sorted(vpceDenies(statements).flatMap((d) => d.conditions.filter((c) => c.keyLower === 'aws:sourcevpce').flatMap((c) => c.values)));
}

export function vpceRestriction(a: KeyPolicyAnalyzer): VpceRestriction {
  const denies = vpceDenies(a.statements);
  const endpoints: string[] = [];
  const vpcs: string[] = [];
  const exemptions: VpceExemption[] = [];
  const mistakes: VpceMistake[] = [];
  for (const d of denies) {
    for (const c of d.conditions) {
      if (c.keyLower === 'aws:sourcevpce') endpoints.push(...c.values);
      else if (c.keyLower === 'aws:sourcevpc') vpcs.push(...c.values);
      else if (!NETWORK.has(c.keyLower)) exemptions.push({ statement: d.ref, key: c.key, operator: c.operator, values: [...c.values] });
      if ((c.keyLower === 'aws:sourcevpce' || c.keyLower === 'aws:sourcevpc') && c.set !== null) {
        mistakes.push({ code: 'forvalues-on-single-valued', statement: d.ref, message: `${c.operator} on single-valued ${c.key}: ${c.set === 'ForAnyValue' ? 'a request without the key is not denied' : 'a request without the key passes the test vacuously'}` });
      }
    }
  }
  const caller = parseCaller(`arn:aws:iam::${a.keyAccount}:role/kmsgate-fresh-role`);
  const cryptoActions = cryptographicActionsFor(a.keyUsage, KEY_ACTION_NAMES.filter((n) => kmsAction(n)?.class === 'cryptographic'));
  if (denies.length === 0 || !caller) {
    return { present: false, statements: [], endpoints: [], vpcs: [], coveredActions: [], uncoveredCryptographicActions: [...cryptoActions], coversRequestsWithoutEndpoint: false, exemptions: [], mistakes: [] };
  }
  const s: Subject = a.subject(caller, 'internal');
  const base = ordinaryCall(denies);
  const situation = (extra: [string, ValueClass][]) => new Map<string, ValueClass>([...base, ...extra]);
  const internet = situation([['aws:sourcevpce', null], ['aws:sourcevpc', null], ['aws:sourcevpcarn', null], ['aws:sourceip', ['198.51.100.77']]]);
  const otherEndpoint = situation([['aws:sourcevpce', ['vpce-0kmsgateother0000']], ['aws:sourcevpc', ['vpc-0kmsgateother0000']], ['aws:sourceip', null]]);
  const deniedIn = (action: string, fixed: Map<string, ValueClass>) => {
    const reaching = denies.filter((d) => a.reaches(d, s, action) !== null);
    if (reaching.length === 0) return false;
    return a.search(s, reaching, fixed, (ctx) => !reaching.some((d) => conditionsHold(d.conditions, ctx, a.doc.variablesEnabled))) === 'no';
  };
  const covered: string[] = [];
  let internetOpen = false;
  for (const g of a.groups) {
    const inOther = deniedIn(g.representative, otherEndpoint);
    const inInternet = deniedIn(g.representative, internet);
    if (inOther && !inInternet && g.actions.some((x) => cryptoActions.includes(x))) internetOpen = true;
    if (inOther && inInternet) covered.push(...g.actions);
  }
  if (internetOpen) {
    mistakes.push({ code: 'missing-key-not-denied', statement: denies[0]?.ref ?? '', message: 'requests that do not come through a VPC endpoint (no aws:SourceVpce) are not denied' });
  }
  const named = sorted(endpoints);
  for (const e of named) {
    const own = situation([['aws:sourcevpce', [e]], ['aws:sourcevpc', vpcs[0] ? [vpcs[0]] : null], ['aws:sourceip', null]]);
    if (cryptoActions.some((x) => deniedIn(x, own))) {
      mistakes.push({ code: 'denies-own-endpoint', statement: denies[0]?.ref ?? '', message: `requests through ${e} are denied too (an operator that should be negated?)` });
      if (named.length > 1) a.endpointOrderMatters = true;
      break;
    }
  }
  if (denies.every((d) => d.principal !== null && principalElementMatch(d.principal, s.caller) === null)) {
    mistakes.push({ code: 'not-all-principals', statement: denies[0]?.ref ?? '', message: 'the Deny does not apply to every principal of the key account' });
  }
  const coveredSet = new Set(covered);
  return {
    present: true,
    statements: sorted(denies.map((d) => d.ref)),
    endpoints: sorted(endpoints),
    vpcs: sorted(vpcs),
    coveredActions: sorted(covered),
    uncoveredCryptographicActions: cryptoActions.filter((x) => !coveredSet.has(x)),
    coversRequestsWithoutEndpoint: !internetOpen && covered.length > 0,
    exemptions: exemptions.sort((x, y) => (x.statement + x.key < y.statement + y.key ? -1 : 1)),
    mistakes,
  };
}
