//! How input lines are read: as text, as JSON lines, or decided per line.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// The input format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A line whose first non-blank byte is `{` and that parses as JSON is JSON; any other
    /// line is text (the default).
    #[default]
    Auto,
    /// Every line is text (key=value pairs are still recognised).
    Text,
    /// Every line is expected to be a JSON value; a line that does not parse is scanned as
    /// text and counted as malformed.
    Json,
    /// key=value lines; the same scan as text.
    Logfmt,
}

impl Format {
    /// Are lines tried as JSON?
    pub fn structured(self) -> bool {
        matches!(self, Format::Auto | Format::Json)
    }
}

impl FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Format, Error> {
        Ok(match s {
            "auto" => Format::Auto,
            "text" => Format::Text,
            "json" => Format::Json,
            "logfmt" => Format::Logfmt,
            _ => return Err(Error::UnknownFormat(s.to_string())),
        })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Auto => "auto",
            Format::Text => "text",
            Format::Json => "json",
            Format::Logfmt => "logfmt",
        })
    }
}
