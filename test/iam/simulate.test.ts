// simulate(): one row per rule of AWS's evaluation, each citing the page it follows.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors';
import { scenarioFromFlags, simulate } from '../../src/iam';
import { ADMIN_ACTIONS, DOC, K, KEY, ORG, OTHER_KEY, P, ROOT, USER_ACTIONS, X, allow, aws, deny, doc, iamAllow, identity, role, rootOf, session, user, type Json } from './fixtures';

interface Case {
  name: string;
  ref: string;
  keyPolicy: Json;
  principal: string;
  action: string;
  context?: Json;
  identityPolicies?: unknown;
  scps?: unknown;
  endpoint?: unknown;
  grants?: unknown;
  key?: Json;
  expect: 'allow' | 'explicit-deny' | 'implicit-deny';
  sids?: string[];
}

const IAM_DECRYPT = [identity(iamAllow(['kms:Decrypt', 'kms:Encrypt', 'kms:ScheduleKeyDeletion', 'kms:CreateGrant', 'kms:PutKeyPolicy'], KEY))];
const PUBLIC_DECRYPT = doc(ROOT, { Sid: 'Anyone', ...allow('*', 'kms:Decrypt') });
const ADMIN_GUARD = doc(ROOT, { Sid: 'OnlyAdminDeletes', ...deny('*', 'kms:ScheduleKeyDeletion', { Condition: { ArnNotLike: { 'aws:PrincipalArn': role('KeyAdmin') } } }) });
const EC_ALLOW = (op: string, k: string, v: unknown) => doc({ Sid: 'EC', ...allow(aws(role('App')), 'kms:Decrypt', { Condition: { [op]: { [k]: v } } }) });
const VPCE_DENY = (op: string, values: unknown) => doc(ROOT, { Sid: 'App', ...allow(aws(role('App')), 'kms:Decrypt') }, { Sid: 'DenyOutside', ...deny('*', 'kms:*', { Condition: { [op]: { 'aws:SourceVpce': values } } }) });
const ORG_DENY = (op: string) => doc(ROOT, { Sid: 'Anyone', ...allow('*', 'kms:Decrypt') }, { Sid: 'OrgOnly', ...deny('*', 'kms:*', { Condition: { [op]: { 'aws:PrincipalOrgID': ORG } } }) });
const SCP_GUARD = { Version: '2012-10-17', Statement: [{ Sid: 'NoDelete', Effect: 'Deny', Action: 'kms:ScheduleKeyDeletion', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': role('KeyGuardian') } } }] };
const SCP_ALLOW_DECRYPT = { Version: '2012-10-17', Statement: [{ Sid: 'OnlyDecrypt', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] };
const SCP_DENY_ALL_KMS = { Version: '2012-10-17', Statement: [{ Sid: 'NoKms', Effect: 'Deny', Action: 'kms:*', Resource: '*' }] };
const FULL = [{ level: 'root', policies: ['FullAWSAccess'] }];
const ADMIN_APP = doc(ROOT, { Sid: 'App', ...allow(aws(role('App')), USER_ACTIONS) });

const cases: Case[] = [
  // The key policy, IAM delegation and direct grants.
  { name: 'account principal delegates: an identity policy allows', ref: DOC.defaultPolicy, keyPolicy: doc(ROOT), principal: session('App'), action: 'kms:Decrypt', identityPolicies: IAM_DECRYPT, expect: 'allow', sids: ['EnableIAM', 'Statement[0]'] },
  { name: 'account principal delegates: no identity policy, no access', ref: DOC.defaultPolicy, keyPolicy: doc(ROOT), principal: session('App'), action: 'kms:Decrypt', expect: 'implicit-deny' },
  { name: 'identity policy on Resource "*" works through delegation', ref: DOC.iamBestPractices, keyPolicy: doc(ROOT), principal: user('alice'), action: 'kms:Decrypt', identityPolicies: [identity(iamAllow('kms:Decrypt'))], expect: 'allow' },
  { name: 'the root user needs no identity policy', ref: DOC.defaultPolicy, keyPolicy: doc(ROOT), principal: rootOf(), action: 'kms:ScheduleKeyDeletion', expect: 'allow' },
  { name: 'a role named in the key policy needs no identity policy (same account)', ref: DOC.keyPolicies, keyPolicy: ADMIN_APP, principal: session('App'), action: 'kms:Decrypt', expect: 'allow', sids: ['App'] },
  { name: 'a role ARN given as the principal is one of its sessions', ref: DOC.principal, keyPolicy: ADMIN_APP, principal: role('App'), action: 'kms:Encrypt', expect: 'allow' },
  { name: 'a session ARN principal covers only that session', ref: DOC.principal, keyPolicy: doc({ Sid: 'S1', ...allow(aws(session('App', K, 's1')), 'kms:Decrypt') }), principal: session('App', K, 's2'), action: 'kms:Decrypt', expect: 'implicit-deny' },
  { name: 'a session ARN principal covers that session', ref: DOC.principal, keyPolicy: doc({ Sid: 'S1', ...allow(aws(session('App', K, 's1')), 'kms:Decrypt') }), principal: session('App', K, 's1'), action: 'kms:Decrypt', expect: 'allow' },
  { name: 'an IAM user named in the key policy', ref: DOC.principal, keyPolicy: doc({ Sid: 'U', ...allow(aws(user('alice')), 'kms:Decrypt') }), principal: user('alice'), action: 'kms:Decrypt', expect: 'allow' },
  { name: 'IAM cannot allow what the key policy does not', ref: DOC.keyPolicies, keyPolicy: doc({ Sid: 'Other', ...allow(aws(role('Other')), 'kms:*') }), principal: session('App'), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'implicit-deny' },
  { name: 'an IAM Deny works without the key policy', ref: DOC.evaluation, keyPolicy: ADMIN_APP, principal: session('App'), action: 'kms:Decrypt', identityPolicies: [identity({ Sid: 'NoDecrypt', Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' })], expect: 'explicit-deny', sids: ['NoDecrypt'] },
  { name: 'a key-policy Deny beats the root Allow', ref: DOC.evaluation, keyPolicy: doc(ROOT, { Sid: 'NoDel', ...deny('*', 'kms:ScheduleKeyDeletion') }), principal: rootOf(), action: 'kms:ScheduleKeyDeletion', expect: 'explicit-deny', sids: ['NoDel'] },
  { name: '"*" grants same-account identities directly', ref: DOC.principal, keyPolicy: PUBLIC_DECRYPT, principal: session('Anything'), action: 'kms:Decrypt', expect: 'allow', sids: ['Anyone'] },
  { name: '"*" lets another account in when its IAM allows', ref: DOC.crossAccount, keyPolicy: PUBLIC_DECRYPT, principal: session('Attacker', X), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'allow' },
  { name: '"*" and another account without IAM allow: no', ref: DOC.crossAccount, keyPolicy: PUBLIC_DECRYPT, principal: session('Attacker', X), action: 'kms:Decrypt', expect: 'implicit-deny' },
  { name: 'cross-account through the partner account principal', ref: DOC.crossAccount, keyPolicy: doc(ROOT, { Sid: 'Partner', ...allow(aws(rootOf(P)), USER_ACTIONS) }), principal: session('Reader', P), action: 'kms:Decrypt', identityPolicies: [identity(iamAllow('kms:Decrypt', KEY))], expect: 'allow' },
  { name: 'cross-account needs the partner IAM policy too', ref: DOC.crossAccount, keyPolicy: doc(ROOT, { Sid: 'Partner', ...allow(aws(rootOf(P)), USER_ACTIONS) }), principal: session('Reader', P), action: 'kms:Decrypt', expect: 'implicit-deny' },
  { name: 'cross-account: naming the partner role still needs its IAM policy', ref: DOC.crossAccount, keyPolicy: doc(ROOT, { Sid: 'PartnerRole', ...allow(aws(role('Reader', P)), USER_ACTIONS) }), principal: session('Reader', P), action: 'kms:Decrypt', expect: 'implicit-deny' },
  { name: 'kms:* to another account never yields ScheduleKeyDeletion', ref: DOC.apiCrossAccount, keyPolicy: doc(ROOT, { Sid: 'Partner', ...allow(aws(rootOf(P)), 'kms:*') }), principal: session('Admin', P), action: 'kms:ScheduleKeyDeletion', identityPolicies: 'allow-all', expect: 'implicit-deny' },
  { name: 'kms:* to another account never yields PutKeyPolicy', ref: DOC.apiCrossAccount, keyPolicy: doc(ROOT, { Sid: 'Partner', ...allow(aws(rootOf(P)), 'kms:*') }), principal: session('Admin', P), action: 'kms:PutKeyPolicy', identityPolicies: 'allow-all', expect: 'implicit-deny' },
  { name: 'kms:* to another account yields TagResource? no', ref: DOC.apiCrossAccount, keyPolicy: doc(ROOT, { Sid: 'Partner', ...allow(aws(rootOf(P)), 'kms:*') }), principal: session('Admin', P), action: 'kms:TagResource', identityPolicies: 'allow-all', expect: 'implicit-deny' },
  { name: 'kms:* to another account yields Decrypt', ref: DOC.apiCrossAccount, keyPolicy: doc(ROOT, { Sid: 'Partner', ...allow(aws(rootOf(P)), 'kms:*') }), principal: session('Admin', P), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'allow' },
  { name: 'CreateGrant works cross-account', ref: DOC.apiCrossAccount, keyPolicy: doc(ROOT, { Sid: 'Partner', ...allow(aws(rootOf(P)), 'kms:CreateGrant') }), principal: session('Admin', P), action: 'kms:CreateGrant', identityPolicies: 'allow-all', expect: 'allow' },
  { name: 'KMS refuses anonymous requests even with Principal "*"', ref: DOC.keyPolicies, keyPolicy: PUBLIC_DECRYPT, principal: 'anonymous', action: 'kms:Decrypt', expect: 'implicit-deny' },
  { name: 'a service principal named in the key policy', ref: DOC.principal, keyPolicy: doc(ROOT, { Sid: 'Logs', ...allow({ Service: 'logs.us-east-1.amazonaws.com' }, ['kms:Encrypt*', 'kms:GenerateDataKey*']) }), principal: 'logs.us-east-1.amazonaws.com', action: 'kms:Encrypt', expect: 'allow', sids: ['Logs'] },
  { name: 'a service principal is not an identity of the account', ref: DOC.principal, keyPolicy: doc(ROOT), principal: 'logs.us-east-1.amazonaws.com', action: 'kms:Encrypt', expect: 'implicit-deny' },
  { name: '"*" covers service principals', ref: DOC.principal, keyPolicy: PUBLIC_DECRYPT, principal: 'cloudtrail.amazonaws.com', action: 'kms:Decrypt', expect: 'allow' },
  { name: 'a key-policy statement without Resource has no effect', ref: DOC.overview, keyPolicy: doc({ Sid: 'NoResource', Effect: 'Allow', Principal: aws(role('App')), Action: 'kms:Decrypt' }), principal: session('App'), action: 'kms:Decrypt', expect: 'implicit-deny' },
  { name: 'a key-policy statement for another key does not apply', ref: DOC.overview, keyPolicy: doc({ Sid: 'Other', ...allow(aws(role('App')), 'kms:Decrypt', { Resource: OTHER_KEY }) }), principal: session('App'), action: 'kms:Decrypt', expect: 'implicit-deny' },
  { name: 'a key-policy statement naming this key ARN', ref: DOC.overview, keyPolicy: doc({ Sid: 'This', ...allow(aws(role('App')), 'kms:Decrypt', { Resource: KEY }) }), principal: session('App'), action: 'kms:Decrypt', expect: 'allow' },
  { name: 'Resource wildcards stay within ARN parts', ref: DOC.resource, keyPolicy: doc({ Sid: 'AllKeys', ...allow(aws(role('App')), 'kms:Decrypt', { Resource: `arn:aws:kms:*:${K}:key/*` }) }), principal: session('App'), action: 'kms:Decrypt', expect: 'allow' },
  { name: 'Resource of another account does not match', ref: DOC.resource, keyPolicy: doc({ Sid: 'Other', ...allow(aws(role('App')), 'kms:Decrypt', { Resource: `arn:aws:kms:*:${P}:key/*` }) }), principal: session('App'), action: 'kms:Decrypt', expect: 'implicit-deny' },
  { name: 'Statement may be a single object', ref: DOC.grammar, keyPolicy: { Version: '2012-10-17', Statement: { Sid: 'One', ...allow(aws(role('App')), 'kms:Decrypt') } }, principal: session('App'), action: 'kms:Decrypt', expect: 'allow', sids: ['One'] },
  { name: 'action names are case-insensitive', ref: DOC.action, keyPolicy: doc({ Sid: 'Lower', ...allow(aws(role('App')), 'KMS:decrypt') }), principal: session('App'), action: 'kms:Decrypt', expect: 'allow' },
  { name: 'Allow + NotAction grants everything else', ref: DOC.action, keyPolicy: doc({ Sid: 'NotDel', Effect: 'Allow', Principal: aws(role('App')), NotAction: 'kms:ScheduleKeyDeletion', Resource: '*' }), principal: session('App'), action: 'kms:Decrypt', expect: 'allow' },
  { name: 'Allow + NotAction does not grant what it lists', ref: DOC.action, keyPolicy: doc({ Sid: 'NotDel', Effect: 'Allow', Principal: aws(role('App')), NotAction: 'kms:ScheduleKeyDeletion', Resource: '*' }), principal: session('App'), action: 'kms:ScheduleKeyDeletion', expect: 'implicit-deny' },
  { name: 'kms:Delete* does not cover ScheduleKeyDeletion', ref: DOC.defaultPolicy, keyPolicy: doc({ Sid: 'Admin', ...allow(aws(role('Admin')), 'kms:Delete*') }), principal: session('Admin'), action: 'kms:ScheduleKeyDeletion', expect: 'implicit-deny' },
  { name: 'kms:Create* covers CreateGrant', ref: DOC.defaultPolicy, keyPolicy: doc({ Sid: 'Admin', ...allow(aws(role('Admin')), ADMIN_ACTIONS) }), principal: session('Admin'), action: 'kms:CreateGrant', expect: 'allow' },
  { name: 'kms:De* covers kms:Decapsulate (newer than iam-data)', ref: DOC.action, keyPolicy: doc({ Sid: 'De', ...allow(aws(role('App')), 'kms:De*') }), principal: session('App'), action: 'kms:Decapsulate', expect: 'allow' },
  { name: 'a typo (kms:Encypt) matches nothing', ref: DOC.action, keyPolicy: doc({ Sid: 'Typo', ...allow(aws(role('App')), 'kms:Encypt') }), principal: session('App'), action: 'kms:Encrypt', expect: 'implicit-deny' },

  // NotPrincipal: a caller is exempt only when every identity it has is listed.
  { name: 'NotPrincipal + Deny: role and account listed, session not: the session is denied', ref: DOC.notPrincipal, keyPolicy: doc(ROOT, { Sid: 'OnlyAdmin', Effect: 'Deny', NotPrincipal: aws(role('KeyAdmin'), rootOf()), Action: 'kms:ScheduleKeyDeletion', Resource: '*' }), principal: session('KeyAdmin'), action: 'kms:ScheduleKeyDeletion', identityPolicies: 'allow-all', expect: 'explicit-deny', sids: ['OnlyAdmin'] },
  { name: 'NotPrincipal + Deny: role, session and account listed: exempt', ref: DOC.notPrincipal, keyPolicy: doc(ROOT, { Sid: 'OnlyAdmin', Effect: 'Deny', NotPrincipal: aws(role('KeyAdmin'), session('KeyAdmin'), rootOf()), Action: 'kms:ScheduleKeyDeletion', Resource: '*' }), principal: session('KeyAdmin'), action: 'kms:ScheduleKeyDeletion', identityPolicies: 'allow-all', expect: 'allow' },
  { name: 'NotPrincipal + Deny with the account ARN does not exempt the account\'s roles', ref: DOC.notPrincipal, keyPolicy: doc(ROOT, { Sid: 'OnlyAccount', Effect: 'Deny', NotPrincipal: aws(rootOf()), Action: 'kms:*', Resource: '*' }), principal: session('App'), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'explicit-deny' },
  { name: 'NotPrincipal + Deny with the account ARN exempts the root user', ref: DOC.notPrincipal, keyPolicy: doc(ROOT, { Sid: 'OnlyAccount', Effect: 'Deny', NotPrincipal: aws(rootOf()), Action: 'kms:*', Resource: '*' }), principal: rootOf(), action: 'kms:Decrypt', expect: 'allow' },
  { name: 'NotPrincipal [Bob, account]: Bob is exempt (AWS example)', ref: DOC.notPrincipal, keyPolicy: doc(ROOT, { Sid: 'OnlyBob', Effect: 'Deny', NotPrincipal: aws(user('Bob'), rootOf()), Action: 'kms:*', Resource: '*' }), principal: user('Bob'), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'allow' },
  { name: 'NotPrincipal [Bob, account]: everyone else is denied (AWS example)', ref: DOC.notPrincipal, keyPolicy: doc(ROOT, { Sid: 'OnlyBob', Effect: 'Deny', NotPrincipal: aws(user('Bob'), rootOf()), Action: 'kms:*', Resource: '*' }), principal: user('Alice'), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'explicit-deny' },
  { name: 'NotPrincipal [Bob] without the account: Bob is denied too', ref: DOC.notPrincipal, keyPolicy: doc(ROOT, { Sid: 'OnlyBob', Effect: 'Deny', NotPrincipal: aws(user('Bob')), Action: 'kms:*', Resource: '*' }), principal: user('Bob'), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'explicit-deny' },
  { name: 'NotPrincipal + Allow grants every other principal, in any account', ref: DOC.notPrincipal, keyPolicy: doc({ Sid: 'AllBut', Effect: 'Allow', NotPrincipal: aws(role('Blocked')), Action: 'kms:Decrypt', Resource: '*' }), principal: session('Attacker', X), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'allow' },

  // aws:PrincipalArn and the keys AWS derives from the caller.
  { name: 'ArnNotLike aws:PrincipalArn exempts the admin role\'s sessions (derived role ARN)', ref: DOC.globalKeys, keyPolicy: ADMIN_GUARD, principal: session('KeyAdmin'), action: 'kms:ScheduleKeyDeletion', identityPolicies: 'allow-all', expect: 'allow' },
  { name: 'ArnNotLike aws:PrincipalArn denies everyone else', ref: DOC.globalKeys, keyPolicy: ADMIN_GUARD, principal: session('App'), action: 'kms:ScheduleKeyDeletion', identityPolicies: 'allow-all', expect: 'explicit-deny', sids: ['OnlyAdminDeletes'] },
  { name: 'aws:PrincipalArn is the role ARN, never the session ARN', ref: DOC.globalKeys, keyPolicy: doc(ROOT, { Sid: 'Pin', ...deny('*', 'kms:ScheduleKeyDeletion', { Condition: { StringNotEquals: { 'aws:PrincipalArn': session('KeyAdmin') } } }) }), principal: session('KeyAdmin'), action: 'kms:ScheduleKeyDeletion', identityPolicies: 'allow-all', expect: 'explicit-deny' },
  { name: 'StringNotEquals does not expand "*" in aws:PrincipalArn', ref: DOC.operators, keyPolicy: doc(ROOT, { Sid: 'Pin', ...deny('*', 'kms:ScheduleKeyDeletion', { Condition: { StringNotEquals: { 'aws:PrincipalArn': role('Key*') } } }) }), principal: session('KeyAdmin'), action: 'kms:ScheduleKeyDeletion', identityPolicies: 'allow-all', expect: 'explicit-deny' },
  { name: 'a role path is learned from the policy for aws:PrincipalArn', ref: DOC.globalKeys, keyPolicy: doc(ROOT, { Sid: 'Pin', ...deny('*', 'kms:ScheduleKeyDeletion', { Condition: { ArnNotEquals: { 'aws:PrincipalArn': `arn:aws:iam::${K}:role/admins/KeyAdmin` } } }) }), principal: session('KeyAdmin'), action: 'kms:ScheduleKeyDeletion', identityPolicies: 'allow-all', expect: 'allow' },
  { name: 'kms:CallerAccount is derived: same account allowed', ref: DOC.kmsConditions, keyPolicy: doc({ Sid: 'Acct', ...allow('*', 'kms:Decrypt', { Condition: { StringEquals: { 'kms:CallerAccount': K } } }) }), principal: session('App'), action: 'kms:Decrypt', expect: 'allow' },
  { name: 'kms:CallerAccount is derived: other account refused', ref: DOC.kmsConditions, keyPolicy: doc({ Sid: 'Acct', ...allow('*', 'kms:Decrypt', { Condition: { StringEquals: { 'kms:CallerAccount': K } } }) }), principal: session('Attacker', X), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'implicit-deny' },
  { name: 'aws:PrincipalArn with an account wildcard lets any account\'s Admin role in', ref: DOC.globalKeys, keyPolicy: doc({ Sid: 'Admins', ...allow('*', 'kms:Decrypt', { Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin' } } }) }), principal: session('Admin', X), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'allow' },
  { name: 'aws:PrincipalType = Account limits the root statement to the root user (roles refused)', ref: DOC.defaultPolicy, keyPolicy: doc({ ...ROOT, Condition: { StringEquals: { 'aws:PrincipalType': 'Account' } } }), principal: session('App'), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'implicit-deny' },
  { name: 'aws:PrincipalType = Account: the root user still passes', ref: DOC.defaultPolicy, keyPolicy: doc({ ...ROOT, Condition: { StringEquals: { 'aws:PrincipalType': 'Account' } } }), principal: rootOf(), action: 'kms:Decrypt', expect: 'allow' },
  { name: 'a condition on the root statement narrows delegation to one role', ref: DOC.defaultPolicy, keyPolicy: doc({ ...ROOT, Condition: { ArnEquals: { 'aws:PrincipalArn': role('Ops') } } }), principal: session('Ops'), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'allow' },
  { name: 'a condition on the root statement refuses other roles', ref: DOC.defaultPolicy, keyPolicy: doc({ ...ROOT, Condition: { ArnEquals: { 'aws:PrincipalArn': role('Ops') } } }), principal: session('Dev'), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'implicit-deny' },
  { name: 'aws:username is derived for IAM users in a policy variable', ref: DOC.variables, keyPolicy: doc({ Sid: 'Own', ...allow(aws(rootOf()), 'kms:Decrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:user': '${aws:username}' } } }) }), principal: user('alice'), action: 'kms:Decrypt', context: { 'kms:EncryptionContext:user': 'alice' }, identityPolicies: 'allow-all', expect: 'allow' },
  { name: 'policy variables are literal in Version 2008-10-17', ref: DOC.version, keyPolicy: { Version: '2008-10-17', Statement: [{ Sid: 'Own', ...allow(aws(rootOf()), 'kms:Decrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:user': '${aws:username}' } } }) }] }, principal: user('alice'), action: 'kms:Decrypt', context: { 'kms:EncryptionContext:user': 'alice' }, identityPolicies: 'allow-all', expect: 'implicit-deny' },
  { name: '${aws:ResourceAccount} pins the caller to the key account (same account)', ref: DOC.variables, keyPolicy: doc(ROOT, { Sid: 'Partner', ...allow(aws(rootOf(P)), 'kms:Decrypt') }, { Sid: 'Home', ...deny('*', 'kms:*', { Condition: { StringNotEquals: { 'aws:PrincipalAccount': '${aws:ResourceAccount}' } } }) }), principal: session('App'), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'allow' },
  { name: '${aws:ResourceAccount} pins the caller to the key account (other account denied)', ref: DOC.variables, keyPolicy: doc(ROOT, { Sid: 'Partner', ...allow(aws(rootOf(P)), 'kms:Decrypt') }, { Sid: 'Home', ...deny('*', 'kms:*', { Condition: { StringNotEquals: { 'aws:PrincipalAccount': '${aws:ResourceAccount}' } } }) }), principal: session('Reader', P), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'explicit-deny', sids: ['Home'] },
  { name: 'a missing variable without default matches nothing', ref: DOC.variables, keyPolicy: doc({ Sid: 'Tag', ...allow(aws(rootOf()), 'kms:Decrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:team': '${aws:PrincipalTag/team}' } } }) }), principal: session('App'), action: 'kms:Decrypt', context: { 'kms:EncryptionContext:team': '' }, identityPolicies: 'allow-all', expect: 'implicit-deny' },
  { name: 'a variable default is used when the key is missing', ref: DOC.variables, keyPolicy: doc({ Sid: 'Tag', ...allow(aws(rootOf()), 'kms:Decrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:team': "${aws:PrincipalTag/team, 'none'}" } } }) }), principal: session('App'), action: 'kms:Decrypt', context: { 'kms:EncryptionContext:team': 'none' }, identityPolicies: 'allow-all', expect: 'allow' },

  // Encryption context keys (iam-simulate drops them).
  { name: 'an encryption-context condition matches the request\'s context', ref: DOC.encryptionContext, keyPolicy: EC_ALLOW('StringEquals', 'kms:EncryptionContext:Department', 'Finance'), principal: session('App'), action: 'kms:Decrypt', context: { 'kms:EncryptionContext:Department': 'Finance' }, expect: 'allow' },
  { name: 'encryption-context key names are case-insensitive', ref: DOC.encryptionContext, keyPolicy: EC_ALLOW('StringEquals', 'kms:encryptioncontext:department', 'Finance'), principal: session('App'), action: 'kms:Decrypt', context: { 'kms:EncryptionContext:Department': 'Finance' }, expect: 'allow' },
  { name: 'encryption-context values are case-sensitive with StringEquals', ref: DOC.encryptionContext, keyPolicy: EC_ALLOW('StringEquals', 'kms:EncryptionContext:Department', 'Finance'), principal: session('App'), action: 'kms:Decrypt', context: { 'kms:EncryptionContext:Department': 'finance' }, expect: 'implicit-deny' },
  { name: 'StringEqualsIgnoreCase ignores value case', ref: DOC.operators, keyPolicy: EC_ALLOW('StringEqualsIgnoreCase', 'kms:EncryptionContext:Department', 'Finance'), principal: session('App'), action: 'kms:Decrypt', context: { 'kms:EncryptionContext:Department': 'FINANCE' }, expect: 'allow' },
  { name: 'no encryption context: the positive condition is false', ref: DOC.operators, keyPolicy: EC_ALLOW('StringEquals', 'kms:EncryptionContext:Department', 'Finance'), principal: session('App'), action: 'kms:Decrypt', expect: 'implicit-deny' },
  { name: 'StringLike on an encryption-context value', ref: DOC.operators, keyPolicy: EC_ALLOW('StringLike', 'kms:EncryptionContext:aws:s3:arn', 'arn:aws:s3:::bucket/*'), principal: session('App'), action: 'kms:Decrypt', context: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::bucket/a/b' }, expect: 'allow' },
  { name: 'a Deny on a negated encryption-context condition does not fire when it matches', ref: DOC.encryptionContext, keyPolicy: doc(ROOT, { Sid: 'App', ...allow(aws(role('App')), 'kms:Decrypt') }, { Sid: 'EC', ...deny('*', 'kms:Decrypt', { Condition: { StringNotEquals: { 'kms:EncryptionContext:app': 'billing' } } }) }), principal: session('App'), action: 'kms:Decrypt', context: { 'kms:EncryptionContext:App': 'billing' }, expect: 'allow' },
  { name: 'ForAnyValue on kms:EncryptionContextKeys', ref: DOC.singleMulti, keyPolicy: EC_ALLOW('ForAnyValue:StringEquals', 'kms:EncryptionContextKeys', ['Dept']), principal: session('App'), action: 'kms:Decrypt', context: { 'kms:EncryptionContextKeys': ['Dept', 'Other'] }, expect: 'allow' },
  { name: 'ForAllValues on kms:EncryptionContextKeys refuses an extra key', ref: DOC.singleMulti, keyPolicy: EC_ALLOW('ForAllValues:StringEquals', 'kms:EncryptionContextKeys', ['Dept']), principal: session('App'), action: 'kms:Decrypt', context: { 'kms:EncryptionContextKeys': ['Dept', 'Other'] }, expect: 'implicit-deny' },
  { name: 'ForAllValues is true when the key is absent', ref: DOC.singleMulti, keyPolicy: EC_ALLOW('ForAllValues:StringEquals', 'kms:EncryptionContextKeys', ['Dept']), principal: session('App'), action: 'kms:Decrypt', expect: 'allow' },
  { name: 'ForAnyValue is false when the key is absent', ref: DOC.singleMulti, keyPolicy: EC_ALLOW('ForAnyValue:StringEquals', 'kms:EncryptionContextKeys', ['Dept']), principal: session('App'), action: 'kms:Decrypt', expect: 'implicit-deny' },
  { name: 'an empty value list never matches a present key', ref: DOC.operators, keyPolicy: EC_ALLOW('StringEquals', 'kms:EncryptionContext:Department', []), principal: session('App'), action: 'kms:Decrypt', context: { 'kms:EncryptionContext:Department': 'Finance' }, expect: 'implicit-deny' },

  // Missing keys, negation, IfExists, NOR.
  { name: 'Deny StringNotEquals aws:SourceVpce also catches requests from the internet', ref: DOC.sourceVpce, keyPolicy: VPCE_DENY('StringNotEquals', 'vpce-1a2b3c4d'), principal: session('App'), action: 'kms:Decrypt', expect: 'explicit-deny', sids: ['DenyOutside'] },
  { name: 'Deny StringNotEquals aws:SourceVpce lets the endpoint through', ref: DOC.sourceVpce, keyPolicy: VPCE_DENY('StringNotEquals', 'vpce-1a2b3c4d'), principal: session('App'), action: 'kms:Decrypt', endpoint: { id: 'vpce-1a2b3c4d' }, expect: 'allow' },
  { name: 'negated operators with several values are NOR: either endpoint passes', ref: DOC.multiValue, keyPolicy: VPCE_DENY('StringNotEquals', ['vpce-aaaa', 'vpce-bbbb']), principal: session('App'), action: 'kms:Decrypt', endpoint: { id: 'vpce-bbbb' }, expect: 'allow' },
  { name: 'NOR: a third endpoint is denied', ref: DOC.multiValue, keyPolicy: VPCE_DENY('StringNotEquals', ['vpce-aaaa', 'vpce-bbbb']), principal: session('App'), action: 'kms:Decrypt', endpoint: { id: 'vpce-cccc' }, expect: 'explicit-deny' },
  { name: 'StringNotEqualsIfExists in a Deny still denies when the key is missing', ref: DOC.operators, keyPolicy: VPCE_DENY('StringNotEqualsIfExists', 'vpce-1a2b3c4d'), principal: session('App'), action: 'kms:Decrypt', expect: 'explicit-deny' },
  { name: 'ForAnyValue:StringNotEquals aws:SourceVpce lets internet requests through (missing → false)', ref: DOC.singleMulti, keyPolicy: VPCE_DENY('ForAnyValue:StringNotEquals', 'vpce-1a2b3c4d'), principal: session('App'), action: 'kms:Decrypt', expect: 'allow' },
  { name: 'Deny unless org: ForAnyValue:StringNotEquals lets org-less accounts through', ref: DOC.singleMulti, keyPolicy: ORG_DENY('ForAnyValue:StringNotEquals'), principal: session('Attacker', X), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'allow' },
  { name: 'Deny unless org: StringNotEquals denies org-less accounts', ref: DOC.operators, keyPolicy: ORG_DENY('StringNotEquals'), principal: session('Attacker', X), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'explicit-deny', sids: ['OrgOnly'] },
  { name: 'Deny unless org: members pass (org id derived for the key account)', ref: DOC.globalKeys, keyPolicy: ORG_DENY('StringNotEquals'), principal: session('App'), action: 'kms:Decrypt', key: { arn: KEY, organizationId: ORG }, expect: 'allow' },
  { name: 'Deny unless org: another member account passes with its org id in context', ref: DOC.globalKeys, keyPolicy: ORG_DENY('StringNotEquals'), principal: session('Reader', P), action: 'kms:Decrypt', context: { 'aws:PrincipalOrgID': ORG }, identityPolicies: 'allow-all', expect: 'allow' },
  { name: 'StringEqualsIfExists aws:SourceVpce in an Allow passes without the key', ref: DOC.operators, keyPolicy: doc({ Sid: 'Vpce', ...allow('*', 'kms:Decrypt', { Condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } }) }), principal: session('Attacker', X), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'allow' },
  { name: 'ForAllValues:StringEquals aws:PrincipalOrgID in an Allow passes org-less callers', ref: DOC.singleMulti, keyPolicy: doc({ Sid: 'Org', ...allow('*', 'kms:Decrypt', { Condition: { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': ORG } } }) }), principal: session('Attacker', X), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'allow' },
  { name: 'a misspelled key under a negated operator always fires', ref: DOC.analyzerChecks, keyPolicy: doc(ROOT, { Sid: 'Typo', ...deny('*', 'kms:ScheduleKeyDeletion', { Condition: { StringNotEquals: { 'aws:PrincipleArn': role('KeyAdmin') } } }) }), principal: session('KeyAdmin'), action: 'kms:ScheduleKeyDeletion', identityPolicies: 'allow-all', expect: 'explicit-deny' },
  { name: 'condition keys are case-insensitive (AWS:SOURCEVPCE)', ref: DOC.operators, keyPolicy: VPCE_DENY('StringNotEquals', 'vpce-1a2b3c4d'), principal: session('App'), action: 'kms:Decrypt', context: { 'AWS:SOURCEVPCE': 'vpce-1a2b3c4d' }, expect: 'allow' },
  { name: 'Null "true" matches a missing key', ref: DOC.operators, keyPolicy: doc(ROOT, { Sid: 'App', ...allow(aws(role('App')), 'kms:Decrypt') }, { Sid: 'NeedVpce', ...deny('*', 'kms:*', { Condition: { Null: { 'aws:SourceVpce': 'true' } } }) }), principal: session('App'), action: 'kms:Decrypt', expect: 'explicit-deny' },
  { name: 'Null "true" does not match a present key', ref: DOC.operators, keyPolicy: doc(ROOT, { Sid: 'App', ...allow(aws(role('App')), 'kms:Decrypt') }, { Sid: 'NeedVpce', ...deny('*', 'kms:*', { Condition: { Null: { 'aws:SourceVpce': 'true' } } }) }), principal: session('App'), action: 'kms:Decrypt', endpoint: { id: 'vpce-1' }, expect: 'allow' },

  // Operator families.
  { name: 'IpAddress 0.0.0.0/0 matches every IPv4 address', ref: DOC.operators, keyPolicy: doc({ Sid: 'Ip', ...allow(aws(role('App')), 'kms:Decrypt', { Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }) }), principal: session('App'), action: 'kms:Decrypt', context: { 'aws:SourceIp': '203.0.113.5' }, expect: 'allow' },
  { name: 'IpAddress with IPv6', ref: DOC.operators, keyPolicy: doc({ Sid: 'Ip', ...allow(aws(role('App')), 'kms:Decrypt', { Condition: { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } } }) }), principal: session('App'), action: 'kms:Decrypt', context: { 'aws:SourceIp': '2001:db8:1::7' }, expect: 'allow' },
  { name: 'IpAddress /24 refuses an address outside', ref: DOC.operators, keyPolicy: doc({ Sid: 'Ip', ...allow(aws(role('App')), 'kms:Decrypt', { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }) }), principal: session('App'), action: 'kms:Decrypt', context: { 'aws:SourceIp': '203.0.114.1' }, expect: 'implicit-deny' },
  { name: 'NotIpAddress in a Deny spares the listed range', ref: DOC.operators, keyPolicy: doc(ROOT, { Sid: 'App', ...allow(aws(role('App')), 'kms:Decrypt') }, { Sid: 'Corp', ...deny('*', 'kms:*', { Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }) }), principal: session('App'), action: 'kms:Decrypt', context: { 'aws:SourceIp': '10.1.2.3' }, expect: 'allow' },
  { name: 'NotIpAddress in a Deny denies other addresses', ref: DOC.operators, keyPolicy: doc(ROOT, { Sid: 'App', ...allow(aws(role('App')), 'kms:Decrypt') }, { Sid: 'Corp', ...deny('*', 'kms:*', { Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }) }), principal: session('App'), action: 'kms:Decrypt', context: { 'aws:SourceIp': '192.0.2.1' }, expect: 'explicit-deny' },
  { name: 'a bare address in IpAddress is /32', ref: DOC.operators, keyPolicy: doc({ Sid: 'Ip', ...allow(aws(role('App')), 'kms:Decrypt', { Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.7' } } }) }), principal: session('App'), action: 'kms:Decrypt', context: { 'aws:SourceIp': '192.0.2.8' }, expect: 'implicit-deny' },
  { name: 'NumericLessThan on the deletion window (7 < 30 is denied)', ref: DOC.kmsConditions, keyPolicy: doc(ROOT, { Sid: 'Window', ...deny('*', 'kms:ScheduleKeyDeletion', { Condition: { NumericLessThan: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 30 } } }) }), principal: rootOf(), action: 'kms:ScheduleKeyDeletion', context: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 7 }, expect: 'explicit-deny' },
  { name: 'NumericLessThan on the deletion window (30 passes)', ref: DOC.kmsConditions, keyPolicy: doc(ROOT, { Sid: 'Window', ...deny('*', 'kms:ScheduleKeyDeletion', { Condition: { NumericLessThan: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 30 } } }) }), principal: rootOf(), action: 'kms:ScheduleKeyDeletion', context: { 'kms:ScheduleKeyDeletionPendingWindowInDays': '30' }, expect: 'allow' },
  { name: 'DateLessThan on aws:CurrentTime', ref: DOC.operators, keyPolicy: doc({ Sid: 'Until', ...allow(aws(role('App')), 'kms:Decrypt', { Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } }) }), principal: session('App'), action: 'kms:Decrypt', context: { 'aws:CurrentTime': '2029-12-31T23:59:59Z' }, expect: 'allow' },
  { name: 'DateGreaterThan with epoch seconds', ref: DOC.operators, keyPolicy: doc({ Sid: 'After', ...allow(aws(role('App')), 'kms:Decrypt', { Condition: { DateGreaterThan: { 'aws:CurrentTime': '1893456000' } } }) }), principal: session('App'), action: 'kms:Decrypt', context: { 'aws:CurrentTime': '2029-12-31T23:59:59Z' }, expect: 'implicit-deny' },
  { name: 'Bool kms:GrantIsForAWSResource true allows service grants', ref: DOC.kmsConditions, keyPolicy: doc({ Sid: 'Grants', ...allow(aws(role('App')), 'kms:CreateGrant', { Condition: { Bool: { 'kms:GrantIsForAWSResource': true } } }) }), principal: session('App'), action: 'kms:CreateGrant', context: { 'kms:GrantIsForAWSResource': 'true' }, expect: 'allow' },
  { name: 'Bool kms:GrantIsForAWSResource refuses direct grants', ref: DOC.kmsConditions, keyPolicy: doc({ Sid: 'Grants', ...allow(aws(role('App')), 'kms:CreateGrant', { Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }) }), principal: session('App'), action: 'kms:CreateGrant', context: { 'kms:GrantIsForAWSResource': false }, expect: 'implicit-deny' },
  { name: 'kms:ViaService allows calls forwarded by the named service', ref: DOC.kmsConditions, keyPolicy: doc({ Sid: 'Ebs', ...allow(aws(rootOf()), 'kms:Decrypt', { Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } } }) }), principal: session('App'), action: 'kms:Decrypt', context: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' }, identityPolicies: 'allow-all', expect: 'allow' },
  { name: 'kms:ViaService refuses direct calls', ref: DOC.kmsConditions, keyPolicy: doc({ Sid: 'Ebs', ...allow(aws(rootOf()), 'kms:Decrypt', { Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } } }) }), principal: session('App'), action: 'kms:Decrypt', identityPolicies: 'allow-all', expect: 'implicit-deny' },
  { name: 'ArnLike aws:SourceArn for a service principal', ref: DOC.globalKeys, keyPolicy: doc({ Sid: 'Logs', ...allow({ Service: 'logs.us-east-1.amazonaws.com' }, 'kms:Encrypt', { Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-east-1:${K}:log-group:*` } } }) }), principal: 'logs.us-east-1.amazonaws.com', action: 'kms:Encrypt', context: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-east-1:${K}:log-group:app` }, expect: 'allow' },
  { name: 'ArnLike does not let "*" cross ":" (log group with extra parts)', ref: DOC.operators, keyPolicy: doc({ Sid: 'Logs', ...allow({ Service: 'logs.us-east-1.amazonaws.com' }, 'kms:Encrypt', { Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:*:${K}:log-group:app` } } }) }), principal: 'logs.us-east-1.amazonaws.com', action: 'kms:Encrypt', context: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-east-1:${K}:log-group:app:extra` }, expect: 'implicit-deny' },

  // SCPs.
  { name: 'SCP Deny with ArnNotLike guardian denies others in the key account', ref: DOC.scpEvaluation, keyPolicy: doc(ROOT), principal: session('App'), action: 'kms:ScheduleKeyDeletion', identityPolicies: 'allow-all', scps: [{ level: 'root', policies: ['FullAWSAccess', SCP_GUARD] }], expect: 'explicit-deny', sids: ['NoDelete'] },
  { name: 'SCP Deny with ArnNotLike exempts the guardian', ref: DOC.scpEvaluation, keyPolicy: doc(ROOT), principal: session('KeyGuardian'), action: 'kms:ScheduleKeyDeletion', identityPolicies: 'allow-all', scps: [{ level: 'root', policies: ['FullAWSAccess', SCP_GUARD] }], expect: 'allow' },
  { name: 'an Allow-only SCP restricts nothing next to FullAWSAccess', ref: DOC.scpEvaluation, keyPolicy: doc(ROOT), principal: session('App'), action: 'kms:ScheduleKeyDeletion', identityPolicies: 'allow-all', scps: [{ level: 'root', policies: ['FullAWSAccess', SCP_ALLOW_DECRYPT] }], expect: 'allow' },
  { name: 'an allow-list SCP without FullAWSAccess at its level restricts', ref: DOC.scpEvaluation, keyPolicy: doc(ROOT), principal: session('App'), action: 'kms:ScheduleKeyDeletion', identityPolicies: 'allow-all', scps: [...FULL, { level: 'ou', policies: [SCP_ALLOW_DECRYPT] }], expect: 'implicit-deny' },
  { name: 'an allow-list SCP allows what it lists', ref: DOC.scpEvaluation, keyPolicy: doc(ROOT), principal: session('App'), action: 'kms:Decrypt', identityPolicies: 'allow-all', scps: [...FULL, { level: 'ou', policies: [SCP_ALLOW_DECRYPT] }], expect: 'allow' },
  { name: 'every level must allow: FullAWSAccess missing at the account level', ref: DOC.scpEvaluation, keyPolicy: doc(ROOT), principal: session('App'), action: 'kms:Decrypt', identityPolicies: 'allow-all', scps: [...FULL, { level: 'account', policies: [] }], expect: 'implicit-deny' },
  { name: 'SCPs do not apply to the management account', ref: DOC.scps, keyPolicy: doc(ROOT), principal: session('App'), action: 'kms:Decrypt', identityPolicies: 'allow-all', key: { arn: KEY, managementAccount: true }, scps: [{ level: 'root', policies: ['FullAWSAccess', SCP_DENY_ALL_KMS] }], expect: 'allow' },
  { name: 'SCPs do not apply to service-linked roles', ref: DOC.scps, keyPolicy: doc(ROOT), principal: `arn:aws:iam::${K}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`, action: 'kms:Decrypt', identityPolicies: 'allow-all', scps: [{ level: 'root', policies: ['FullAWSAccess', SCP_DENY_ALL_KMS] }], expect: 'allow' },
  { name: 'SCPs of the key account do not bind other accounts', ref: DOC.scps, keyPolicy: doc(ROOT, { Sid: 'Partner', ...allow(aws(rootOf(P)), 'kms:Decrypt') }), principal: session('Reader', P), action: 'kms:Decrypt', identityPolicies: 'allow-all', scps: [{ level: 'root', policies: ['FullAWSAccess', SCP_DENY_ALL_KMS] }], expect: 'allow' },
  { name: 'SCPs bind the root user of a member account', ref: DOC.scps, keyPolicy: doc(ROOT), principal: rootOf(), action: 'kms:Decrypt', scps: [{ level: 'root', policies: ['FullAWSAccess', SCP_DENY_ALL_KMS] }], expect: 'explicit-deny', sids: ['NoKms'] },
  { name: 'SCPs do not bind service principals', ref: DOC.scps, keyPolicy: doc(ROOT, { Sid: 'Logs', ...allow({ Service: 'logs.us-east-1.amazonaws.com' }, 'kms:Encrypt') }), principal: 'logs.us-east-1.amazonaws.com', action: 'kms:Encrypt', scps: [{ level: 'root', policies: ['FullAWSAccess', SCP_DENY_ALL_KMS] }], expect: 'allow' },
  { name: 'SCP Allow with NotAction (Sept 2025 grammar) as an allow-list', ref: DOC.scpSyntax, keyPolicy: doc(ROOT), principal: session('App'), action: 'kms:ScheduleKeyDeletion', identityPolicies: 'allow-all', scps: [...FULL, { level: 'account', policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'kms:ScheduleKeyDeletion', Resource: '*' }] }] }], expect: 'implicit-deny' },
  { name: 'SCP Allow with a condition (Sept 2025 grammar)', ref: DOC.scpSyntax, keyPolicy: doc(ROOT), principal: session('App'), action: 'kms:Decrypt', identityPolicies: 'allow-all', context: { 'aws:RequestedRegion': 'us-east-1' }, scps: [...FULL, { level: 'account', policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }] }] }], expect: 'implicit-deny' },
  { name: 'SCP Deny on one key ARN leaves other keys alone', ref: DOC.scpSyntax, keyPolicy: doc(ROOT), principal: session('App'), action: 'kms:PutKeyPolicy', identityPolicies: 'allow-all', scps: [{ level: 'root', policies: ['FullAWSAccess', { Version: '2012-10-17', Statement: [{ Sid: 'Lock', Effect: 'Deny', Action: 'kms:PutKeyPolicy', Resource: OTHER_KEY }] }] }], expect: 'allow' },

  // VPC endpoint policies.
  { name: 'the default endpoint policy allows everything', ref: DOC.endpointPolicy, keyPolicy: ADMIN_APP, principal: session('App'), action: 'kms:Decrypt', endpoint: { id: 'vpce-1' }, expect: 'allow' },
  { name: 'an endpoint policy bounds calls through it', ref: DOC.vpce, keyPolicy: ADMIN_APP, principal: session('App'), action: 'kms:Encrypt', endpoint: { id: 'vpce-1', policy: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] } }, expect: 'implicit-deny' },
  { name: 'an endpoint policy with {"AWS": "*"} (KMS doc example) allows', ref: DOC.vpce, keyPolicy: ADMIN_APP, principal: session('App'), action: 'kms:Decrypt', endpoint: { id: 'vpce-1', policy: { Statement: [{ Sid: 'Use', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Decrypt'], Resource: '*' }] } }, expect: 'allow', sids: ['App', 'Use'] },
  { name: 'an endpoint policy Deny is an explicit deny', ref: DOC.vpce, keyPolicy: ADMIN_APP, principal: session('App'), action: 'kms:Decrypt', endpoint: { id: 'vpce-1', policy: { Statement: [{ Sid: 'All', Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }, { Sid: 'NoDecrypt', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] } }, expect: 'explicit-deny', sids: ['NoDecrypt'] },
  { name: 'an endpoint policy naming one role refuses others', ref: DOC.vpce, keyPolicy: PUBLIC_DECRYPT, principal: session('App'), action: 'kms:Decrypt', endpoint: { id: 'vpce-1', policy: { Statement: [{ Effect: 'Allow', Principal: { AWS: role('Other') }, Action: '*', Resource: '*' }] } }, expect: 'implicit-deny' },
  { name: 'an endpoint policy account principal covers the account\'s roles', ref: DOC.vpce, keyPolicy: PUBLIC_DECRYPT, principal: session('App'), action: 'kms:Decrypt', endpoint: { id: 'vpce-1', policy: { Statement: [{ Effect: 'Allow', Principal: { AWS: K }, Action: '*', Resource: '*' }] } }, expect: 'allow' },

  // Grants.
  { name: 'a grant allows without any policy', ref: DOC.grants, keyPolicy: doc(ROOT), principal: session('Worker'), action: 'kms:Decrypt', grants: [{ name: 'g1', granteePrincipal: role('Worker'), operations: ['Decrypt'] }], expect: 'allow', sids: ['g1'] },
  { name: 'a key-policy Deny stops a grant', ref: DOC.grants, keyPolicy: doc(ROOT, { Sid: 'NoDecrypt', ...deny('*', 'kms:Decrypt') }), principal: session('Worker'), action: 'kms:Decrypt', grants: [{ granteePrincipal: role('Worker'), operations: ['kms:Decrypt'] }], expect: 'explicit-deny' },
  { name: 'a grant constraint on the encryption context', ref: DOC.grants, keyPolicy: doc(ROOT), principal: session('Worker'), action: 'kms:Decrypt', context: { 'kms:EncryptionContext:app': 'other' }, grants: [{ granteePrincipal: role('Worker'), operations: ['Decrypt'], constraints: { encryptionContextSubset: { app: 'billing' } } }], expect: 'implicit-deny' },
  { name: 'a grant gives only its operations', ref: DOC.grants, keyPolicy: doc(ROOT), principal: session('Worker'), action: 'kms:Encrypt', grants: [{ granteePrincipal: role('Worker'), operations: ['Decrypt'] }], expect: 'implicit-deny' },
  { name: 'a grant to another account\'s role works cross-account', ref: DOC.grants, keyPolicy: doc(ROOT), principal: session('Worker', P), action: 'kms:Decrypt', grants: [{ granteePrincipal: role('Worker', P), operations: ['Decrypt'] }], expect: 'allow' },
];

describe('simulate', () => {
  it('has a case for every evaluation rule', () => expect(cases.length).toBeGreaterThanOrEqual(100));
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const scenario: Json = {
      key: c.key ?? { arn: KEY },
      keyPolicy: c.keyPolicy,
      request: { principal: c.principal, action: c.action, ...(c.context ? { context: c.context } : {}) },
    };
    for (const k of ['identityPolicies', 'scps', 'endpoint', 'grants'] as const) if (c[k] !== undefined) scenario[k] = c[k];
    const r = simulate(scenario);
    expect(r.decision, `${c.ref}\n${r.notes.join('\n')}`).toBe(c.expect);
    if (c.sids) expect(r.statements.map((s) => s.sid)).toEqual(c.sids);
  });
});

describe('simulate: scenario validation names the JSON path', () => {
  const base = () => ({ key: { arn: KEY }, keyPolicy: ADMIN_APP, request: { principal: session('App'), action: 'kms:Decrypt' } });
  const place = (s: unknown) => {
    try {
      simulate(s, 'scenario.json');
    } catch (e) {
      if (e instanceof UserError) return `${e.file} ${e.place}`;
      throw e;
    }
    return 'no error';
  };
  it.each([
    ['missing principal', { ...base(), request: { action: 'kms:Decrypt' } }, 'scenario.json $.request.principal'],
    ['unknown action', { ...base(), request: { principal: session('App'), action: 'kms:Decryp' } }, 'scenario.json $.request.action'],
    ['unknown field', { ...base(), keypolicy: {} }, 'scenario.json $.keypolicy'],
    ['bad key ARN', { ...base(), key: { arn: 'arn:aws:s3:::bucket' } }, 'scenario.json $.key.arn'],
    ['bare-string principal in the key policy', { ...base(), keyPolicy: doc({ Effect: 'Allow', Principal: role('App'), Action: 'kms:Decrypt', Resource: '*' }) }, 'scenario.json $.keyPolicy.Statement[0].Principal'],
    ['unknown operator in an identity policy', { ...base(), identityPolicies: [identity(iamAllow('kms:Decrypt', '*', { Condition: { StringEqual: { 'aws:SourceVpce': 'x' } } }))] }, "scenario.json $.identityPolicies[0].Statement[0].Condition.StringEqual"],
    ['SCP level policies not an array', { ...base(), scps: [{ level: 'root', policies: 'FullAWSAccess' }] }, 'scenario.json $.scps[0].policies'],
    ['SCP with a Principal', { ...base(), scps: [{ level: 'root', policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }] }] }] }, 'scenario.json $.scps[0].policies[0].Statement[0].Principal'],
    ['grant with an operation grants cannot give', { ...base(), grants: [{ granteePrincipal: role('App'), operations: ['ScheduleKeyDeletion'] }] }, 'scenario.json $.grants[0].operations[0]'],
    ['context value object', { ...base(), request: { principal: session('App'), action: 'kms:Decrypt', context: { 'aws:SourceVpce': { a: 1 } } } }, "scenario.json $.request.context['aws:SourceVpce']"],
    ['not an object', [], 'scenario.json $'],
  ])('%s', (_n, s, expected) => expect(place(s)).toBe(expected));

  it('notes an unknown KMS action in the policy instead of failing (AWS accepts it)', () => {
    const r = simulate({ ...base(), keyPolicy: doc({ Sid: 'T', ...allow(aws(role('App')), ['kms:Decrypt', 'kms:Encypt']) }) });
    expect(r.decision).toBe('allow');
    expect(r.notes.some((n) => n.includes('kms:Encypt'))).toBe(true);
  });

  it('notes the keys it derived', () => {
    const r = simulate(base());
    expect(r.notes.some((n) => n.includes('aws:PrincipalArn') && n.includes('kms:CallerAccount'))).toBe(true);
  });
});

