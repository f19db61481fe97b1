//! One module per command.

pub mod assess;
pub mod cases;
#[cfg(feature = "cluster")]
pub mod cluster;
pub mod evaluate;
pub mod explain;
pub mod fit;
pub mod forecast;
pub mod report;
pub mod scenarios;
pub mod serve;
pub mod validate;
// casus:modules
