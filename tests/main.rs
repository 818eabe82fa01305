//! Integration tests (one binary).

mod cli;
mod examples;
mod properties;
mod streaming;
mod vectors;
