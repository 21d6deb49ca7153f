//! `lcsauth api`: one call to the LCS API or the Power Platform API with the right host and a
//! fresh token, and the wait for the long operations those calls start.
//!
//! Everything here is pure or takes its I/O as an argument: the command line only parses and
//! formats. [`target`] resolves an audience to a host, [`request`] builds a request (placeholders,
//! the host allowlist, LCS's version header) with a [`Method`], `effect` says what it does (the
//! mutation rule, the LCS operation it starts, the dry-run rendering), [`verdict`] reads an
//! answer, `operation` finds the long operation an answer started, [`wait`] polls it to its end,
//! [`mask`] hides SAS signatures and `visible` makes outside text safe for a terminal.

mod effect;
pub mod mask;
mod method;
mod operation;
pub mod request;
pub mod target;
pub mod verdict;
mod visible;
pub mod wait;

pub use effect::LcsOperation;
pub use request::{ApiRequest, LCS_API_VERSION, Method, RequestError, UnknownMethod};
pub use target::{Service, Target};
pub use verdict::BODY_LIMIT;
pub use visible::{visible, visible_line};

#[cfg(test)]
mod tests;
