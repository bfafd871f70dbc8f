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

resource "aws_iam_role" "admin" {
  name               = "kms-admin"
  assume_role_policy = local.assume_ec2
}

resource "aws_iam_role" "app" {
  name_prefix        = "kms-app-"
  assume_role_policy = local.assume_ec2
}
