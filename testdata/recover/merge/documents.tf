# Documents merged with source_policy_documents and override_policy_documents (later wins by Sid).

# Only constants: read while planning, so its json is in prior_state.
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "RootAdministration"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }

  statement {
    sid       = "Audit"
    actions   = ["kms:Describe*", "kms:List*", "kms:Get*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/audit"]
    }
  }
}

# Names a role created in this plan: read at apply time.
data "aws_iam_policy_document" "use" {
  version = "2008-10-17"
  statement {
    sid       = "KeyUse"
    actions   = ["kms:Encrypt", "kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.app.arn]
    }
  }
}

data "aws_iam_policy_document" "override" {
  statement {
    sid       = "Audit"
    actions   = ["kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.auditor.arn]
    }
  }
}

data "aws_iam_policy_document" "key" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json, data.aws_iam_policy_document.use.json]
  override_policy_documents = [data.aws_iam_policy_document.override.json]

  statement {
    sid       = "KeyAdministration"
    actions   = ["kms:Put*", "kms:Update*", "kms:ScheduleKeyDeletion"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.admin.arn]
    }
  }

  statement {
    actions   = ["kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["111122223333"]
    }
  }
}

resource "aws_kms_key" "main" {
  description         = "Merged policy documents"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key.json
}

# An override written with jsonencode: the plan's configuration shows only its references.
data "aws_iam_policy_document" "inline_override" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [jsonencode({
    Statement = [{
      Sid       = "RootAdministration"
      Effect    = "Allow"
      Principal = { AWS = ["arn:aws:iam::111122223333:root", aws_iam_role.admin.arn] }
      Action    = "kms:*"
      Resource  = "*"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = true } }
    }]
  })]
}

resource "aws_kms_key" "inline_override" {
  description         = "Override written with jsonencode"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.inline_override.json
}
