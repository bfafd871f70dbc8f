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

resource "aws_iam_role" "admin" {
  name               = "kms-admin"
  assume_role_policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": "sts:AssumeRole",
          "Principal": { "Service": "ec2.amazonaws.com" }
        }
      ]
    }
  POLICY
}

resource "aws_iam_role" "app" {
  name_prefix        = "kms-app-"
  assume_role_policy = aws_iam_role.admin.assume_role_policy
}
