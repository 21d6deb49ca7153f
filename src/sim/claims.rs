//! The claim set of an Entra v1 access token, at Entra's size.
//!
//! A user access token for LCS from Entra carries about twenty claims and an RS256 signature
//! (256 bytes): 1,500–2,500 characters in all. With `access_token_groups` set, a `groups`
//! claim of that many group object ids is added, as Entra does when the app registration asks
//! for group claims; a few hundred groups take the token past 16 KiB.

use serde_json::{Value, json};

use super::config::SimUser;
use super::jwt;

/// The `wids` of an ordinary member: the "User" directory role template.
const USER_ROLE_TEMPLATE: &str = "b79fbf4d-3ef9-4689-8143-76b194e85509";

/// What one access token is about.
pub struct AccessClaims<'a> {
    pub user: &'a SimUser,
    pub tid: &'a str,
    pub oid: &'a str,
    /// The pairwise subject of this user and app.
    pub sub: &'a str,
    pub aud: &'a str,
    pub client_id: &'a str,
    pub amr: &'a [String],
    pub iat: i64,
    pub exp: i64,
    /// Group ids in a `groups` claim (0 = no claim).
    pub groups: usize,
}

impl AccessClaims<'_> {
    pub fn to_json(&self) -> Value {
        let name = self.user.name();
        let (given, family) = name.split_once(' ').unwrap_or((name.as_str(), ""));
        let mut claims = json!({
            "aud": self.aud,
            "iss": format!("https://sts.windows.net/{}/", self.tid),
            "iat": self.iat,
            "nbf": self.iat,
            "exp": self.exp,
            "acr": "1",
            // Entra's opaque session blob: base64 of ~130 bytes.
            "aio": format!("AVQAq/8Z{}", jwt::random_b64(132)),
            "amr": self.amr,
            "appid": self.client_id,
            "appidacr": "0",
            "family_name": family,
            "given_name": given,
            "idtyp": "user",
            "ipaddr": "127.0.0.1",
            "name": name,
            "oid": self.oid,
            "puid": puid(self.oid),
            "rh": format!("1.AXoA{}AA.", jwt::random_b64(48)),
            "scp": "user_impersonation",
            "sid": jwt::stable_guid(&format!("sid:{}:{}", self.oid, self.iat)).to_string(),
            "sub": self.sub,
            "tid": self.tid,
            "unique_name": self.user.username,
            "upn": self.user.username,
            "uti": jwt::random_b64(16),
            "ver": "1.0",
            "wids": [USER_ROLE_TEMPLATE],
            "xms_tcdt": 1_600_000_000,
        });
        if self.groups > 0 {
            let groups: Vec<String> = (0..self.groups)
                .map(|i| jwt::stable_guid(&format!("group:{}:{i}", self.tid)).to_string())
                .collect();
            claims["groups"] = json!(groups);
        }
        claims
    }
}

/// A PUID: 16 upper-case hex digits, stable per user.
fn puid(oid: &str) -> String {
    let guid = jwt::stable_guid(&format!("puid:{oid}"));
    let hex = guid.simple().to_string().to_ascii_uppercase();
    format!("1003{}", &hex[..12])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn claims(groups: usize) -> AccessClaims<'static> {
        let user: &'static SimUser = Box::leak(Box::new(
            SimUser::new("ops@contoso.onmicrosoft.com", "x").with_display_name("Olivia Ops"),
        ));
        AccessClaims {
            user,
            tid: "7d3a9f7e-1c2b-4d5e-8f90-a1b2c3d4e5f6",
            oid: "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
            sub: "l3_roISQU222bULS9yi2k0XpqpOiMz5H3ZACo1GeXA",
            aud: "https://lcsapi.lcs.dynamics.com",
            client_id: "0a1b2c3d-4e5f-6789-abcd-ef0123456789",
            amr: Box::leak(Box::new(vec!["pwd".to_owned()])),
            iat: 1_795_665_600,
            exp: 1_795_669_200,
            groups,
        }
    }

    #[test]
    fn an_access_token_has_entras_claims_and_size() {
        let token = jwt::encode(&claims(0).to_json());
        assert!((1500..=2500).contains(&token.len()), "{} chars", token.len());
        let decoded = jwt::claims(&token).unwrap();
        for name in [
            "aio",
            "acr",
            "amr",
            "appid",
            "appidacr",
            "family_name",
            "given_name",
            "ipaddr",
            "name",
            "oid",
            "puid",
            "rh",
            "scp",
            "sub",
            "tid",
            "unique_name",
            "upn",
            "uti",
            "ver",
            "wids",
        ] {
            assert!(decoded.get(name).is_some(), "{name} missing");
        }
        assert_eq!(decoded["given_name"], "Olivia");
        assert_eq!(decoded["family_name"], "Ops");
        assert!(decoded.get("groups").is_none());
        // An RS256 signature: 256 bytes, 342 base64url characters.
        assert_eq!(token.rsplit('.').next().unwrap().len(), 342);
    }

    #[test]
    fn group_claims_take_a_token_past_16_kib() {
        let token = jwt::encode(&claims(320).to_json());
        assert!(token.len() > 16 * 1024, "{} chars", token.len());
        let groups = jwt::claims(&token).unwrap()["groups"].as_array().unwrap().len();
        assert_eq!(groups, 320);
    }
}
