data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "orders_service" {
  name               = "orders-service"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy" "orders_service_kms" {
  name = "orders-kms"
  role = aws_iam_role.orders_service.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"]
        Resource = module.service_keys["orders"].key_arn
      },
    ]
  })
}

resource "aws_iam_role" "reporting_etl" {
  name               = "reporting-etl"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

# Support engineers decrypt customer exports while debugging.
resource "aws_iam_policy" "support_decrypt" {
  name        = "support-decrypt"
  description = "Decrypt for support engineers"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:DescribeKey"]
        Resource = "*"
      },
    ]
  })
}
