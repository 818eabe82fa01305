//! Detector specifications: the serde form of a pattern file and the built-in pack.
//!
//! A pattern file describes one detector: its id, label, priority, one or more patterns
//! (regex + validator + boundary rule + optional keywords) and `[[example]]` cases that run
//! as tests. This module only parses and checks the files; [`crate::engine`] compiles them.

use regex_syntax::hir::{Class, Hir, HirKind};
use serde::Deserialize;

use crate::context::LEFT_CONTEXT;
use crate::error::Error;
use crate::validate::Validator;

/// The built-in pack, embedded in the binary. Order here does not matter; `priority` does.
pub const BUILTIN: &[(&str, &str)] = &[
    ("email.toml", include_str!("../patterns/email.toml")),
    ("card.toml", include_str!("../patterns/card.toml")),
    ("npwp.toml", include_str!("../patterns/npwp.toml")),
    ("nik.toml", include_str!("../patterns/nik.toml")),
    ("phone.toml", include_str!("../patterns/phone.toml")),
    ("ipv4.toml", include_str!("../patterns/ipv4.toml")),
    ("ipv6.toml", include_str!("../patterns/ipv6.toml")),
    ("mac.toml", include_str!("../patterns/mac.toml")),
    ("imei.toml", include_str!("../patterns/imei.toml")),
    ("iban.toml", include_str!("../patterns/iban.toml")),
    ("passport.toml", include_str!("../patterns/passport.toml")),
    ("sim.toml", include_str!("../patterns/sim.toml")),
    ("nip.toml", include_str!("../patterns/nip.toml")),
    ("bpjs.toml", include_str!("../patterns/bpjs.toml")),
    ("plate.toml", include_str!("../patterns/plate.toml")),
    ("gps.toml", include_str!("../patterns/gps.toml")),
    ("device-id.toml", include_str!("../patterns/device-id.toml")),
    ("jwt.toml", include_str!("../patterns/jwt.toml")),
    ("auth.toml", include_str!("../patterns/auth.toml")),
    ("aws.toml", include_str!("../patterns/aws.toml")),
    ("api-key.toml", include_str!("../patterns/api-key.toml")),
    ("password.toml", include_str!("../patterns/password.toml")),
    (
        "bank-account.toml",
        include_str!("../patterns/bank-account.toml"),
    ),
    ("sg-nric.toml", include_str!("../patterns/sg-nric.toml")),
    ("my-mykad.toml", include_str!("../patterns/my-mykad.toml")),
    (
        "social-handle.toml",
        include_str!("../patterns/social-handle.toml"),
    ),
    (
        "person-name.toml",
        include_str!("../patterns/person-name.toml"),
    ),
    ("address.toml", include_str!("../patterns/address.toml")),
    (
        "birth-date.toml",
        include_str!("../patterns/birth-date.toml"),
    ),
    (
        "private-key.toml",
        include_str!("../patterns/private-key.toml"),
    ),
];

/// One detector as written in a pattern file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectorSpec {
    /// Short id used on the command line and in stats (`email`, `phone`, ...).
    pub id: String,
    /// Label written by the `label` action, without brackets (`EMAIL`).
    pub label: String,
    /// Lower runs first when two detectors match at the same start.
    pub priority: i32,
    /// One line for `samar detectors`.
    pub description: String,
    /// What the value is, for the `partial` and `hash` actions.
    #[serde(default)]
    pub kind: ValueKind,
    /// The patterns, in priority order within the detector.
    #[serde(rename = "pattern")]
    pub patterns: Vec<PatternSpec>,
    /// Examples: `text` redacted with the label action must equal `redacted`.
    #[serde(default, rename = "example")]
    pub examples: Vec<ExampleSpec>,
}

