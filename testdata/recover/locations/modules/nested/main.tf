variable "name" {
  type = string
}

resource "aws_kms_key" "this" {
  description = "nested ${var.name}"
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}
