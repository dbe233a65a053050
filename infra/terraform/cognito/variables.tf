# Pool settings: generated from packages/pool-definition into pool.auto.tfvars.json
# (npm run -w infra tfvars). Do not edit those values here or in the JSON by hand.

variable "pool_name" {
  description = "Base name of the user pool (the environment is appended)."
  type        = string
}

variable "username_attributes" {
  description = "Attributes users sign in with instead of a username."
  type        = list(string)
}

variable "auto_verified_attributes" {
  description = "Attributes Cognito verifies by sending a code."
  type        = list(string)
}

variable "attributes_require_verification_before_update" {
  description = "Attributes whose new value applies only once verified (the old one stays for sign-in meanwhile); each must be auto-verified."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.attributes_require_verification_before_update : contains(var.auto_verified_attributes, a)])
    error_message = "every attribute in attributes_require_verification_before_update must also be in auto_verified_attributes."
  }
}

variable "mfa_configuration" {
  description = "OFF, OPTIONAL or ON."
  type        = string

  validation {
    condition     = contains(["OFF", "OPTIONAL", "ON"], var.mfa_configuration)
    error_message = "mfa_configuration must be OFF, OPTIONAL or ON."
  }
}

variable "allowed_first_auth_factors" {
  description = "Choice-based sign-in (USER_AUTH): first factors besides the password, e.g. EMAIL_OTP (kept only with ses_email) or WEB_AUTHN."
  type        = list(string)
  default     = ["PASSWORD"]

  validation {
    condition     = contains(var.allowed_first_auth_factors, "PASSWORD") && alltrue([for f in var.allowed_first_auth_factors : contains(["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"], f)])
    error_message = "allowed_first_auth_factors must include PASSWORD and hold only PASSWORD, EMAIL_OTP or WEB_AUTHN."
  }
}

variable "passkey_user_verification" {
  description = "Passkeys (WebAuthnConfiguration): required or preferred user verification; null: no passkey settings (ADR 0142)."
  type        = string
  default     = null

  validation {
    condition     = var.passkey_user_verification == null || contains(["required", "preferred"], coalesce(var.passkey_user_verification, "preferred"))
    error_message = "passkey_user_verification must be required, preferred or null."
  }
}

variable "passkey_relying_party_id" {
  description = "Passkey relying-party id, per deployment: the web app's domain (the SPA registers passkeys from its origin). null: Cognito uses the pool's domain."
  type        = string
  default     = null
}

variable "mfa_factors" {
  description = "Second factors users may turn on: SOFTWARE_TOKEN_MFA (authenticator app) and/or EMAIL_OTP (needs SES)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for f in var.mfa_factors : contains(["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"], f)])
    error_message = "mfa_factors may hold SOFTWARE_TOKEN_MFA and EMAIL_OTP."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the pool while true."
  type        = bool
}

variable "domain_prefix" {
  description = "Hosted UI domain prefix from the definition (globally unique: override per environment with domain_prefix_override)."
  type        = string
}

variable "password_policy" {
  description = "Password policy (length over composition, see ADR 0007)."
  type = object({
    minimum_length                   = number
    require_lowercase                = bool
    require_uppercase                = bool
    require_numbers                  = bool
    require_symbols                  = bool
    temporary_password_validity_days = number
  })

  validation {
    condition     = var.password_policy.minimum_length >= 8
    error_message = "minimum_length must be at least 8."
  }
}

variable "schema" {
  description = "User attributes with their type and flags."
  type = list(object({
    name                = string
    attribute_data_type = string
    required            = bool
    mutable             = bool
  }))
}

variable "groups" {
  description = "Groups by name."
  type = map(object({
    description = optional(string)
    precedence  = optional(number)
  }))
}

variable "clients" {
  description = "App clients by stable key (\"web\", \"backend\", \"cli\")."
  type = map(object({
    name                          = string
    generate_secret               = bool
    explicit_auth_flows           = list(string)
    prevent_user_existence_errors = string
    enable_token_revocation       = bool
    access_token_minutes          = number
    id_token_minutes              = number
    refresh_token_validity        = number
    refresh_token_unit            = string
    callback_urls                 = list(string)
    logout_urls                   = list(string)
    oauth_scopes                  = list(string)
    # A native app (the CLI, ADR 0197): its own loopback callback only, never web_urls.
    native_app = bool
    refresh_token_rotation = object({
      feature                    = string
      retry_grace_period_seconds = number
    })
  }))

  validation {
    condition     = length([for c in values(var.clients) : c if c.generate_secret]) == 1
    error_message = "exactly one client must be confidential (generate_secret = true): it becomes COGNITO_AUTH_CLIENT_ID."
  }
}

variable "triggers" {
  description = "The definition's Lambda triggers: function names in functions/ (functions.json). Each needs an ARN in trigger_arns."
  type = object({
    pre_sign_up          = optional(string)
    custom_message       = optional(string)
    post_confirmation    = optional(string)
    pre_token_generation = optional(string)
  })
  default = {}
}

