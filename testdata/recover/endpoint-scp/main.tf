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

resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"
}

resource "aws_kms_key" "main" {
  description         = "Key the endpoint policy allows"
  enable_key_rotation = true
}

resource "aws_iam_role" "guardian" {
  name               = "kms-guardian"
  assume_role_policy = local.assume_ec2
}

resource "aws_iam_role" "breakglass" {
  name_prefix        = "breakglass-"
  assume_role_policy = local.assume_ec2
}
