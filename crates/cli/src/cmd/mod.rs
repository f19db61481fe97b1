//! One module per command.

pub mod assess;
pub mod cases;
#[cfg(feature = "events")]
pub mod cluster;
pub mod evaluate;
#[cfg(feature = "events")]
pub mod events;
pub mod explain;
pub mod fit;
pub mod forecast;
pub mod history;
#[cfg(feature = "events")]
pub mod monitor;
pub mod new;
pub mod report;
pub mod scenarios;
pub mod serve;
pub mod validate;
// casus:modules
