//! `lcsauth api`: one call to the LCS API or the Power Platform API with the right host and a
//! fresh token, and the wait for the long operations those calls start.
//!
//! Everything here is pure or takes its I/O as an argument: the command line only parses and
//! formats. [`target`] resolves an audience to a host, [`request`] builds a request (placeholders,
//! the host allowlist, LCS's version header, the mutation rule), [`verdict`] reads an answer,
//! [`mask`] hides SAS signatures, and [`wait`] polls an operation to its end.

pub mod mask;
pub mod request;
pub mod target;
pub mod verdict;
pub mod wait;

pub use request::{ApiRequest, Method, RequestError};
pub use target::{Service, Target};

/// The LCS API version every LCS call names.
pub const LCS_API_VERSION: &str = "2017-09-15";

/// The largest answer body read, in bytes: a backup list of thousands of entries fits.
pub const BODY_LIMIT: usize = 16 << 20;

/// Control characters of outside text made visible before a terminal sees them (newlines kept).
pub fn visible(text: &str) -> String {
    crate::sanitize::text(text).into_owned()
}

/// [`visible`] for one line: newlines too.
pub fn visible_line(text: &str) -> String {
    crate::sanitize::line(text).into_owned()
}
