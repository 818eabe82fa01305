//! Integration tests (one binary).

mod cli;
mod corpus;
mod examples;
mod hostile;
mod properties;
mod streaming;
mod structured;
mod vectors;
