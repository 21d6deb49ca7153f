//! How the board reads a failed token request: what kind of failure it was (which decides what
//! happens next: a prompt, a sign-in, a retry later) and the sentence the status line shows.

use lcsauth::broker::BrokerError;
use lcsauth::entra::Refusal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailKind {
    /// No refresh token and no remembered password: someone must sign in.
    SignIn,
    /// Entra said no; repeating the same request will not help.
    Refused,
    /// Network, keyring or file trouble; trying later may work.
    Transient,
    /// Entra sent a claims challenge: a step-up the tenant demands, answered by an interactive
    /// sign-in that passes the claims.
    StepUp,
}

impl FailKind {
    pub fn of(e: &BrokerError) -> Self {
        match e {
            BrokerError::SignInNeeded { .. } => Self::SignIn,
            BrokerError::Entra(err) if err.refusal().is_some_and(Refusal::is_claims_challenge) => Self::StepUp,
            BrokerError::Entra(err) if err.refusal().is_some() => Self::Refused,
            _ => Self::Transient,
        }
    }
}

/// Why the request failed, in one line. The board's way out of a missing sign-in is a key,
/// not the command line's `lcsauth login`.
pub fn sentence(e: &BrokerError) -> String {
    match e {
        BrokerError::SignInNeeded { profile, reason, .. } => {
            format!("profile '{profile}' needs a sign-in: {reason}; select it and press r to sign in")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lcsauth::entra::{EntraError, ErrorBody};

    fn refused(claims: Option<&str>) -> BrokerError {
        BrokerError::Entra(EntraError::Refused(Box::new(Refusal {
            http_status: 400,
            body: ErrorBody {
                error: "interaction_required".into(),
                error_codes: vec![50076],
                claims: claims.map(str::to_string),
                ..ErrorBody::default()
            },
        })))
    }

    #[test]
    fn a_held_back_password_tells_the_board_user_which_key_signs_in() {
        let e = BrokerError::SignInNeeded {
            profile: "contoso-prod".into(),
            reason: "Entra refused its password at 2026-01-05 10:00:00 UTC (AADSTS50126, wrong password); \
                     the remembered password is not sent again until a sign-in succeeds"
                .into(),
            command: "lcsauth login contoso-prod --password-stdin".into(),
        };
        assert_eq!(FailKind::of(&e), FailKind::SignIn);
        let message = sentence(&e);
        assert!(
            message.contains("AADSTS50126") && message.ends_with("press r to sign in"),
            "{message}"
        );
        assert!(!message.contains("lcsauth login"), "{message}");
    }

    #[test]
    fn a_refusal_with_a_claims_challenge_is_a_step_up_and_one_without_is_a_refusal() {
        assert_eq!(FailKind::of(&refused(Some(r#"{"access_token":{}}"#))), FailKind::StepUp);
        assert_eq!(FailKind::of(&refused(Some("{}"))), FailKind::Refused);
        assert_eq!(FailKind::of(&refused(None)), FailKind::Refused);
    }

    #[test]
    fn an_unreachable_entra_is_transient_and_reads_as_the_error_itself() {
        let e = BrokerError::Entra(EntraError::Network {
            url: "https://login.microsoftonline.com".into(),
            reason: "connection refused".into(),
        });
        assert_eq!(FailKind::of(&e), FailKind::Transient);
        assert_eq!(
            sentence(&e),
            "cannot reach https://login.microsoftonline.com: connection refused"
        );
    }
}
