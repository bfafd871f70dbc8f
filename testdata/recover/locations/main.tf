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


# resource "aws_kms_key" "commented_hash" {
// resource "aws_kms_key" "commented_slashes" {
/*
resource "aws_kms_key" "commented_block" {
  description = "not a block: inside a comment"
}
*/

locals {
  # Strings and heredocs that look like blocks must not move the block finder.
  fake_string = "resource \"aws_kms_key\" \"in_string\" { # not a comment"
  braces      = "${join("}", ["{", "}"])} /* not a comment */ ${"{"}"
  fake_heredoc = <<EOT
resource "aws_kms_key" "in_heredoc" {
}
  EOT still inside: the marker must stand alone on its line
${jsonencode({ resource = "}" })}
EOT
  fake_indented = <<-EOT
    data "aws_iam_policy_document" "in_indented_heredoc" {
    EOT
}

resource "aws_kms_key" "root" {
  description = "root key { with braces } and # hash and // slashes"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*" }]
  })
}

resource "aws_kms_key" "one_line" { description = "one line" }

resource aws_kms_key bare_labels {
  description = "labels written as identifiers"
}

data "aws_iam_policy_document" "root" {
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["*"]
  }
}

module "local_key" {
  source = "./modules/key"
  name   = "local"
}

module "remote_key" {
  source = "http://127.0.0.1:47122/kms-key.tar.gz"
  name   = "remote"
}

module "counted" {
  source = "./modules/nested"
  count  = 2
  name   = "counted-${count.index}"
}
