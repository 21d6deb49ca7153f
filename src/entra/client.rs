//! The grants of the Entra v2 token and device-code endpoints: which form each one posts and
//! what its answer becomes. Forms are encoded exactly as the vendor article shows, plus
//! `offline_access` in the scope so a refresh token comes back.

use std::time::Duration;

use reqwest::header::HeaderMap;

use super::answer::{bad, parse_token, refusal_or_bad};
use super::error::EntraError;
use super::transport::{Resend, RetryPolicy, Transport};
use super::wire::{DeviceCodeResponse, TokenResponse};
use crate::profile::Endpoint;
use crate::secret::Secret;

/// A cheap-to-clone Entra client.
#[derive(Clone, Debug)]
pub struct EntraClient {
    transport: Transport,
}

/// One poll of the device-code grant.
#[derive(Debug)]
pub enum DevicePoll {
    Pending,
    SlowDown,
    Done(TokenResponse),
}

impl EntraClient {
    pub fn new(timeout: Duration, retry: RetryPolicy) -> Result<Self, EntraError> {
        Ok(Self {
            transport: Transport::new(timeout, retry)?,
        })
    }

    pub fn token_url(ep: &Endpoint) -> String {
        format!("{}/{}/oauth2/v2.0/token", ep.authority.trim_end_matches('/'), ep.tenant)
    }

    pub fn device_code_url(ep: &Endpoint) -> String {
        format!(
            "{}/{}/oauth2/v2.0/devicecode",
            ep.authority.trim_end_matches('/'),
            ep.tenant
        )
    }

    fn scope(ep: &Endpoint) -> String {
        format!("{} offline_access", ep.scope)
    }

    /// The password grant (ROPC), as in the vendor article.
    pub async fn password(
        &self,
        ep: &Endpoint,
        username: &str,
        password: &Secret,
    ) -> Result<TokenResponse, EntraError> {
        let scope = Self::scope(ep);
        let form = [
            ("client_id", ep.client_id.as_str()),
            ("scope", scope.as_str()),
            ("username", username),
            ("password", password.expose()),
            ("grant_type", "password"),
        ];
        self.token_with(&Self::token_url(ep), &form, Resend::OnlyUnsent).await
    }

    /// The client-credentials grant with a client secret: a token for the app itself.
    pub async fn client_credentials(&self, ep: &Endpoint, client_secret: &Secret) -> Result<TokenResponse, EntraError> {
        let form = [
            ("client_id", ep.client_id.as_str()),
            ("client_secret", client_secret.expose()),
            ("scope", ep.scope.as_str()),
            ("grant_type", "client_credentials"),
        ];
        self.token(&Self::token_url(ep), &form).await
    }

    /// Redeems a refresh token; the answer carries a new one that replaces it.
    pub async fn refresh(&self, ep: &Endpoint, refresh_token: &Secret) -> Result<TokenResponse, EntraError> {
        let scope = Self::scope(ep);
        let form = [
            ("client_id", ep.client_id.as_str()),
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose()),
            ("scope", scope.as_str()),
        ];
        self.token(&Self::token_url(ep), &form).await
    }

    /// Redeems an authorization code with its PKCE verifier (no secret: public client).
    pub async fn redeem_code(
        &self,
        ep: &Endpoint,
        code: &Secret,
        redirect_uri: &str,
        verifier: &Secret,
    ) -> Result<TokenResponse, EntraError> {
        let scope = Self::scope(ep);
        let form = [
            ("client_id", ep.client_id.as_str()),
            ("grant_type", "authorization_code"),
            ("code", code.expose()),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier.expose()),
            ("scope", scope.as_str()),
        ];
        self.token(&Self::token_url(ep), &form).await
    }

    /// Starts the device-code flow.
    pub async fn device_code(&self, ep: &Endpoint) -> Result<DeviceCodeResponse, EntraError> {
        self.device_code_with_claims(ep, None).await
    }

    /// Starts the device-code flow, passing a claims challenge Entra asked for (a step-up).
    pub async fn device_code_with_claims(
        &self,
        ep: &Endpoint,
        claims: Option<&str>,
    ) -> Result<DeviceCodeResponse, EntraError> {
        let scope = Self::scope(ep);
        let mut form = vec![("client_id", ep.client_id.as_str()), ("scope", scope.as_str())];
        if let Some(c) = claims {
            form.push(("claims", c));
        }
        let url = Self::device_code_url(ep);
        let (status, headers, body) = self.send(&url, &form).await?;
        if status == 200 {
            return serde_json::from_slice(&body).map_err(|_| bad(&url, status, &headers, "not a device-code answer"));
        }
        Err(refusal_or_bad(&url, status, &headers, &body))
    }

    /// One poll of the token endpoint for a device code.
    pub async fn poll_device_code(&self, ep: &Endpoint, device_code: &Secret) -> Result<DevicePoll, EntraError> {
        let form = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("client_id", ep.client_id.as_str()),
            ("device_code", device_code.expose()),
        ];
        match self.token(&Self::token_url(ep), &form).await {
            Ok(t) => Ok(DevicePoll::Done(t)),
            Err(EntraError::Refused(r)) if r.body.error == "authorization_pending" => Ok(DevicePoll::Pending),
            Err(EntraError::Refused(r)) if r.body.error == "slow_down" => Ok(DevicePoll::SlowDown),
            Err(e) => Err(e),
        }
    }

    async fn token(&self, url: &str, form: &[(&str, &str)]) -> Result<TokenResponse, EntraError> {
        self.token_with(url, form, Resend::Transient).await
    }

    async fn token_with(&self, url: &str, form: &[(&str, &str)], resend: Resend) -> Result<TokenResponse, EntraError> {
        let (status, headers, body) = self.transport.send_with(url, form, resend).await?;
        if status == 200 {
            return parse_token(url, status, &headers, &body);
        }
        Err(refusal_or_bad(url, status, &headers, &body))
    }

    async fn send(&self, url: &str, form: &[(&str, &str)]) -> Result<(u16, HeaderMap, Vec<u8>), EntraError> {
        self.transport.send_with(url, form, Resend::Transient).await
    }
}
