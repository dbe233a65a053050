# Named exactly after the API's environment variables (apps/api config), so deploying with
# Terraform is `terraform output -json` -> environment, one to one. COGNITO_ENDPOINT is local-only.

output "COGNITO_REGION" {
  description = "AWS region of the pool."
  value       = data.aws_region.current.id
}

output "COGNITO_USER_POOL_ID" {
  description = "User pool id."
  value       = aws_cognito_user_pool.this.id
}

output "COGNITO_ISSUER" {
  description = "Token issuer (iss claim)."
  value       = "https://${aws_cognito_user_pool.this.endpoint}"
}

output "COGNITO_JWKS_URI" {
  description = "Signing keys of the pool."
  value       = "https://${aws_cognito_user_pool.this.endpoint}/.well-known/jwks.json"
}

output "COGNITO_CLIENT_IDS" {
  description = "Comma-separated client ids the API accepts tokens from (sorted by client key)."
  value       = join(",", [for k in sort(keys(var.clients)) : aws_cognito_user_pool_client.this[k].id])
}

output "COGNITO_AUTH_CLIENT_ID" {
  description = "The confidential client the API's auth endpoints use."
  value       = aws_cognito_user_pool_client.this[local.backend_key].id
}

output "COGNITO_AUTH_CLIENT_SECRET" {
  description = "Secret of the confidential client. Store it in Secrets Manager; never in plain config."
  value       = aws_cognito_user_pool_client.this[local.backend_key].client_secret
  sensitive   = true
}

output "COGNITO_MACHINE_CLIENT_IDS" {
  description = "Comma-separated client-credentials client ids whose tokens the API takes as machine principals."
  value       = join(",", [for k in sort(keys(var.machine_clients)) : aws_cognito_user_pool_client.machine[k].id])
}

output "machine_client_secrets" {
  description = "Machine client secrets by key, for the integrations that use them; not an API variable."
  value       = { for k, c in aws_cognito_user_pool_client.machine : k => c.client_secret }
  sensitive   = true
}

output "web_client_ids" {
  description = "Public (browser) client ids by key, for the SPA's config.json clientId; not an API variable."
  value       = { for k in local.public_keys : k => aws_cognito_user_pool_client.this[k].id }
}

output "hosted_ui_domain" {
  description = "Hosted UI base URL; not an API variable."
  value       = "https://${aws_cognito_user_pool_domain.this.domain}.auth.${data.aws_region.current.id}.amazoncognito.com"
}

output "cli_client_id" {
  description = "The command-line client's id (CDK context existingCliClientId, config.json's cliClientId); not an API variable."
  value       = one([for k in local.native_keys : aws_cognito_user_pool_client.this[k].id])
}

output "identity_providers" {
  description = "Comma-separated external providers the hosted-UI clients offer (CDK context existingIdentityProviders); not an API variable."
  value       = join(",", local.identity_providers)
}
