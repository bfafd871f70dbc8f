# The workload VPC belongs to the network team's stack; this stack adds the KMS interface endpoint, and
# the key policies accept requests only from inside that VPC.
variable "workloads_vpc_id" {
  type    = string
  default = "vpc-0c4f1e7a9b2d3e5f6"
}

variable "workloads_vpc_cidr" {
  type    = string
  default = "10.60.0.0/16"
}

variable "private_subnet_ids" {
  type    = list(string)
  default = ["subnet-0a1b2c3d4e5f60718", "subnet-0b2c3d4e5f6071829"]
}

resource "aws_security_group" "kms_endpoint" {
  name        = "kms-endpoint"
  description = "HTTPS to KMS from the workload VPC"
  vpc_id      = var.workloads_vpc_id

  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.workloads_vpc_cidr]
  }
}

resource "aws_vpc_endpoint" "kms" {
  vpc_id              = var.workloads_vpc_id
  service_name        = "com.amazonaws.eu-west-1.kms"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = var.private_subnet_ids
  security_group_ids  = [aws_security_group.kms_endpoint.id]

  # Only the service keys, only for principals of this account.
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "ServiceKeysFromThisAccount"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = [for key in module.service_keys : key.key_arn]
        Condition = { StringEquals = { "aws:PrincipalAccount" = local.account_id } }
      },
    ]
  })
}
