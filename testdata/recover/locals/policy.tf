# A key policy assembled from locals: locals are not in the plan, only in the source.
locals {
  assume_ec2 = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })

  partition  = "aws"
  account_id = data.aws_caller_identity.current.account_id
  account    = "arn:${local.partition}:iam::${local.account_id}:root"

  admin_arns = [aws_iam_role.admin.arn, "arn:${local.partition}:iam::${local.account_id}:role/breakglass"]
  key_users = {
    app   = aws_iam_role.app.arn
    batch = "arn:${local.partition}:iam::${local.account_id}:role/batch"
  }
  crypto_actions = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]

  root_statement = {
    Sid       = "RootAdministration"
    Effect    = "Allow"
    Principal = { AWS = local.account }
    Action    = "kms:*"
    Resource  = "*"
  }
  statements = concat([local.root_statement], [
    {
      Sid       = "Administrators"
      Effect    = "Allow"
      Principal = { AWS = local.admin_arns }
      Action    = ["kms:Create*", "kms:Describe*", "kms:Put*", "kms:ScheduleKeyDeletion"]
      Resource  = "*"
    },
    {
      Sid       = "Users"
      Effect    = "Allow"
      Principal = { AWS = values(local.key_users) }
      Action    = local.crypto_actions
      Resource  = "*"
      Condition = { StringEquals = { "kms:CallerAccount" = local.account_id } }
    },
  ])
  policy = {
    Version   = "2012-10-17"
    Statement = local.statements
  }
}

resource "aws_kms_key" "locals" {
  description         = "Policy from locals"
  enable_key_rotation = true
  policy              = jsonencode(local.policy)
}

resource "aws_kms_key" "merged" {
  description         = "Policy from locals through merge()"
  enable_key_rotation = true
  policy              = jsonencode(merge(local.policy, { Id = "merged-${local.account_id}" }))
}
