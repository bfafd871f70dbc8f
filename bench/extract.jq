# The KMS extraction of floor.mjs in jq (1.6 or later): keys, key policies, KMS endpoints and SCPs of
# resource_changes, data policy documents of prior_state, and the statements of their documents.
def modules: ., (.child_modules[]? | modules);
def statements: if type == "string" then (fromjson | .Statement | if type == "array" then length else 1 end) else empty end;
[.resource_changes[]
  | (.change.after // .change.before // {}) as $values
  | select(.type == "aws_kms_key" or .type == "aws_kms_key_policy" or .type == "aws_organizations_policy"
      or (.type == "aws_vpc_endpoint" and (($values.service_name // "") | test("\\.kms(-fips)?$"))))
  | {type, statements: [($values.policy // $values.content) | statements]}] as $changes
| [.prior_state.values.root_module // {} | modules | .resources[]?
  | select(.mode == "data" and .type == "aws_iam_policy_document") | [.values.json | statements]] as $data
| {keys: ([$changes[] | select(.type == "aws_kms_key")] | length),
   keyPolicies: ([$changes[] | select(.type == "aws_kms_key_policy")] | length),
   kmsEndpoints: ([$changes[] | select(.type == "aws_vpc_endpoint")] | length),
   scps: ([$changes[] | select(.type == "aws_organizations_policy")] | length),
   documents: (([$changes[].statements[]] + [$data[][]]) | length),
   statements: (([$changes[].statements[]] + [$data[][]]) | add // 0)}
