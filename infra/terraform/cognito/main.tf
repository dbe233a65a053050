data "aws_region" "current" {}

locals {
  # The confidential client is the one the API signs users in with (COGNITO_AUTH_CLIENT_ID).
  backend_key = one([for k, c in var.clients : k if c.generate_secret])
  # The browser client (public: no secret) whose id goes into the SPA's config.json.
  public_keys = [for k, c in var.clients : k if !c.generate_secret && !c.native_app]
  # The command-line client (a native app with its own loopback callback, ADR 0197).
  native_keys = [for k, c in var.clients : k if c.native_app]
  # Only clients that use the hosted UI (callback URLs in the definition) get the deployed origins;
  # a native app keeps exactly its own callback.
  callback_urls = { for k, c in var.clients : k => length(c.callback_urls) > 0 ? concat(c.callback_urls, c.native_app ? [] : var.web_urls) : [] }
  logout_urls   = { for k, c in var.clients : k => length(c.logout_urls) > 0 ? concat(c.logout_urls, c.native_app ? [] : var.web_urls) : [] }
  # The external providers the hosted-UI clients offer besides COGNITO (ADR 0162).
  identity_providers = var.oidc_provider == null ? [] : [aws_cognito_identity_provider.oidc[0].provider_name]
}

resource "aws_cognito_user_pool" "this" {
  name                     = "${var.pool_name}-${var.environment}"
  username_attributes      = var.username_attributes
  auto_verified_attributes = var.auto_verified_attributes
  mfa_configuration        = var.mfa_configuration
  deletion_protection      = var.deletion_protection ? "ACTIVE" : "INACTIVE"
  user_pool_tier           = var.threat_protection == "OFF" ? "ESSENTIALS" : "PLUS"

  username_configuration {
    case_sensitive = false
  }

  # Choice-based sign-in (USER_AUTH, ADR 0141); an e-mailed code only when mail goes through SES.
  sign_in_policy {
    allowed_first_auth_factors = [for f in var.allowed_first_auth_factors : f if f != "EMAIL_OTP" || var.ses_email != null]
  }

  # Passkeys (ADR 0142): the definition's user verification (set when it has passkeys or WEB_AUTHN
  # is a first factor); the relying party is this deployment's web domain.
  dynamic "web_authn_configuration" {
    for_each = var.passkey_user_verification != null || contains(var.allowed_first_auth_factors, "WEB_AUTHN") ? [1] : []
    content {
      user_verification = coalesce(var.passkey_user_verification, "preferred")
      relying_party_id  = var.passkey_relying_party_id
    }
  }

  # The factors users may turn on (the pool definition's mfaFactors, ADR 0116).
  dynamic "software_token_mfa_configuration" {
    for_each = contains(var.mfa_factors, "SOFTWARE_TOKEN_MFA") ? [1] : []
    content {
      enabled = true
    }
  }

  dynamic "email_mfa_configuration" {
    for_each = contains(var.mfa_factors, "EMAIL_OTP") ? [1] : []
    content {
      message = "Your sign-in code is {####}"
      subject = "Your sign-in code"
    }
  }

  # An unverified new e-mail neither signs in nor reserves the address (issue 8 item 7, ADR 0078).
  dynamic "user_attribute_update_settings" {
    for_each = length(var.attributes_require_verification_before_update) > 0 ? [1] : []
    content {
      attributes_require_verification_before_update = var.attributes_require_verification_before_update
    }
  }

  password_policy {
    minimum_length                   = var.password_policy.minimum_length
    require_lowercase                = var.password_policy.require_lowercase
    require_uppercase                = var.password_policy.require_uppercase
    require_numbers                  = var.password_policy.require_numbers
    require_symbols                  = var.password_policy.require_symbols
    temporary_password_validity_days = var.password_policy.temporary_password_validity_days
  }

  account_recovery_setting {
    dynamic "recovery_mechanism" {
      for_each = var.account_recovery_mechanisms
      content {
        name     = recovery_mechanism.value.name
        priority = recovery_mechanism.value.priority
      }
    }
  }

  dynamic "verification_message_template" {
    for_each = var.verification_message == null ? [] : [var.verification_message]
    content {
      default_email_option = "CONFIRM_WITH_CODE"
      email_subject        = verification_message_template.value.email_subject
      email_message        = verification_message_template.value.email_message
    }
  }

  dynamic "admin_create_user_config" {
    for_each = var.invitation_message == null ? [] : [var.invitation_message]
    content {
      allow_admin_create_user_only = false
      invite_message_template {
        email_subject = admin_create_user_config.value.email_subject
        email_message = admin_create_user_config.value.email_message
        sms_message   = admin_create_user_config.value.sms_message
      }
    }
  }

  dynamic "device_configuration" {
    for_each = var.device_configuration == null ? [] : [var.device_configuration]
    content {
      challenge_required_on_new_device      = device_configuration.value.challenge_required_on_new_device
      device_only_remembered_on_user_prompt = device_configuration.value.device_only_remembered_on_user_prompt
    }
  }

  tags = var.tags

  dynamic "schema" {
    for_each = var.schema
    content {
      name                = schema.value.name
      attribute_data_type = schema.value.attribute_data_type
      required            = schema.value.required
      mutable             = schema.value.mutable

      # Without explicit constraints the provider sees a diff on every plan for String attributes.
      dynamic "string_attribute_constraints" {
        for_each = schema.value.attribute_data_type == "String" ? [1] : []
        content {
          min_length = 0
          max_length = 2048
        }
      }
    }
  }

  # Custom attributes: Cognito names them custom:<name>.
  dynamic "schema" {
    for_each = var.custom_attributes
    content {
      name                     = schema.value.name
      attribute_data_type      = schema.value.attribute_data_type
      developer_only_attribute = false
      required                 = false
      mutable                  = schema.value.mutable

      dynamic "string_attribute_constraints" {
        for_each = schema.value.attribute_data_type == "String" ? [1] : []
        content {
          min_length = coalesce(schema.value.min, 0)
          max_length = coalesce(schema.value.max, 2048)
        }
      }
      dynamic "number_attribute_constraints" {
        for_each = schema.value.attribute_data_type == "Number" ? [1] : []
        content {
          min_value = schema.value.min
          max_value = schema.value.max
        }
      }
    }
  }

  dynamic "user_pool_add_ons" {
    for_each = var.threat_protection == "OFF" ? [] : [var.threat_protection]
    content {
      advanced_security_mode = user_pool_add_ons.value
    }
  }

  # Cognito's mail through SES (DEVELOPER): needed for the CustomMessage trigger's branded e-mails.
  dynamic "email_configuration" {
    for_each = var.ses_email == null ? [] : [var.ses_email]
    content {
      email_sending_account  = "DEVELOPER"
      from_email_address     = email_configuration.value.from
      source_arn             = email_configuration.value.source_arn
      reply_to_email_address = email_configuration.value.reply_to
    }
  }

  # The definition's triggers (functions/, ADR 0121), as deployed functions given by ARN.
  dynamic "lambda_config" {
    for_each = length(local.trigger_arns) > 0 ? [1] : []
    content {
      pre_sign_up       = lookup(local.trigger_arns, "pre_sign_up", null)
      custom_message    = lookup(local.trigger_arns, "custom_message", null)
      post_confirmation = lookup(local.trigger_arns, "post_confirmation", null)
      dynamic "pre_token_generation_config" {
        for_each = contains(keys(local.trigger_arns), "pre_token_generation") ? [local.trigger_arns.pre_token_generation] : []
        content {
          lambda_arn     = pre_token_generation_config.value
          lambda_version = var.pre_token_generation_version
        }
      }
    }
  }

  lifecycle {
    # Schema attributes cannot be changed after creation; a changed definition needs a new pool.
    ignore_changes = [schema]

    # The definition's triggers need their functions (CustomMessage only when mail goes through SES).
    precondition {
      condition = alltrue([
        for k, v in var.triggers : v == null || (k == "custom_message" && var.ses_email == null) || lookup(var.trigger_arns, k, null) != null
      ])
      error_message = "Every trigger of the pool definition (var.triggers) needs its function's ARN in var.trigger_arns."
    }
  }
}

