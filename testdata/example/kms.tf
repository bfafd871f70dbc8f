# Service keys: one module instance per service, each with its own key policy and alias.
module "service_keys" {
  source   = "./modules/kms-key"
  for_each = local.services

  name             = each.key
  description      = each.value.description
  admin_role_arns  = local.key_admin_roles
  user_role_arns   = each.value.users
  multi_region     = each.value.multi_region
  source_vpc_id    = var.workloads_vpc_id
}

locals {
  services = {
    "orders" = {
      description  = "Orders service data"
      users        = [aws_iam_role.orders_service.arn]
      multi_region = false
    }
    "payments.eu" = {
      description = "Card payments (EU)"
      users = [
        "arn:aws:iam::${local.account_id}:role/payments-api",
        # The card processor's settlement role, in the processor's own account.
        "arn:aws:iam::444455556666:role/acme-settlement",
      ]
      multi_region = false
    }
    "ledger-prod" = {
      description  = "General ledger (replicated to the DR region)"
      users        = ["arn:aws:iam::${local.account_id}:role/ledger-service"]
      multi_region = true
    }
  }
}

# Developer sandbox: a short deletion window so experiments can be cleaned up quickly.
module "sandbox_key" {
  source = "./modules/kms-key"

  name                    = "sandbox"
  description             = "Developer sandbox"
  admin_role_arns         = local.key_admin_roles
  user_role_arns          = ["arn:aws:iam::${local.account_id}:role/developer"]
  deletion_window_in_days = 7
  source_vpc_id           = var.workloads_vpc_id
}

# Legacy key from before the platform standards: created by hand-written Terraform years ago.
resource "aws_kms_key" "legacy_exports" {
  description         = "Nightly CSV exports (legacy)"
  enable_key_rotation = false
}

resource "aws_kms_alias" "legacy_exports" {
  name          = "alias/legacy-exports"
  target_key_id = aws_kms_key.legacy_exports.key_id
}

# The reporting ETL job reads the ledger through a grant rather than the key policy.
resource "aws_kms_grant" "reporting_etl" {
  name              = "reporting-etl"
  key_id            = module.service_keys["ledger-prod"].key_id
  grantee_principal = aws_iam_role.reporting_etl.arn
  operations        = ["Decrypt", "DescribeKey"]
}
