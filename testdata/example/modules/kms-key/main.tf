# A service key to the platform standard: rotated, 30-day deletion window, an explicit key policy with
# administrators and users kept apart, usable only from inside the workload VPC, and an alias.
data "aws_caller_identity" "current" {}

locals {
  account_root = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"
}

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
  multi_region            = var.multi_region
}

resource "aws_kms_key_policy" "this" {
  key_id = aws_kms_key.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "RootUserOnly"
        Effect    = "Allow"
        Principal = { AWS = local.account_root }
        Action    = "kms:*"
        Resource  = "*"
        Condition = { StringEquals = { "aws:PrincipalType" = "Account" } }
      },
      {
        Sid       = "KeyAdministration"
        Effect    = "Allow"
        Principal = { AWS = var.admin_role_arns }
        Action = [
          "kms:Describe*", "kms:Get*", "kms:List*", "kms:PutKeyPolicy", "kms:Enable*", "kms:Disable*",
          "kms:Update*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion",
          "kms:CancelKeyDeletion",
        ]
        Resource = "*"
      },
      {
        Sid       = "KeyUse"
        Effect    = "Allow"
        Principal = { AWS = var.user_role_arns }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
      },
      {
        Sid       = "DenyOutsideWorkloadVpc"
        Effect    = "Deny"
        Principal = "*"
        Action    = "kms:*"
        Resource  = "*"
        Condition = {
          StringNotEquals = { "aws:SourceVpc" = var.source_vpc_id }
          BoolIfExists    = { "aws:PrincipalIsAWSService" = "false" }
          ArnNotLike      = { "aws:PrincipalArn" = concat(var.admin_role_arns, [local.account_root]) }
        }
      },
    ]
  })
}

resource "aws_kms_alias" "this" {
  name          = "alias/${replace(var.name, ".", "-")}"
  target_key_id = aws_kms_key.this.key_id
}
