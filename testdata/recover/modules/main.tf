terraform {
  required_version = ">= 1.11"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}


locals {
  assume_ec2 = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

data "aws_caller_identity" "current" {}

resource "aws_iam_role" "admin" {
  name               = "platform-kms-admin"
  assume_role_policy = local.assume_ec2
}

resource "aws_iam_role" "operator" {
  name_prefix        = "kms-operator-"
  assume_role_policy = local.assume_ec2
}

# One module instance per tenant; the tenant name (each.key) ends up in the key policies.
module "tenant" {
  source   = "./modules/tenant-key"
  for_each = {
    "payments.eu" = ["arn:aws:iam::111122223333:role/payments-api"]
    "ledger"      = []
  }

  name              = each.key
  admin_role_arn    = aws_iam_role.admin.arn
  operator_role_arn = aws_iam_role.operator.arn
  user_role_arns    = each.value
}

module "shared" {
  source = "./modules/tenant-key"
  count  = 2

  name              = "shared-${count.index}"
  admin_role_arn    = aws_iam_role.admin.arn
  operator_role_arn = aws_iam_role.operator.arn
}

# for_each at the root: each.key selects the team's role.
resource "aws_iam_role" "team" {
  for_each           = toset(["blue", "green"])
  name_prefix        = "team-${each.key}-"
  assume_role_policy = local.assume_ec2
}

resource "aws_kms_key" "team" {
  for_each            = aws_iam_role.team
  description         = "Team ${each.key}"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Team${each.key}"
        Effect    = "Allow"
        Principal = { AWS = each.value.arn }
        Action    = ["kms:Encrypt", "kms:Decrypt"]
        Resource  = "*"
      },
      {
        Sid       = "Admin"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.admin.arn }
        Action    = "kms:*"
        Resource  = "*"
      },
    ]
  })
}
