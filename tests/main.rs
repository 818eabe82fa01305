//! Integration tests (one binary).

mod cli;
mod examples;
mod golden;
mod properties;
mod streaming;
