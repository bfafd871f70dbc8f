resource "aws_iam_role" "service" {
  name = "${var.name}-service"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "Administration"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [var.admin_role_arn]
    }
  }

  statement {
    sid       = "Use"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = concat([aws_iam_role.service.arn], var.user_role_arns)
    }
    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:tenant"
      values   = [var.name]
    }
  }
}

resource "aws_kms_key" "this" {
  description         = "Tenant ${var.name}"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key.json
}

resource "aws_kms_alias" "this" {
  name          = "alias/${replace(var.name, ".", "-")}"
  target_key_id = aws_kms_key.this.key_id
}

# jsonencode inside the module: the operator comes from the caller, the tenant name from each.key.
resource "aws_kms_key" "operations" {
  description         = "Tenant ${var.name} operations"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Operator"
      Effect    = "Allow"
      Principal = { AWS = var.operator_role_arn }
      Action    = ["kms:Decrypt", "kms:DescribeKey"]
      Resource  = "*"
      Condition = { StringEquals = { "kms:EncryptionContext:tenant" = var.name } }
    }]
  })
}
