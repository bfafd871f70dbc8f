# A service control policy whose content names roles created in the same plan.
resource "aws_organizations_organization" "org" {
  feature_set = "ALL"
}

resource "aws_organizations_organizational_unit" "workloads" {
  name      = "workloads"
  parent_id = aws_organizations_organization.org.roots[0].id
}

resource "aws_organizations_policy" "deny_key_deletion" {
  name = "deny-kms-key-deletion"
  type = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "DenyKeyDeletion"
      Effect   = "Deny"
      Action   = ["kms:ScheduleKeyDeletion", "kms:Delete*", "kms:DisableKey"]
      Resource = "*"
      Condition = {
        ArnNotLike = { "aws:PrincipalArn" = [aws_iam_role.guardian.arn, aws_iam_role.breakglass.arn] }
      }
    }]
  })
}

resource "aws_organizations_policy_attachment" "workloads" {
  policy_id = aws_organizations_policy.deny_key_deletion.id
  target_id = aws_organizations_organizational_unit.workloads.id
}
