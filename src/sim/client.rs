//! Who may ask: the tenant, the client id and the account's directory, checked alike by the
//! token, authorize and device-code endpoints, with Entra's AADSTS answers.

use super::aadsts::AadError;
use super::config::SimUser;
use super::jwt;
use super::state::Shared;
use super::wire::Fields;

/// Whether `tenant` is one of the multi-tenant aliases.
pub fn is_alias(tenant: &str) -> bool {
    matches!(
        tenant.to_ascii_lowercase().as_str(),
        "common" | "organizations" | "consumers"
    )
}

/// AADSTS90002 when `known_tenants` is set and names no such tenant.
pub fn check_tenant(shared: &Shared, tenant: &str) -> Result<(), AadError> {
    let known = &shared.config.known_tenants;
    if !known.is_empty()
        && !is_alias(tenant)
        && !known
            .iter()
            .any(|t| t.eq_ignore_ascii_case(tenant) || jwt::tenant_id(t) == jwt::tenant_id(tenant))
    {
        return Err(AadError::with_text(
            90002,
            format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."
            ),
        ));
    }
    Ok(())
}

/// AADSTS50034 unless `user` belongs to the directory `tenant` names (the
/// multi-tenant aliases accept every account).
pub fn check_member(user: &SimUser, tenant: &str) -> Result<(), AadError> {
    let home = user.home_tenant();
    if is_alias(tenant) || home.eq_ignore_ascii_case(tenant) || jwt::tenant_id(home) == jwt::tenant_id(tenant) {
        return Ok(());
    }
    Err(AadError::with_text(
        50034,
        format!(
            "The user account {{EUII Hidden}} does not exist in the {} directory. To sign into this application, the account must be added to the directory.",
            jwt::tenant_id(tenant)
        ),
    ))
}

/// Checks the tenant and `client_id`; returns the client id.
pub fn check_client<'f>(shared: &Shared, tenant: &str, form: &'f Fields) -> Result<&'f str, AadError> {
    check_tenant(shared, tenant)?;
    let client_id = form.require("client_id")?;
    let allowed = &shared.config.allowed_client_ids;
    let accepted = if allowed.is_empty() {
        uuid::Uuid::parse_str(client_id).is_ok()
    } else {
        allowed.iter().any(|c| c.eq_ignore_ascii_case(client_id))
    };
    if !accepted {
        return Err(AadError::with_text(
            700_016,
            format!(
                "Application with identifier '{client_id}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."
            ),
        ));
    }
    let confidential = super::client_credentials::is_confidential(shared, client_id);
    if !confidential && (form.get("client_secret").is_some() || form.get("client_assertion").is_some()) {
        return Err(AadError::new(700_025));
    }
    Ok(client_id)
}
