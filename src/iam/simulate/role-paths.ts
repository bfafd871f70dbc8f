// A session ARN (assumed-role/Name/session) has no IAM path; aws:PrincipalArn needs it. The policies
// usually name the role with its path, so learn it from them.
import type { RolePaths } from '../evaluate/caller';
import type { PolicyDocument } from '../policy/types';

export function rolePathsOf(docs: readonly PolicyDocument[]): RolePaths {
  const out = new Map<string, string>();
  const learn = (text: string) => {
    const m = /^arn:aws[a-z-]*:iam::(\d{12}):role(\/.*\/|\/)([^/]+)$/.exec(text);
    if (m && m[1] && m[2] && m[3] && !m[3].includes('*')) out.set(`${m[1]}/${m[3].toLowerCase()}`, m[2]);
  };
  for (const d of docs) {
    for (const st of d.statements) {
      for (const v of st.principal?.values ?? []) if (v.type === 'role') learn(v.raw);
      for (const c of st.conditions) if (c.keyLower === 'aws:principalarn') c.values.forEach(learn);
    }
  }
  return out;
}
