//! One module per command.

pub mod cases;
pub mod validate;
// casus:modules