variable "pre_token_generation_version" {
  description = "Event version of the pre-token trigger: V2_0 also customises access tokens (Essentials plan or higher)."
  type        = string
  default     = "V2_0"

  validation {
    condition     = contains(["V1_0", "V2_0", "V3_0"], var.pre_token_generation_version)
    error_message = "pre_token_generation_version must be V1_0, V2_0 or V3_0."
  }
}

variable "resource_servers" {
  description = "Resource servers by identifier, with their custom scopes (name => description)."
  type = map(object({
    name   = string
    scopes = map(string)
  }))
  default = {}
}

variable "machine_clients" {
  description = "Client-credentials (machine) clients by key: confidential, custom scopes only."
  type = map(object({
    name                 = string
    scopes               = list(string)
    access_token_minutes = number
  }))
  default = {}
}

# Deployment settings: set these per environment (terraform.tfvars or -var).

variable "trigger_arns" {
  description = "ARNs of the deployed trigger functions (bundles of functions/src, e.g. from the CDK stack), by trigger."
  type = object({
    pre_sign_up          = optional(string)
    custom_message       = optional(string)
    post_confirmation    = optional(string)
    pre_token_generation = optional(string)
  })
  default = {}
}

variable "ses_email" {
  description = "Send Cognito's mail through SES (DEVELOPER): a verified identity's ARN and the From address. Needed for custom_message."
  type = object({
    from       = string
    source_arn = string
    reply_to   = optional(string)
  })
  default = null
}

variable "environment" {
  description = "Environment name appended to resource names."
  type        = string
  default     = "prod"
}

variable "domain_prefix_override" {
  description = "Hosted UI domain prefix for this environment; null keeps the definition's."
  type        = string
  default     = null
}

variable "web_urls" {
  description = "Deployed web origins (https://app.example.com/) added to the public client's callback and logout URLs."
  type        = list(string)
  default     = []
}

variable "threat_protection" {
  description = "ENFORCED, AUDIT or OFF. Anything but OFF needs the Plus feature plan."
  type        = string
  default     = "ENFORCED"

  validation {
    condition     = contains(["ENFORCED", "AUDIT", "OFF"], var.threat_protection)
    error_message = "threat_protection must be ENFORCED, AUDIT or OFF."
  }
}

variable "oidc_provider_settings" {
  description = "The external OIDC provider's scopes and attribute mapping (generated from the pool definition's oidcProvider)."
  type = object({
    authorize_scopes  = string
    attribute_mapping = map(string)
  })
  default = null
}

variable "oidc_provider" {
  description = "An external OIDC provider (e.g. Google) the hosted-UI clients offer: its name on the pool, issuer URL and client id. null: none."
  type = object({
    name      = string
    issuer    = string
    client_id = string
  })
  default = null

  validation {
    condition     = var.oidc_provider == null || can(regex("^[^_\\s]{3,32}$", var.oidc_provider.name))
    error_message = "oidc_provider.name must be 3-32 characters without underscores or spaces."
  }
}

variable "oidc_provider_client_secret" {
  description = "The client secret the pool holds at the OIDC provider (e.g. TF_VAR_oidc_provider_client_secret); needed with oidc_provider."
  type        = string
  default     = null
  sensitive   = true
}

# --- Pool settings beyond the shared definition (issue 13). Defaults keep what the pool had. ---

variable "custom_attributes" {
  description = "Custom attributes (custom:<name>): String (min/max = length) or Number (min/max = value)."
  type = list(object({
    name                = string
    attribute_data_type = string
    mutable             = optional(bool, true)
    min                 = optional(number)
    max                 = optional(number)
  }))
  default = []
  validation {
    condition     = alltrue([for a in var.custom_attributes : contains(["String", "Number"], a.attribute_data_type)])
    error_message = "custom_attributes: attribute_data_type must be String or Number."
  }
}

variable "verification_message" {
  description = "The e-mail with the verification code ({####}); null: Cognito's default."
  type = object({
    email_subject = string
    email_message = string
  })
  default = null
}

variable "invitation_message" {
  description = "The invitation AdminCreateUser sends ({username} and {####}); null: Cognito's default."
  type = object({
    email_subject = string
    email_message = string
    sms_message   = string
  })
  default = null
}

variable "account_recovery_mechanisms" {
  description = "How users recover their account, by priority (verified_email, verified_phone_number, or admin_only alone)."
  type = list(object({
    name     = string
    priority = number
  }))
  default = [{ name = "verified_email", priority = 1 }]
}

variable "tags" {
  description = "Tags on the user pool."
  type        = map(string)
  default     = {}
}

variable "device_configuration" {
  description = "Remembered devices (ADR 0165); null: the pool does not track devices."
  type = object({
    challenge_required_on_new_device      = bool
    device_only_remembered_on_user_prompt = bool
  })
  default = null
}