/// One regex of a detector.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternSpec {
    /// Name for diagnostics.
    pub name: String,
    /// Regex in ASCII syntax (compiled with Unicode off; `\b` is an ASCII word boundary).
    pub regex: String,
    /// Overrides the detector's priority for this pattern (a NIK written after "NIK" is
    /// tried before card numbers).
    #[serde(default)]
    pub priority: Option<i32>,
    /// Validator applied to each candidate (see [`Validator`]); none by default.
    #[serde(default)]
    pub validator: Option<String>,
    /// Boundary rule applied around each candidate.
    #[serde(default)]
    pub boundary: Boundary,
    /// If set, one of these words (ASCII, case-insensitive) must occur shortly before the
    /// candidate on the same line.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// How many bytes before the candidate (on its line) a keyword may start: by default
    /// [`crate::context::KEYWORD_WINDOW`], at most [`crate::context::LEFT_CONTEXT`] (a
    /// command's name before its options: `mysql -h db1 -P 3306 -u root -pX`).
    #[serde(default)]
    pub keyword_window: Option<usize>,
    /// If one of these words (ASCII, case-insensitive) ends within a few bytes before the
    /// candidate, it is not an identifier (`version 1.2.3.4`).
    #[serde(default)]
    pub exclude_keywords: Vec<String>,
    /// The match may be the BEGIN line of a multi-line key block: the finding then carries
    /// over the key lines that follow, up to the END line (see `block.rs`).
    #[serde(default)]
    pub pem_block: bool,
}

/// An example case of a pattern file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    pub text: String,
    pub redacted: String,
}

/// What a detector's values are: decides what `partial` keeps and how `hash` normalises.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueKind {
    /// Email: `partial` keeps the domain; `hash` ignores case.
    Email,
    /// Phone: `hash` uses the international digits (0812… and +62 812… hash alike).
    Phone,
    /// Digits: `hash` uses the digits only (separators do not matter).
    Digits,
    /// IP address: `partial` keeps the network part (IPv4 /24, IPv6 the first three
    /// groups); `hash` ignores case.
    Ip,
    /// Anything else: `hash` ignores ASCII case.
    #[default]
    Text,
    /// A secret (password, token, key): `partial` shows nothing of it (it masks it
    /// whole); `hash` is as for text.
    Secret,
}

/// Which context rule guards a candidate's edges.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Boundary {
    /// Not part of a longer alphanumeric or dash-joined hex token, nor of a dotted number.
    #[default]
    Token,
    /// IPv6 rule: not preceded by `[0-9A-Za-z_:.]`, not followed by `[0-9A-Za-z_:]` (a
    /// single `:` followed by a space or the end is punctuation).
    Ipv6,
    /// No check beyond the regex.
    None,
    /// A command-line option: the match starts after a blank, a quote or at a line start
    /// (`-pX` in `mysql -u root -pX`, not the `-p` of `--port`).
    Option,
    /// A cue that is one only after a number: the match starts after blanks that follow a
    /// number of at least eight digits, grouped or not (`1234567890 an Budi`: an account's
    /// holder; `an` is an English article elsewhere).
    #[serde(rename = "after-number")]
    AfterNumber,
}

/// Parse one pattern file and run the load-time checks on every regex.
pub fn parse_spec(file: &str, text: &str) -> Result<DetectorSpec, Error> {
    parse_spec_checked(file, text, true)
}

/// [`parse_spec`]; with `regexes` false the regexes are left for the engine build to check
/// (the built-in pack, whose regexes a test checks here: parsing them twice at every
/// start-up was a fifth of it).
fn parse_spec_checked(file: &str, text: &str, regexes: bool) -> Result<DetectorSpec, Error> {
    let err = |reason: String| Error::Pattern {
        file: file.to_string(),
        reason,
    };
    let spec: DetectorSpec = toml::from_str(text).map_err(|e| err(e.to_string()))?;
    if spec.id.is_empty()
        || !spec
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        return Err(err(format!(
            "detector id `{}` must be non-empty lowercase ASCII letters, digits, - or _",
            spec.id
        )));
    }
    if spec.label.is_empty() || spec.label.bytes().any(|b| b.is_ascii_control()) {
        return Err(err("label must be non-empty printable text".into()));
    }
    if spec.patterns.is_empty() {
        return Err(err("a detector needs at least one [[pattern]]".into()));
    }
    for p in &spec.patterns {
        if regexes {
            check_regex(&p.regex)
                .map_err(|reason| err(format!("pattern `{}`: {reason}", p.name)))?;
        }
        if let Some(v) = &p.validator {
            Validator::from_name(v)
                .ok_or_else(|| err(format!("pattern `{}`: unknown validator `{v}`", p.name)))?;
        }
        if let Some(w) = p.keyword_window {
            check_keyword_window(w, !p.keywords.is_empty())
                .map_err(|reason| err(format!("pattern `{}`: {reason}", p.name)))?;
        }
        if p.keywords
            .iter()
            .any(|k| k.is_empty() || !k.is_ascii() || k.contains('\n'))
        {
            return Err(err(format!(
                "pattern `{}`: keywords must be non-empty ASCII",
                p.name
            )));
        }
    }
    Ok(spec)
}

