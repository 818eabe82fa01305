//! # samar — streaming PII redaction for logs and chat transcripts
//!
//! samar removes personal data (emails, phone numbers, IP addresses, payment cards,
//! Indonesian NPWP tax ids and NIK national ids) from logs before they are stored or
//! analysed. All detectors compile into one multi-pattern automaton; candidates are
//! validated (Luhn, NPWP check digit, NIK structure, IP parsing) before they are redacted.
//!
//! ```
//! use samar::{Action, Redactor};
//!
//! let redactor = Redactor::builder()
//!     .detector_action("phone", Action::Partial)
//!     .build()?;
//! let out = redactor.redact("kirim ke budi@mail.co.id atau WA 0812-3456-7890, NIK 3273011708900001");
//! assert_eq!(out, "kirim ke [EMAIL] atau WA ****-****-7890, NIK [NIK]");
//!
//! // Nothing found: the input comes back borrowed.
//! assert!(matches!(redactor.redact("nothing here"), std::borrow::Cow::Borrowed(_)));
//!
//! // Streams: any `Read` to any `Write`, in parallel batches, order kept.
//! let mut out = Vec::new();
//! let stats = redactor.redact_stream(&b"ip 10.1.2.3\ncard 4526 0181 5908 3012\n"[..], &mut out)?;
//! assert_eq!(out, b"ip [IPV4]\ncard [CARD]\n");
//! assert_eq!(stats.lines, 2);
//! assert_eq!(stats.findings_of("card"), Some(1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A [`Redactor`] is `Send + Sync`: build it once and share it across threads.

// One module calls into SSE2 (see `separators`), and the main automaton's walk takes
// regex-automata's unchecked transition (see `skip`); nothing else may use `unsafe`.
#![deny(unsafe_code)]

pub mod action;
mod block;
mod carry;
pub mod cli;
pub mod config;
mod context;
pub mod detector;
mod engine;
pub mod error;
mod escape;
pub mod finding;
pub mod format;
mod halfword;
pub(crate) mod json;
pub mod keys;
mod kv;
mod lift;
mod lookalike;
mod matcher;
mod parent;
mod prefilter;
pub mod records;
pub mod redactor;
mod reverse;
pub mod rsyslog;
mod separators;
pub mod serve;
pub(crate) mod sibling;
mod skip;
pub mod stats;
pub mod stream;
pub mod validate;
mod value;
mod view;

pub use action::Action;
pub use detector::{DetectorSpec, ValueKind};
pub use error::{Error, StreamError};
pub use finding::{DetectorId, Finding, Span};
pub use format::Format;
pub use keys::KeyRules;
pub use records::Records;
pub use redactor::{DetectorInfo, Redactor, RedactorBuilder};
pub use stats::Stats;
pub use stream::{redact_sources, redact_stream, Source, StreamConfig};

#[cfg(test)]
mod tests {
    #[test]
    fn redactor_is_send_and_sync() {
        fn shared<T: Send + Sync>() {}
        shared::<crate::Redactor>();
    }
}
