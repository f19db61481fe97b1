//! casus-model's integration tests, one module per topic.

mod acceptance;
mod artifact;
mod assess;
mod common;
mod evaluate;
mod reference;
mod temporal;
