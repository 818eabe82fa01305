//! Integration tests (one binary).

mod cli;
mod corpus;
mod examples;
mod hostile;
mod properties;
mod rsyslog;
mod serve;
mod streaming;
mod structured;
mod vectors;
