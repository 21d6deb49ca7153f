//! Getting a new token and keeping it: the grant to use, what to store and in which order,
//! and what to remember about a failure.

use jiff::Timestamp;

use super::{
    AudienceState, Broker, BrokerError, Grant, Issued, LastError, PasswordRefused, ProfileState, RefreshMeta,
    TokenMeta, blocking, interactive, refuses_password,
};
use super::{Prompt, Source};
use crate::audience::Audience;
use crate::entra::{EntraError, TokenResponse};
use crate::profile::{Flow, Profile};
use crate::secret::{Secret, SecretKind};
use crate::token::{self, Claims};

/// AADSTS65001: the user or an admin has not consented to the app using the resource.
const CONSENT_REQUIRED: u32 = 65001;

impl Broker {
    /// Gets a new token: refresh token first (unless `sign_in`), then the password.
    pub(super) async fn fetch(
        &self,
        profile: &Profile,
        audience: &Audience,
        password: Option<Secret>,
        prompt: Option<&dyn Prompt>,
        has_refresh: bool,
        sign_in: bool,
    ) -> Result<Issued, BrokerError> {
        let name = profile.name.as_str();
        let ep = profile.endpoint_for(audience);
        let mut warnings = Vec::new();
        // A config another user can change could point this request anywhere.
        crate::trust::check(&self.dir)?;
        // A token the keyring cannot keep would be a sign-in spent for nothing.
        blocking(|| self.secrets.check())?;
        if !sign_in
            && has_refresh
            && let Some(rt) = blocking(|| self.secrets.get(name, SecretKind::RefreshToken))?
        {
            match self.entra()?.refresh(&ep, &rt).await {
                Ok(resp) => return self.store(profile, audience, resp, Grant::RefreshToken, None, warnings),
                // A missing consent is the audience's, not the refresh token's: it stays, and
                // serves the identity's other audiences.
                Err(EntraError::Refused(r)) if r.code() == Some(CONSENT_REQUIRED) => {
                    return Err(EntraError::Refused(r).into());
                }
                Err(EntraError::Refused(r)) => {
                    // A refused refresh token (revoked, expired, or no longer enough for the
                    // tenant's policy) is deleted: it is never sent again.
                    blocking(|| self.secrets.delete(name, SecretKind::RefreshToken))?;
                    let mut state = self.states.load(name);
                    state.refresh_token = None;
                    let _ = self.states.save(name, &state);
                    let dx = r.diagnosis();
                    warnings.push(format!(
                        "the refresh token was refused ({}); signing in again",
                        dx.summary
                    ));
                    if r.body.error != "invalid_grant"
                        || profile.flow != Flow::Password
                        || (password.is_none() && !profile.remember_password)
                    {
                        return Err(EntraError::Refused(r).into());
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        match profile.flow {
            Flow::ClientSecret => {
                if audience.is_lcs() {
                    return Err(BrokerError::Unusable(format!(
                        "profile '{name}' signs in as the app itself (client secret), and LCS does not accept \
                         service principals; ask for one of its audiences ({})",
                        crate::audience::format_list(&profile.audiences)
                    )));
                }
                // The secret typed now (kept after it worked) or the one in the keyring, which is
                // sent only where it was given and not again after Entra refused it.
                let (secret, typed) = if let Some(s) = password {
                    (s, true)
                } else {
                    let state = self.states.load(name);
                    if let Some(r) = state.password_refused {
                        return Err(Self::sign_in_needed(profile, &r.reason()));
                    }
                    let Some(s) = blocking(|| self.secrets.get(name, SecretKind::Password))? else {
                        return Err(Self::sign_in_needed(profile, "no client secret is stored"));
                    };
                    let here = super::PasswordTarget::of(profile);
                    if let Some(why) = super::PasswordTarget::reason(state.password_for.as_ref(), &here) {
                        return Err(Self::sign_in_needed(profile, &why));
                    }
                    (s, false)
                };
                let resp = match self.entra()?.client_credentials(&ep, &secret).await {
                    Ok(resp) => resp,
                    Err(EntraError::Refused(r)) => {
                        // A refused secret is not sent again until one is typed and accepted.
                        if !typed {
                            let mut state = self.states.load(name);
                            state.password_refused = Some(PasswordRefused::of(Timestamp::now(), &r));
                            let _ = self.states.save(name, &state);
                        }
                        return Err(EntraError::Refused(r).into());
                    }
                    Err(e) => return Err(e.into()),
                };
                let remember = typed.then_some(&secret);
                self.store(profile, audience, resp, Grant::ClientCredentials, remember, warnings)
            }
            Flow::Password => {
                let (password, typed) = match password {
                    Some(p) => (p, true),
                    None if profile.remember_password => match self.remembered_password(profile)? {
                        Ok(Some(p)) => (p, false),
                        Ok(None) => return Err(Self::sign_in_needed(profile, "no password is remembered")),
                        Err(why) => return Err(Self::sign_in_needed(profile, &why)),
                    },
                    None => return Err(Self::sign_in_needed(profile, "there is no refresh token")),
                };
                let username = profile.username.as_deref().unwrap_or_default();
                let resp = match self.entra()?.password(&ep, username, &password).await {
                    Ok(resp) => resp,
                    Err(EntraError::Refused(r)) if refuses_password(&r) => {
                        // Whether typed or remembered, this password is not sent again by
                        // itself: the next automatic attempt would count towards a lockout.
                        let mut state = self.states.load(name);
                        state.password_refused = Some(PasswordRefused::of(Timestamp::now(), &r));
                        let _ = self.states.save(name, &state);
                        return Err(EntraError::Refused(r).into());
                    }
                    Err(e) => return Err(e.into()),
                };
                let remember = (typed && profile.remember_password).then_some(&password);
                self.store(profile, audience, resp, Grant::Password, remember, warnings)
            }
            Flow::DeviceCode | Flow::Browser => {
                let Some(prompt) = prompt else {
                    return Err(Self::sign_in_needed(profile, "there is no refresh token"));
                };
                let (resp, grant) = self.interactive_grant(profile, audience, prompt).await?;
                self.store(profile, audience, resp, grant, None, warnings)
            }
        }
    }

    /// Runs the profile's interactive flow (device code or browser) to its answer.
    async fn interactive_grant(
        &self,
        profile: &Profile,
        audience: &Audience,
        prompt: &dyn Prompt,
    ) -> Result<(TokenResponse, Grant), BrokerError> {
        let ep = profile.endpoint_for(audience);
        let entra = self.entra()?;
        // A claims challenge from the audience's last refusal is the step-up this sign-in answers.
        let claims = self
            .states
            .load(profile.name.as_str())
            .slot(audience)
            .last_error
            .and_then(|e| e.claims);
        let claims = claims.as_deref();
        Ok(if profile.flow == Flow::DeviceCode {
            (
                interactive::device_code_with_claims(entra, &ep, prompt, claims).await?,
                Grant::DeviceCode,
            )
        } else {
            let hint = profile.username.as_deref();
            (
                interactive::browser_with_claims(entra, &ep, hint, prompt, claims).await?,
                Grant::AuthorizationCode,
            )
        })
    }

    /// An interactive sign-in. The user may take minutes, so the profile's lock is taken only
    /// to keep the answer: other processes are not held back while the user signs in.
    pub(super) async fn sign_in_interactive(
        &self,
        profile: &Profile,
        audience: &Audience,
        prompt: &dyn Prompt,
    ) -> Result<Issued, BrokerError> {
        crate::trust::check(&self.dir)?;
        blocking(|| self.secrets.check())?;
        let got = self.interactive_grant(profile, audience, prompt).await;
        let _lock = self.lock(profile).await?;
        let result = got.and_then(|(resp, grant)| self.store(profile, audience, resp, grant, None, Vec::new()));
        self.record(profile, audience, &result);
        result
    }

    fn sign_in_needed(profile: &Profile, reason: &str) -> BrokerError {
        let name = profile.name.as_str();
        let command = match profile.flow {
            Flow::Password => format!("lcsauth login {name} --password-stdin"),
            Flow::ClientSecret => format!("lcsauth login {name} --password-stdin (the client secret on stdin)"),
            Flow::DeviceCode | Flow::Browser => format!("lcsauth login {name}"),
        };
        BrokerError::SignInNeeded {
            profile: name.to_string(),
            reason: reason.to_string(),
            command,
        }
    }

    /// Keeps what Entra answered: the refresh token first (it is the one that must never be
    /// lost), then the access token, then the metadata.
    fn store(
        &self,
        profile: &Profile,
        audience: &Audience,
        resp: TokenResponse,
        grant: Grant,
        remember: Option<&Secret>,
        mut warnings: Vec<String>,
    ) -> Result<Issued, BrokerError> {
        let name = profile.name.as_str();
        let now = Timestamp::now();
        let claims = Claims::decode(resp.access_token.expose());
        // The rotated refresh token is kept whatever happens to the access token below: it is
        // the one secret that must never be lost.
        let mut state = self.states.load(name);
        if let Some(rt) = &resp.refresh_token {
            blocking(|| self.secrets.set(name, SecretKind::RefreshToken, rt))?;
            state.refresh_token = Some(RefreshMeta { obtained_at: now });
        }
        let keep_refresh_meta = |state: &ProfileState| {
            if resp.refresh_token.is_some() {
                let _ = self.states.save(name, state);
            }
        };
        let (expires_at, mut warning) = match token::expiry(now, resp.expires_in, claims.as_ref().ok()) {
            Ok(v) => v,
            Err(e) => {
                keep_refresh_meta(&state);
                return Err(BrokerError::Unusable(e));
            }
        };
        if expires_at <= now {
            keep_refresh_meta(&state);
            // With a clock far ahead of Entra's, the exp claim is already past by local time.
            return Err(BrokerError::Unusable(match &warning {
                Some(skew) => format!(
                    "Entra answered a token that has already expired by the local clock: {skew} \
                     (`lcsauth doctor` compares it with the sign-in host)"
                ),
                None => "Entra answered a token that has already expired".into(),
            }));
        }
        // A wrong clock shortens every countdown: say so when the token arrives.
        warnings.extend(warning.clone());
        if let Err(e) = &claims {
            warning = Some(e.to_string());
        }
        let claims = claims.unwrap_or_default();
        if let Some(w) = claims.audience_mismatch(&profile.resource_for(audience)) {
            warnings.push(w);
        }
        blocking(|| -> Result<(), BrokerError> {
            if let Some(pw) = remember {
                self.secrets.set(name, SecretKind::Password, pw)?;
                state.password_for = Some(super::PasswordTarget::of(profile));
            }
            let lasts = std::time::Duration::try_from(expires_at.duration_since(now)).unwrap_or_default();
            if let Err(e) = self.secrets.set_expiring(
                &audience.secret_owner(name),
                SecretKind::AccessToken,
                &resp.access_token,
                lasts,
            ) {
                warnings.push(format!(
                    "the access token was not cached ({e}); the next call signs in again"
                ));
            }
            Ok(())
        })?;
        state.set_slot(
            audience,
            AudienceState {
                token: Some(TokenMeta {
                    expires_at,
                    obtained_at: now,
                    grant,
                    claims,
                    warning,
                }),
                last_error: None,
            },
        );
        if grant != Grant::RefreshToken {
            // A sign-in succeeded: a password held back after a refusal may be used again.
            state.password_refused = None;
        }
        if let Err(e) = self.states.save(name, &state) {
            warnings.push(format!(
                "the token state was not saved in {}: {e}",
                self.dir.state_dir().display()
            ));
        }
        Ok(Issued {
            access_token: resp.access_token,
            expires_at,
            source: Source::Fetched(grant),
            warnings,
        })
    }

    /// Notes a failure in the profile's state so `status` and the board can explain it.
    pub(super) fn record(&self, profile: &Profile, audience: &Audience, result: &Result<Issued, BrokerError>) {
        // "Sign-in needed" is a state, not a failure: the board shows it from the missing token.
        let Err(e) = result else { return };
        if matches!(e, BrokerError::SignInNeeded { .. }) {
            return;
        }
        // Nothing is written into a directory another user can change; its repair is the
        // user's to make, knowing why.
        if matches!(e, BrokerError::Untrusted(_)) {
            return;
        }
        let now = Timestamp::now();
        let last = match e {
            BrokerError::Entra(e) => LastError::from_entra(now, e, profile.name.as_str(), profile.flow),
            other => LastError::new(now, other.to_string()),
        };
        let name = profile.name.as_str();
        let consent = last.code == Some(CONSENT_REQUIRED);
        let last = if consent {
            LastError {
                fix: Some(audience.consent_fix()),
                ..last
            }
        } else {
            last
        };
        let mut state = self.states.load(name);
        let mut slot = state.slot(audience);
        slot.last_error = Some(last);
        state.set_slot(audience, slot);
        let _ = self.states.save(name, &state);
    }
}
