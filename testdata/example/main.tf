# Acme platform team: the KMS estate of the payments workload account (111122223333, eu-west-1).
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

  default_tags {
    tags = {
      owner      = "platform-security"
      managed-by = "terraform"
    }
  }
}

data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id

  # Administer every service key; Terraform's deploy role needs the same rights to manage key policies.
  key_admin_roles = [
    "arn:aws:iam::${local.account_id}:role/platform-kms-admin",
    "arn:aws:iam::${local.account_id}:role/terraform-deploy",
  ]
}

variable "organization_root_id" {
  description = "The organization root, where organization-wide guardrails are attached."
  type        = string
  default     = "r-7k2p"
}

variable "workloads_ou_id" {
  description = "The OU holding the workload accounts."
  type        = string
  default     = "ou-7k2p-wrk4ld5x"
}