/// Parse the embedded pack.
pub fn builtin_specs() -> Result<Vec<DetectorSpec>, Error> {
    use rayon::prelude::*;
    // Reading the pack's TOML is a tenth of start-up: the cores share it out (the first
    // error in pack order is the one reported).
    let specs: Vec<Result<DetectorSpec, Error>> = BUILTIN
        .par_iter()
        .map(|(f, t)| parse_spec_checked(f, t, false))
        .collect();
    specs.into_iter().collect()
}

/// The syntax every detector regex is compiled with: bytes, ASCII classes and boundaries
/// (as [`parse_hir`] parses; for tests that compile from the regex text).
#[cfg(test)]
pub(crate) fn syntax_config() -> regex_automata::util::syntax::Config {
    regex_automata::util::syntax::Config::new()
        .unicode(false)
        .utf8(false)
}

pub(crate) fn parse_hir(regex: &str) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(regex)
        .map_err(|e| {
            // regex-syntax errors span several lines; keep the message to one line.
            e.to_string()
                .lines()
                .last()
                .unwrap_or("invalid regex")
                .trim()
                .to_string()
        })
}

/// Load-time rules of the engine: a detector may not match a newline, the empty string or an
/// unbounded length (the stream's window overlap is the longest possible match).
pub(crate) fn check_regex(regex: &str) -> Result<usize, String> {
    check_hir(&parse_hir(regex)?)
}

/// [`check_regex`] on a regex already parsed with [`parse_hir`].
pub(crate) fn check_hir(hir: &Hir) -> Result<usize, String> {
    let props = hir.properties();
    match props.minimum_len() {
        None => return Err("the regex can never match".into()),
        Some(0) => return Err("the regex can match the empty string".into()),
        Some(_) => {}
    }
    let max = props.maximum_len().ok_or_else(|| {
        "the regex can match an unbounded length (use bounded repetitions like {1,64})".to_string()
    })?;
    if max > MAX_MATCH_LEN {
        return Err(format!(
            "the longest possible match is {max} bytes; the limit is {MAX_MATCH_LEN}"
        ));
    }
    if can_match_newline(hir) {
        return Err(
            "the regex can match a newline (write [ \\t] or \\x20 instead of \\s or .)".into(),
        );
    }
    Ok(max)
}

/// A pattern's `keyword_window`: 1 to [`LEFT_CONTEXT`] bytes, with keywords to look for.
pub(crate) fn check_keyword_window(width: usize, has_keywords: bool) -> Result<(), String> {
    if !has_keywords {
        return Err("`keyword_window` needs `keywords`".into());
    }
    if width == 0 || width > LEFT_CONTEXT {
        return Err(format!(
            "`keyword_window` must be 1 to {LEFT_CONTEXT} bytes (the context read before a candidate)"
        ));
    }
    Ok(())
}

/// Longest match any detector may have; bounds the stream window overlap. 16 KiB, as for
/// a key rule's value: a JWT with a large claims payload is one match.
pub const MAX_MATCH_LEN: usize = 16 * 1024;

