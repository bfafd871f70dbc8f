# Statements generated with dynamic blocks, which the plan's configuration view leaves out entirely.
locals {
  grants = {
    Decrypt = {
      actions    = ["kms:Decrypt", "kms:DescribeKey"]
      principals = [aws_iam_role.app.arn]
    }
    Administer = {
      actions    = ["kms:Put*", "kms:ScheduleKeyDeletion"]
      principals = [aws_iam_role.admin.arn, "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/breakglass"]
    }
  }
}

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "RootAdministration"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  dynamic "statement" {
    for_each = local.grants
    iterator = grant
    content {
      sid       = grant.key
      actions   = grant.value.actions
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = grant.value.principals
      }
      dynamic "condition" {
        for_each = grant.key == "Decrypt" ? ["s3", "sqs"] : []
        content {
          test     = "StringEquals"
          variable = "kms:ViaService"
          values   = ["${condition.value}.eu-west-1.amazonaws.com"]
        }
      }
    }
  }
}

resource "aws_kms_key" "dynamic" {
  description         = "Statements from dynamic blocks"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key.json
}
