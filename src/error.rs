//! Typed errors of the library. Messages never contain matched values.

use std::path::PathBuf;

/// Errors raised while loading detector packs or building a [`crate::Redactor`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A pattern file could not be parsed or failed a load-time check.
    #[error("pattern file {file}: {reason}")]
    Pattern { file: String, reason: String },
    /// The combined detector automaton could not be built.
    #[error("cannot compile the detector pack: {0}")]
    Compile(String),
    /// A detector id was named that the pack does not have.
    #[error("unknown detector `{0}` (see `samar detectors`)")]
    UnknownDetector(String),
    /// An action name could not be parsed.
    #[error("unknown action `{0}` (expected label, mask, partial, hash or remove)")]
    UnknownAction(String),
    /// The hash action was requested without a key.
    #[error("the hash action needs a key: pass --hash-key-file FILE or set SAMAR_HASH_KEY (samar never hashes without a key)")]
    MissingHashKey,
    /// A hash key was given but is unusable.
    #[error("hash key is empty")]
    EmptyHashKey,
    /// A format name could not be parsed.
    #[error("unknown format `{0}` (expected auto, text, json or logfmt)")]
    UnknownFormat(String),
    /// Every detector was disabled.
    #[error("no detector is enabled")]
    NoDetectors,
}

/// Errors of the streaming path.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// Reading an input failed (the bytes read before the error were redacted and written).
    #[error("cannot read {name}: {source}")]
    Read {
        name: String,
        #[source]
        source: std::io::Error,
    },
    /// Writing the output failed.
    #[error("cannot write output: {0}")]
    Write(#[source] std::io::Error),
}

impl StreamError {
    /// True when the output's reader went away (a closed pipe); callers usually exit 0.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, StreamError::Write(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// A path-carrying I/O error used by the binary.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct PathError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}
