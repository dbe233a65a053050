terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0" # refresh_token_rotation on clients (5.100 is the oldest tested)
    }
  }
}