resource "aws_cognito_user_group" "this" {
  for_each = var.groups

  user_pool_id = aws_cognito_user_pool.this.id
  name         = each.key
  description  = each.value.description
  precedence   = each.value.precedence
}

resource "aws_cognito_user_pool_client" "this" {
  for_each = var.clients

  user_pool_id                  = aws_cognito_user_pool.this.id
  name                          = each.value.name
  generate_secret               = each.value.generate_secret
  explicit_auth_flows           = each.value.explicit_auth_flows
  prevent_user_existence_errors = each.value.prevent_user_existence_errors
  enable_token_revocation       = each.value.enable_token_revocation
  access_token_validity         = each.value.access_token_minutes
  id_token_validity             = each.value.id_token_minutes
  refresh_token_validity        = each.value.refresh_token_validity
  supported_identity_providers  = length(local.callback_urls[each.key]) > 0 ? concat(["COGNITO"], local.identity_providers) : ["COGNITO"]

  # Always written: the provider reads the API's default (DISABLED) back as a block (ADR 0137).
  refresh_token_rotation {
    feature                    = each.value.refresh_token_rotation.feature
    retry_grace_period_seconds = each.value.refresh_token_rotation.retry_grace_period_seconds
  }

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = each.value.refresh_token_unit
  }

  callback_urls                        = local.callback_urls[each.key]
  logout_urls                          = local.logout_urls[each.key]
  allowed_oauth_flows_user_pool_client = length(local.callback_urls[each.key]) > 0
  allowed_oauth_flows                  = length(local.callback_urls[each.key]) > 0 ? ["code"] : []
  allowed_oauth_scopes                 = length(local.callback_urls[each.key]) > 0 ? each.value.oauth_scopes : []
}

