//! casus-server's integration tests, one module per topic.

mod api;
mod assets;
mod browser;
mod common;
mod guard;
mod kill9;
mod load;
mod openapi;
mod situations;
mod watch;
