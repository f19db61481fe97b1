//! End-to-end tests of the `casus` binary, one module per topic.

#[macro_use]
mod macros;

mod assess;
mod cases;
mod crash;
#[cfg(feature = "events")]
mod events;
mod forecast;
mod history;
mod holdout;
#[cfg(feature = "events")]
mod s3;
mod scores;
mod serve;
#[cfg(feature = "events")]
mod sync;
mod validate;