# An external OIDC provider (e.g. Google), only when its location and client are given.
resource "aws_cognito_identity_provider" "oidc" {
  count         = var.oidc_provider == null ? 0 : 1
  user_pool_id  = aws_cognito_user_pool.this.id
  provider_name = var.oidc_provider.name
  provider_type = "OIDC"

  provider_details = {
    client_id                 = var.oidc_provider.client_id
    client_secret             = var.oidc_provider_client_secret
    oidc_issuer               = var.oidc_provider.issuer
    authorize_scopes          = var.oidc_provider_settings.authorize_scopes
    attributes_request_method = "GET"
  }
  # Cognito maps username from sub on its own and returns it: written here so plan shows no change.
  attribute_mapping = merge({ username = "sub" }, var.oidc_provider_settings.attribute_mapping)

  lifecycle {
    # Cognito adds the endpoints it discovered at the issuer and a read-only flag to
    # provider_details; the AWS provider suppresses that only for Google and SAML, so without this
    # every plan would remove them (ADR 0196). They follow the issuer, which stays configured here.
    ignore_changes = [
      provider_details["authorize_url"],
      provider_details["token_url"],
      provider_details["attributes_url"],
      provider_details["jwks_uri"],
      provider_details["attributes_url_add_attributes"],
    ]
    precondition {
      condition     = var.oidc_provider_client_secret != null && var.oidc_provider_settings != null
      error_message = "oidc_provider needs oidc_provider_client_secret, and the definition's oidc_provider_settings."
    }
  }
}

# Custom scopes for machine clients (client credentials), e.g. app-api/items.read (ADR 0083).
resource "aws_cognito_resource_server" "this" {
  for_each = var.resource_servers

  user_pool_id = aws_cognito_user_pool.this.id
  identifier   = each.key
  name         = each.value.name

  dynamic "scope" {
    for_each = each.value.scopes
    content {
      scope_name        = scope.key
      scope_description = scope.value
    }
  }
}

resource "aws_cognito_user_pool_client" "machine" {
  for_each = var.machine_clients

  user_pool_id                         = aws_cognito_user_pool.this.id
  name                                 = each.value.name
  generate_secret                      = true
  explicit_auth_flows                  = ["ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors        = "ENABLED"
  enable_token_revocation              = true
  access_token_validity                = each.value.access_token_minutes
  supported_identity_providers         = []
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["client_credentials"]
  allowed_oauth_scopes                 = each.value.scopes

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }

  refresh_token_rotation {
    feature                    = "DISABLED"
    retry_grace_period_seconds = 0
  }

  # The scopes exist only once their resource server does.
  depends_on = [aws_cognito_resource_server.this]
}

resource "aws_cognito_user_pool_domain" "this" {
  domain       = coalesce(var.domain_prefix_override, var.domain_prefix)
  user_pool_id = aws_cognito_user_pool.this.id
}

locals {
  # Triggers with a function; CustomMessage only when mail goes through SES (Cognito refuses it otherwise).
  trigger_arns = {
    for k, v in var.trigger_arns : k => v
    if v != null && (k != "custom_message" || var.ses_email != null)
  }
}

# Cognito may invoke each trigger function, and only for this pool.
resource "aws_lambda_permission" "triggers" {
  for_each      = local.trigger_arns
  statement_id  = "cognito-${replace(each.key, "_", "-")}"
  action        = "lambda:InvokeFunction"
  function_name = each.value
  principal     = "cognito-idp.amazonaws.com"
  source_arn    = aws_cognito_user_pool.this.arn
}
