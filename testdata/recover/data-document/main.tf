# A key policy from a data.aws_iam_policy_document that names roles and a user created in the same
# plan: the document is read only at apply time, so the plan knows neither its json nor the key policy.
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

data "aws_caller_identity" "current" {}

locals {
  assume_ec2 = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

# Name and path are known: the recovery can write the role's ARN.
resource "aws_iam_role" "admin" {
  name               = "kms-admin"
  path               = "/security/"
  assume_role_policy = local.assume_ec2
}

# Only a name prefix: the ARN stays symbolic.
resource "aws_iam_role" "app" {
  name_prefix        = "kms-app-"
  assume_role_policy = local.assume_ec2
}

resource "aws_iam_user" "auditor" {
  name = "kms-auditor"
}
