variable "name" {
  description = "Tenant name, used in the key description, alias and encryption context."
  type        = string
}

variable "admin_role_arn" {
  type = string
}

variable "operator_role_arn" {
  type = string
}

variable "user_role_arns" {
  type    = list(string)
  default = []
}