describe('scenarioFromFlags', () => {
  const policy = JSON.stringify(doc(ROOT, { Sid: 'DenyOutside', ...deny('*', 'kms:Decrypt', { Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } }) }));
  it('builds a scenario from --policy/--principal/--action/--context', () => {
    const s = scenarioFromFlags({ policy, principal: session('App'), action: 'kms:Decrypt', context: ['aws:SourceVpce=vpce-1'] });
    expect(simulate(s).decision).toBe('allow');
    expect(simulate(scenarioFromFlags({ policy, principal: session('App'), action: 'kms:Decrypt' })).decision).toBe('explicit-deny');
  });
  it('repeated --context keys become a multivalued key', () => {
    const s = scenarioFromFlags({ policy, principal: session('App'), action: 'kms:Decrypt', context: ['kms:EncryptionContextKeys=a', 'kms:EncryptionContextKeys=b'] }) as { request: { context: Json } };
    expect(s.request.context['kms:EncryptionContextKeys']).toEqual(['a', 'b']);
  });
  it('rejects a malformed --context pair and malformed policy JSON', () => {
    expect(() => scenarioFromFlags({ policy, principal: session('App'), action: 'kms:Decrypt', context: ['novalue'] })).toThrow(UserError);
    expect(() => scenarioFromFlags({ policy: '{"Statement": [', principal: session('App'), action: 'kms:Decrypt', policyFile: 'p.json' })).toThrow(/line 1, column/);
  });
});

