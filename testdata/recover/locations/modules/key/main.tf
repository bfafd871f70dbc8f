variable "name" {
  type = string
}

resource "aws_kms_key" "this" {
  description = "key ${var.name}"
}

module "nested" {
  source = "../nested"
  name   = "${var.name}-nested"
}

module "remote_inner" {
  source = "http://127.0.0.1:47122/kms-key.tar.gz"
  name   = "${var.name}-remote"
}
