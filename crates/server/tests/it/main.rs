//! casus-server's integration tests, one module per topic.

mod api;
mod assets;
mod browser;
mod common;
mod kill9;
mod openapi;