fn can_match_newline(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(lit) => lit.0.contains(&b'\n'),
        HirKind::Class(Class::Unicode(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= '\n' && '\n' <= r.end()),
        HirKind::Class(Class::Bytes(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        HirKind::Repetition(rep) => rep.max != Some(0) && can_match_newline(&rep.sub),
        HirKind::Capture(cap) => can_match_newline(&cap.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().any(can_match_newline),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_newline_empty_and_unbounded() {
        assert!(check_regex(r"a\nb").unwrap_err().contains("newline"));
        assert!(check_regex(r"a\sb").unwrap_err().contains("newline"));
        assert!(check_regex(r"(?s)a.b").unwrap_err().contains("newline"));
        assert!(check_regex(r"[^x]{2}").unwrap_err().contains("newline"));
        assert!(check_regex(r"a*").unwrap_err().contains("empty"));
        assert!(check_regex(r"\b").unwrap_err().contains("empty"));
        assert!(check_regex(r"a+").unwrap_err().contains("unbounded"));
        assert!(check_regex(r"a{1,17000}").unwrap_err().contains("limit"));
        assert_eq!(check_regex(r"\ba[0-9]{2,4}\b"), Ok(5));
        assert_eq!(check_regex(r"(?:a|bc)[\x20.]?"), Ok(3));
    }

    #[test]
    fn bad_file_names_the_file_and_reason() {
        let text = "id = \"x\"\nlabel = \"X\"\npriority = 1\ndescription = \"d\"\n[[pattern]]\nname = \"p\"\nregex = 'a.*'\n";
        let e = parse_spec("x.toml", text).unwrap_err().to_string();
        assert!(e.starts_with("pattern file x.toml: pattern `p`:"), "{e}");
        let e = parse_spec("y.toml", "id = 3").unwrap_err().to_string();
        assert!(e.starts_with("pattern file y.toml:"), "{e}");
        let bad_validator = text.replace("a.*", "ab") + "validator = \"nope\"\n";
        let e = parse_spec("z.toml", &bad_validator)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown validator `nope`"), "{e}");
        let base = text.replace("a.*", "ab");
        let wide = base.clone() + "keywords = [\"k\"]\nkeyword_window = 97\n";
        let e = parse_spec("w.toml", &wide).unwrap_err().to_string();
        assert!(e.contains("`keyword_window` must be 1 to 96 bytes"), "{e}");
        let alone = base.clone() + "keyword_window = 50\n";
        let e = parse_spec("w.toml", &alone).unwrap_err().to_string();
        assert!(e.contains("`keyword_window` needs `keywords`"), "{e}");
        let after = base.clone() + "boundary = \"after-number\"\n";
        let spec = parse_spec("w.toml", &after).unwrap();
        assert_eq!(spec.patterns[0].boundary, Boundary::AfterNumber);
        let good = base + "keywords = [\"k\"]\nkeyword_window = 96\nboundary = \"option\"\n";
        let spec = parse_spec("w.toml", &good).unwrap();
        assert_eq!(spec.patterns[0].keyword_window, Some(96));
        assert_eq!(spec.patterns[0].boundary, Boundary::Option);
    }

    #[test]
    fn builtin_pack_loads() {
        let specs = builtin_specs().unwrap();
        let ids: Vec<_> = specs.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "email",
                "card",
                "npwp",
                "nik",
                "phone",
                "ipv4",
                "ipv6",
                "mac",
                "imei",
                "iban",
                "passport",
                "sim",
                "nip",
                "bpjs",
                "plate",
                "gps",
                "device-id",
                "jwt",
                "auth",
                "aws",
                "api-key",
                "password",
                "bank-account",
                "sg-nric",
                "my-mykad",
                "social-handle",
                "person-name",
                "address",
                "birth-date",
                "private-key"
            ]
        );
        assert!(specs.iter().all(|s| !s.examples.is_empty()));
        // The built-in files load without their regexes checked (the engine checks them):
        // each passes the load-time check a user's file gets.
        for (file, text) in BUILTIN {
            parse_spec(file, text).unwrap();
        }
    }
}
