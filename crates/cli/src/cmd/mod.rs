//! One module per command.

pub mod assess;
pub mod cases;
#[cfg(feature = "cluster")]
pub mod cluster;
pub mod evaluate;
#[cfg(feature = "cluster")]
pub mod events;
pub mod explain;
pub mod fit;
pub mod forecast;
#[cfg(feature = "cluster")]
pub mod monitor;
pub mod report;
pub mod scenarios;
pub mod serve;
pub mod validate;
// casus:modules
