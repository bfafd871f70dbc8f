# A key policy written with jsonencode that names roles and an endpoint created in the same plan: the
# configuration view of the plan shows only its references, so it is rebuilt from this source.
resource "aws_kms_key" "main" {
  description         = "Policy from jsonencode"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Id      = "key-jsonencode"
    Statement = [
      {
        Sid       = "RootAdministration"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "KeyAdministration"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.admin.arn }
        Action = [
          "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
          "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:ScheduleKeyDeletion",
          "kms:CancelKeyDeletion",
        ]
        Resource = "*"
      },
      {
        Sid       = "KeyUseThroughEndpoint"
        Effect    = "Allow"
        Principal = { AWS = [aws_iam_role.app.arn] }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:SourceVpce"    = aws_vpc_endpoint.kms.id
            "kms:CallerAccount" = data.aws_caller_identity.current.account_id
          }
        }
      },
      {
        Sid       = "DenyOutsideEndpoint"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = {
          StringNotEquals = { "aws:SourceVpce" = [aws_vpc_endpoint.kms.id] }
          BoolIfExists    = { "aws:ViaAWSService" = "false" }
        }
      },
    ]
  })
}

# An identity policy scoped to the new key: its Resource is the key's ARN.
resource "aws_iam_role_policy" "app_decrypt" {
  name = "decrypt-main-key"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["kms:Decrypt", "kms:DescribeKey"]
      Resource = aws_kms_key.main.arn
    }]
  })
}

# An inline policy of a role (a nested block), naming the new key.
resource "aws_iam_role" "reader" {
  name               = "kms-reader"
  assume_role_policy = local.assume_ec2
  inline_policy {
    name = "read-main-key"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.main.arn }]
    })
  }
}
