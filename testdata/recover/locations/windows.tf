resource "aws_kms_key" "crlf" {
  description = "CRLF line ends"
}

/* a comment
   resource "aws_kms_key" "crlf_comment" { */
resource "aws_kms_alias" "crlf" {
  name          = "alias/crlf"
  target_key_id = aws_kms_key.crlf.key_id
}
