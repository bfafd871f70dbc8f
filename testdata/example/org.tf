# Organization guardrails, deployed from this stack by delegated administration.

resource "aws_organizations_policy" "deny_kms_key_deletion" {
  name        = "deny-kms-key-deletion"
  description = "Only the kms-guardian role may schedule key deletion or delete imported key material"
  type        = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "DenyKeyDeletion"
        Effect   = "Deny"
        Action   = ["kms:ScheduleKeyDeletion", "kms:Delete*"]
        Resource = "*"
        Condition = {
          ArnNotLike = { "aws:PrincipalArn" = "arn:aws:iam::*:role/kms-guardian" }
        }
      },
    ]
  })
}

resource "aws_organizations_policy_attachment" "deny_kms_key_deletion" {
  policy_id = aws_organizations_policy.deny_kms_key_deletion.id
  target_id = var.workloads_ou_id
}

data "aws_iam_policy_document" "protect_kms_key_policies" {
  statement {
    sid       = "OnlyKeyOwnersChangeKeyPolicies"
    effect    = "Deny"
    actions   = ["kms:PutKeyPolicy"]
    resources = ["*"]
    condition {
      test     = "ArnNotLike"
      variable = "aws:PrincipalArn"
      values = [
        "arn:aws:iam::*:role/platform-kms-admin",
        "arn:aws:iam::*:role/terraform-deploy",
      ]
    }
  }
}

resource "aws_organizations_policy" "protect_kms_key_policies" {
  name        = "protect-kms-key-policies"
  description = "Only key owners may replace key policies"
  type        = "SERVICE_CONTROL_POLICY"
  content     = data.aws_iam_policy_document.protect_kms_key_policies.json
}

resource "aws_organizations_policy_attachment" "protect_kms_key_policies" {
  policy_id = aws_organizations_policy.protect_kms_key_policies.id
  target_id = var.organization_root_id
}
