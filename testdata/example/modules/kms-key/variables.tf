variable "name" {
  description = "Service name; the alias is alias/<name> with dots turned into dashes."
  type        = string
}

variable "description" {
  type = string
}

variable "admin_role_arns" {
  description = "Roles that administer the key (and only administer it)."
  type        = list(string)
}

variable "user_role_arns" {
  description = "Roles that use the key to encrypt and decrypt."
  type        = list(string)
}

variable "source_vpc_id" {
  description = "The VPC (through its KMS endpoint) from which the key may be used."
  type        = string
}

variable "multi_region" {
  type    = bool
  default = false
}

variable "deletion_window_in_days" {
  type    = number
  default = 30
}
