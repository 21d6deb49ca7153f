//! When to refresh a profile in the background: the library's schedule
//! (`lcsauth::broker::schedule`).

pub use lcsauth::broker::schedule::{backoff, plan};
