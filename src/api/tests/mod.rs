//! Tests of `lcsauth api`'s rules, on one set of targets and profile values.

mod fixtures;
mod request;
mod wait;
