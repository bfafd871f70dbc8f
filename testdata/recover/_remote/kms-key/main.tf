# Served over HTTP by scripts/regen-recover-fixtures.sh: a module that is not on disk beside the
# configurations that call it.
variable "name" {
  type = string
}

resource "aws_kms_key" "this" {
  description = "remote ${var.name}"
}

data "aws_iam_policy_document" "this" {
  statement {
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [aws_kms_key.this.arn]
    }
  }
}
