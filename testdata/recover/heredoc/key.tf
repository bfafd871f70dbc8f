# Policies written as heredocs and quoted templates with ${...} interpolation of new resources.
resource "aws_kms_key" "heredoc" {
  description         = "Policy from a heredoc"
  enable_key_rotation = true
  policy              = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "KeyAdministration",
      "Effect": "Allow",
      "Principal": { "AWS": "${aws_iam_role.admin.arn}" },
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": "KeyUse",
      "Effect": "Allow",
      "Principal": {
        "AWS": [
          "${aws_iam_role.app.arn}",
          "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/operations"
        ]
      },
      "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"],
      "Resource": "*",
      "Condition": {
        "StringLike": { "aws:userid": "$${aws:userid}" }
      }
    }
  ]
}
EOF
}

resource "aws_kms_key" "indented" {
  description         = "Policy from an indented heredoc"
  enable_key_rotation = true
  policy              = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "KeyUse",
          "Effect": "Allow",
          "Principal": { "AWS": "${aws_iam_role.app.arn}" },
          "Action": "kms:Decrypt",
          "Resource": "*"
        }
      ]
    }
  EOT
}

# A quoted template with escaped quotes.
resource "aws_iam_role_policy" "app_decrypt" {
  name   = "decrypt-heredoc-key"
  role   = aws_iam_role.app.id
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"${aws_kms_key.heredoc.arn}\"}]}"
}