describe('simulate: keys KMS sets from the request', () => {
  const base = (keyPolicy: Json, action: string, context: Json = {}) => simulate({ key: { arn: KEY }, keyPolicy, request: { principal: session('App'), action, context } });
  it('kms:GrantIsForAWSResource is false for a direct CreateGrant (a Deny on false fires)', () => {
    const kp = doc({ Sid: 'App', ...allow(aws(role('App')), 'kms:CreateGrant') }, { Sid: 'OnlyServices', ...deny('*', 'kms:CreateGrant', { Condition: { Bool: { 'kms:GrantIsForAWSResource': 'false' } } }) });
    expect(base(kp, 'kms:CreateGrant').decision, DOC.kmsConditions).toBe('explicit-deny');
    expect(base(kp, 'kms:CreateGrant', { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' }).decision).toBe('allow');
  });
  it('kms:EncryptionContextKeys follows the encryption context pairs, in their case', () => {
    const kp = EC_ALLOW('ForAllValues:StringEquals', 'kms:EncryptionContextKeys', ['Dept']);
    expect(base(kp, 'kms:Decrypt', { 'kms:EncryptionContext:Dept': 'a', 'kms:EncryptionContext:Other': 'b' }).decision, DOC.encryptionContext).toBe('implicit-deny');
    expect(base(kp, 'kms:Decrypt', { 'kms:EncryptionContext:Dept': 'a' }).decision).toBe('allow');
  });
  it('aws:SecureTransport is always true for KMS (a Deny on false never fires)', () => {
    const kp = doc({ Sid: 'App', ...allow(aws(role('App')), 'kms:Decrypt') }, { Sid: 'Tls', ...deny('*', 'kms:*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } }) });
    expect(base(kp, 'kms:Decrypt').decision, DOC.globalKeys).toBe('allow');
  });
  it('aws:RequestedRegion is the key\'s region', () => {
    const kp = doc({ Sid: 'App', ...allow(aws(role('App')), 'kms:Decrypt') }, { Sid: 'Region', ...deny('*', 'kms:*', { Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }) });
    expect(base(kp, 'kms:Decrypt').decision, DOC.globalKeys).toBe('explicit-deny');
  });
});
