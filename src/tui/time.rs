//! Time for the screen: the library's helpers (`lcsauth::time`), which take `now` as an
//! argument and read no clock.

#[cfg(test)]
pub use lcsauth::time::earlier;
pub use lcsauth::time::{age, between, claim_time, clock, countdown, later, local_and_utc};
