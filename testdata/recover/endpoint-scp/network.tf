# An endpoint policy that allows only the new key, inline and through aws_vpc_endpoint_policy.
resource "aws_vpc_endpoint" "kms" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.eu-west-1.kms"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"]
      Resource  = [aws_kms_key.main.arn]
      Condition = { StringEquals = { "aws:PrincipalAccount" = data.aws_caller_identity.current.account_id } }
    }]
  })
}

resource "aws_vpc_endpoint" "kms_fips" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.kms-fips"
  vpc_endpoint_type = "Interface"
}

resource "aws_vpc_endpoint_policy" "kms_fips" {
  vpc_endpoint_id = aws_vpc_endpoint.kms_fips.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "OnlyThisKey"
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.guardian.arn }
      Action    = "kms:*"
      Resource  = aws_kms_key.main.arn
    }]
  })
}
