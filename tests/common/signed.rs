//! A profile signed in against the simulator, with the tokens it holds, for fault tests that
//! check nothing is lost.
#![allow(dead_code, clippy::unwrap_used)]

use super::{Harness, sim_config, stdout};

/// A signed-in profile and the tokens the sign-in produced.
pub struct SignedIn {
    pub h: Harness,
    pub access: String,
    pub refresh: String,
}

pub fn signed_in() -> SignedIn {
    let h = Harness::signed_in(sim_config(), &[]);
    let access = h.sim.last_access_token().unwrap();
    let refresh = h.sim.issued_refresh_tokens().last().cloned().unwrap();
    SignedIn { h, access, refresh }
}

impl SignedIn {
    /// `token --force`: skips the cached access token, so the refresh grant runs.
    pub fn force_refresh(&self) -> assert_cmd::assert::Assert {
        self.h.token(&["--force"])
    }

    /// The previous tokens survived: the cached access token is handed out without a request,
    /// and a later refresh sends the stored refresh token and succeeds.
    pub fn assert_tokens_kept(&self) {
        let before = self.h.token_requests().len();
        let cached = self.h.token(&["--min-valid", "1m"]).success();
        assert_eq!(
            stdout(&cached).trim(),
            self.access,
            "the previous access token is served"
        );
        assert_eq!(
            self.h.token_requests().len(),
            before,
            "served from the cache, no request"
        );

        let refreshed = self.force_refresh().success();
        let reqs = self.h.token_requests();
        let last = reqs.last().unwrap();
        assert_eq!(last.field("grant_type"), Some("refresh_token"));
        assert_eq!(
            last.field("refresh_token"),
            Some(self.refresh.as_str()),
            "the stored refresh token is the one from before the fault"
        );
        assert_eq!(stdout(&refreshed).trim(), self.h.sim.last_access_token().unwrap());
    }

    /// Every token request after the sign-in, checked to be a refresh with the stored token.
    pub fn refreshes_since_sign_in(&self) -> usize {
        let reqs = self.h.token_requests();
        for r in &reqs[1..] {
            assert_eq!(r.field("grant_type"), Some("refresh_token"));
            assert_eq!(r.field("refresh_token"), Some(self.refresh.as_str()));
        }
        reqs.len() - 1
    }
}

pub fn assert_no_panic(err: &str) {
    assert!(!err.contains("panicked"), "{err}");
}
