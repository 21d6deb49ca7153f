//! Tests that drive the simulator over loopback HTTP, as lcsauth does.

mod browser;
mod control;
mod device;
mod discovery;
mod lcs;
mod record;
mod refresh;
mod scripted;
mod token;

use reqwest::header::HeaderMap;
use serde_json::Value;

use super::{SimConfig, SimUser, Simulator};

pub const CLIENT_ID: &str = "51f81489-12ee-4a9e-aaae-a2591f45987d";
pub const TENANT: &str = "contoso.onmicrosoft.com";
pub const LCS_SCOPE: &str = "https://lcsapi.lcs.dynamics.com//.default offline_access";
pub const USER: &str = "ops@contoso.onmicrosoft.com";
pub const PASSWORD: &str = "Demo-Pass-1";

/// A client that does not follow redirects (the tests look at them).
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The default configuration plus an MFA user.
pub fn config() -> SimConfig {
    SimConfig::default().user(SimUser::new("mfa@contoso.onmicrosoft.com", "Mfa-Pass-1").with_mfa())
}

pub async fn start() -> Simulator {
    Simulator::start(config()).await.unwrap()
}

/// A response's status, headers and JSON body (`Null` when not JSON).
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Reply {
    pub async fn read(response: reqwest::Response) -> Self {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Self {
            status,
            headers,
            text,
            json,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts Entra's error shape with this `error` and code.
    pub fn assert_error(&self, error: &str, code: u32) {
        assert_eq!(self.json["error"], error, "body: {}", self.text);
        assert_eq!(
            self.json["error_codes"],
            serde_json::json!([code]),
            "body: {}",
            self.text
        );
        let description = self.json["error_description"].as_str().unwrap();
        assert!(
            description.starts_with(&format!("AADSTS{code}: ")),
            "description: {description}"
        );
    }
}

pub async fn post_form(sim: &Simulator, path: &str, form: &[(&str, &str)]) -> Reply {
    let response = http()
        .post(format!("{}{path}", sim.base_url()))
        .form(form)
        .send()
        .await
        .unwrap();
    Reply::read(response).await
}

pub async fn token(sim: &Simulator, form: &[(&str, &str)]) -> Reply {
    post_form(sim, &format!("/{TENANT}/oauth2/v2.0/token"), form).await
}

pub async fn password_grant(sim: &Simulator, username: &str, password: &str) -> Reply {
    token(
        sim,
        &[
            ("client_id", CLIENT_ID),
            ("scope", LCS_SCOPE),
            ("grant_type", "password"),
            ("username", username),
            ("password", password),
        ],
    )
    .await
}

pub async fn refresh_grant(sim: &Simulator, refresh_token: &str) -> Reply {
    token(
        sim,
        &[
            ("client_id", CLIENT_ID),
            ("scope", LCS_SCOPE),
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ],
    )
    .await
}
