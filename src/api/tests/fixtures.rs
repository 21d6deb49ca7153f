//! The targets and profile values the `api` tests build their requests against.

use crate::api::request::{ApiRequest, Method, Placeholders, build};
use crate::api::target::{Service, Target};
use crate::audience::Audience;

/// The LCS API of the public cloud.
pub fn lcs() -> Target {
    Target {
        service: Service::Lcs,
        base: "https://lcsapi.lcs.dynamics.com".into(),
        audience: Audience::Lcs,
    }
}

/// The Power Platform API of the public cloud.
pub fn power_platform() -> Target {
    Target {
        service: Service::PowerPlatform,
        base: "https://api.powerplatform.com".into(),
        audience: Audience::PowerPlatform,
    }
}

/// A profile `prod` with a project id and no environment id.
pub fn values() -> Placeholders {
    Placeholders {
        profile: "prod".into(),
        project_id: Some("1234567".into()),
        environment_id: None,
    }
}

/// A request without fields or body, for a path the tests know to be valid.
pub fn request(target: &Target, method: Method, path: &str) -> ApiRequest {
    build(target, method, path, &[], None, &values()).expect("a valid test request")
}
