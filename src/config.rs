//! The operator's config file, `samar.toml`, parsed with every error reported at its line
//! and column.
//!
//! Every section and key is optional:
//!
//! ```toml
//! format = "auto"                  # auto | text | json | logfmt
//!
//! [detectors]
//! only = ["email", "phone"]        # enable only these detectors
//! disable = ["ipv6"]               # disable these detectors
//!
//! [actions]
//! default = "label"                # label | mask | partial | hash | remove
//! phone = "partial"                # per detector id
//!
//! [key_rules]
//! add = ["nomor_kartu", "pin_atm"] # key names whose values are always redacted
//! remove = ["email"]               # built-in key names to stop treating as sensitive
//!
//! [allow]
//! values = ["support@company.co.id"]  # exact values that are never redacted
//!
//! # Custom detectors: the same schema as a pattern file in patterns/*.toml.
//! [[detector]]
//! id = "member-id"
//! label = "MEMBER"
//! priority = 80
//! description = "Loyalty member number"
//! # kind = "text"                  # email | phone | digits | ip | text | secret
//!
//! [[detector.pattern]]
//! name = "member"
//! regex = 'MBR-[0-9]{8}'
//! # validator, boundary, priority, keywords, exclude_keywords as in a pattern file
//!
//! [[detector.example]]             # checked when the config is loaded
//! text = "id MBR-12345678"
//! redacted = "id [MEMBER]"
//! ```
//!
//! Rules checked by [`parse_config`]:
//!
//! - No unknown keys anywhere; every value has the type shown above.
//! - Detector ids in `detectors.only`, `detectors.disable` and `[actions]` name a built-in or
//!   a custom detector; actions are one of the five action names.
//! - Key-rule names are non-empty ASCII letters, digits, `_`, `-` and `.`. They are stored
//!   folded by [`fold_key`]: lowercase, `-` and `.` become `_`, and camelCase is split with
//!   `_` (`accessToken` and `access-token` are both `access_token`).
//! - Allowed values are non-empty and hold no line break.
//! - Custom detectors pass the load-time checks of a pattern file (id syntax, a unique id,
//!   bounded regexes that can match neither a newline nor the empty string, known
//!   validators), and each `[[detector.example]]` holds: its `text` redacted by that detector
//!   alone with the label action equals its `redacted`.
//!
//! Messages name the key and never repeat a configured value, except ids and names.

use std::fmt;
use std::ops::Range;

use serde::de::{DeserializeOwned, IntoDeserializer};
use toml_edit::{ImDocument, Item, Key, TableLike, Value};

use crate::action::Action;
use crate::detector::{check_keyword_window, check_regex, DetectorSpec, ExampleSpec, PatternSpec};
use crate::redactor::Redactor;
use crate::validate::Validator;

/// A parsed and checked `samar.toml`.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Input format: one of `auto`, `text`, `json`, `logfmt`.
    pub format: Option<String>,
    /// `detectors.only`: enable only these detector ids.
    pub only: Option<Vec<String>>,
    /// `detectors.disable`: detector ids to disable.
    pub disable: Vec<String>,
    /// `actions.default`: the action of detectors without their own.
    pub default_action: Option<Action>,
    /// Per-detector actions, in file order.
    pub actions: Vec<(String, Action)>,
    /// `key_rules.add`, folded by [`fold_key`].
    pub key_rules_add: Vec<String>,
    /// `key_rules.remove`, folded by [`fold_key`].
    pub key_rules_remove: Vec<String>,
    /// `allow.values`: exact values that are never redacted.
    pub allow: Vec<String>,
    /// Custom detectors (`[[detector]]`), in file order.
    pub detectors: Vec<DetectorSpec>,
}

/// One problem in a config file. `line` and `column` are 1-based; the column counts
/// characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ConfigError {}

/// Fold a key name for key rules (the folding of [`crate::keys::fold`]: ASCII lowercase,
/// `-`, `.` and spaces become `_`, camelCase is split: `accessToken` -> `access_token`,
/// `APIKey` -> `api_key`, `X-API-Key` -> `x_api_key`).
pub fn fold_key(key: &str) -> String {
    let mut out = Vec::with_capacity(key.len() + 4);
    crate::keys::fold(key.as_bytes(), &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

const FORMATS: &[&str] = &["auto", "text", "json", "logfmt"];
const TOP_KEYS: &[&str] = &[
    "format",
    "detectors",
    "actions",
    "key_rules",
    "allow",
    "detector",
];
const DETECTOR_KEYS: &[&str] = &[
    "id",
    "label",
    "priority",
    "description",
    "kind",
    "pattern",
    "example",
];
const PATTERN_KEYS: &[&str] = &[
    "name",
    "regex",
    "priority",
    "validator",
    "boundary",
    "keywords",
    "keyword_window",
    "exclude_keywords",
];

/// Parse and check a config file. `builtin_ids`: ids of the built-in detectors, so unknown
/// ids can be reported. On failure every problem found is returned, in file order.
pub fn parse_config(text: &str, builtin_ids: &[String]) -> Result<Config, Vec<ConfigError>> {
    let doc = match ImDocument::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let (line, column) = position(text, e.span().map_or(0, |s| s.start));
            let message = one_line(e.message());
            return Err(vec![ConfigError {
                line,
                column,
                message: format!("invalid TOML: {message}"),
            }]);
        }
    };
    let root = doc.as_table();
    let mut ck = Checker {
        text,
        errors: Vec::new(),
    };
    let mut config = Config::default();
    ck.known_keys(root, "", TOP_KEYS);

    // Custom detectors first: their ids are valid in the other sections.
    let mut known: Vec<String> = builtin_ids.to_vec();
    if let Some(item) = root.get("detector") {
        config.detectors = ck.custom_detectors(root, item, builtin_ids, &mut known);
    }

    if let Some((format, at)) = ck.string(root, "format", "format") {
        if FORMATS.contains(&format.as_str()) {
            config.format = Some(format);
        } else {
            ck.error(
                &at,
                format!(
                    "unknown format{} in `format` (expected auto, text, json or logfmt)",
                    shown(&format)
                ),
            );
        }
    }

    if let Some(t) = ck.table(root, "detectors", "detectors") {
        ck.known_keys(t, "detectors.", &["only", "disable"]);
        if let Some(ids) = ck.strings(t, "only", "detectors.only") {
            if ids.is_empty() {
                let at = entry_span(t, "only");
                ck.error(
                    &at,
                    "`detectors.only` is empty: no detector would be enabled",
                );
            }
            config.only = Some(ck.ids(ids, &known, "detectors.only"));
        }
        if let Some(ids) = ck.strings(t, "disable", "detectors.disable") {
            config.disable = ck.ids(ids, &known, "detectors.disable");
        }
    }

    if let Some(t) = ck.table(root, "actions", "actions") {
        for (key, _) in t.iter() {
            let path = format!("actions.{}", key.escape_debug());
            let Some((name, at)) = ck.string(t, key, &path) else {
                continue;
            };
            let action = match name.parse::<Action>() {
                Ok(a) => Some(a),
                Err(_) => {
                    ck.error(
                        &at,
                        format!(
                            "unknown action{} in `{path}` (expected label, mask, partial, hash or remove)",
                            shown(&name)
                        ),
                    );
                    None
                }
            };
            if key == "default" {
                config.default_action = action;
            } else if !known.iter().any(|k| k == key) {
                ck.error(
                    &key_span(t, key),
                    format!(
                        "unknown detector id `{}` in `[actions]` (see `samar detectors`)",
                        key.escape_debug()
                    ),
                );
            } else if let Some(a) = action {
                config.actions.push((key.to_string(), a));
            }
        }
    }

    if let Some(t) = ck.table(root, "key_rules", "key_rules") {
        ck.known_keys(t, "key_rules.", &["add", "remove"]);
        config.key_rules_add = ck.key_names(t, "add", "key_rules.add");
        config.key_rules_remove = ck.key_names(t, "remove", "key_rules.remove");
    }

    if let Some(t) = ck.table(root, "allow", "allow") {
        ck.known_keys(t, "allow.", &["values"]);
        for (value, at) in ck.strings(t, "values", "allow.values").unwrap_or_default() {
            if value.is_empty() {
                ck.error(&at, "`allow.values`: an allowed value must not be empty");
            } else if value.contains(['\n', '\r']) {
                ck.error(
                    &at,
                    "`allow.values`: an allowed value must not hold a line break",
                );
            } else {
                config.allow.push(value);
            }
        }
    }

    if ck.errors.is_empty() {
        Ok(config)
    } else {
        let mut errors = ck.errors;
        errors.sort_by_key(|e| (e.line, e.column));
        Err(errors)
    }
}

type Span = Option<Range<usize>>;

/// Collects errors while walking the document.
struct Checker<'a> {
    text: &'a str,
    errors: Vec<ConfigError>,
}

/// A custom detector that parsed without errors, with where its parts are.
struct Parsed {
    spec: DetectorSpec,
    at: Span,
    examples: Vec<Span>,
}

impl Checker<'_> {
    fn error(&mut self, at: &Span, message: impl Into<String>) {
        let (line, column) = position(self.text, at.as_ref().map_or(0, |s| s.start));
        self.errors.push(ConfigError {
            line,
            column,
            message: message.into(),
        });
    }

    fn known_keys(&mut self, t: &dyn TableLike, prefix: &str, allowed: &[&str]) {
        for (key, _) in t.iter() {
            if !allowed.contains(&key) {
                self.error(
                    &key_span(t, key),
                    format!(
                        "unknown key `{prefix}{}` (expected {})",
                        key.escape_debug(),
                        allowed.join(", ")
                    ),
                );
            }
        }
    }

    fn wrong_type(&mut self, t: &dyn TableLike, key: &str, path: &str, expected: &str) {
        let found = t.get(key).map_or("nothing", Item::type_name);
        self.error(
            &entry_span(t, key),
            format!("`{path}` must be {expected} (found {found})"),
        );
    }

    /// An optional table.
    fn table<'d>(
        &mut self,
        parent: &'d dyn TableLike,
        key: &str,
        path: &str,
    ) -> Option<&'d dyn TableLike> {
        let item = parent.get(key)?;
        let t = item.as_table_like();
        if t.is_none() {
            self.wrong_type(parent, key, path, &format!("a table ([{path}])"));
        }
        t
    }

    /// An optional string.
    fn string(&mut self, t: &dyn TableLike, key: &str, path: &str) -> Option<(String, Span)> {
        let item = t.get(key)?;
        match item.as_str() {
            Some(s) => Some((s.to_string(), entry_span(t, key))),
            None => {
                self.wrong_type(t, key, path, "a string");
                None
            }
        }
    }

    /// A required string; a missing one is reported at `at` (the table), after `who`.
    fn required_string(
        &mut self,
        t: &dyn TableLike,
        key: &str,
        path: &str,
        at: &Span,
        who: &str,
    ) -> Option<(String, Span)> {
        if t.get(key).is_none() {
            self.error(at, format!("{who}: `{path}` is missing"));
            return None;
        }
        self.string(t, key, path)
    }

    /// An optional array of strings; entries of another type are reported and skipped.
    fn strings(&mut self, t: &dyn TableLike, key: &str, path: &str) -> Option<Vec<(String, Span)>> {
        let item = t.get(key)?;
        let Some(array) = item.as_array() else {
            self.wrong_type(t, key, path, "an array of strings");
            return None;
        };
        let mut out = Vec::with_capacity(array.len());
        for value in array.iter() {
            match value.as_str() {
                Some(s) => out.push((s.to_string(), value.span())),
                None => self.error(
                    &value.span().or_else(|| entry_span(t, key)),
                    format!(
                        "`{path}` entries must be strings, not {}",
                        value.type_name()
                    ),
                ),
            }
        }
        Some(out)
    }

    /// An optional `i32`.
    fn int(&mut self, t: &dyn TableLike, key: &str, path: &str) -> Option<i32> {
        let item = t.get(key)?;
        let Some(n) = item.as_integer() else {
            self.wrong_type(t, key, path, "an integer");
            return None;
        };
        match i32::try_from(n) {
            Ok(n) => Some(n),
            Err(_) => {
                self.error(
                    &entry_span(t, key),
                    format!("`{path}` is out of range (a 32-bit integer)"),
                );
                None
            }
        }
    }

    /// Detector ids: each must be known.
    fn ids(&mut self, ids: Vec<(String, Span)>, known: &[String], path: &str) -> Vec<String> {
        let mut out = Vec::with_capacity(ids.len());
        for (id, at) in ids {
            if known.contains(&id) {
                out.push(id);
            } else {
                self.error(
                    &at,
                    format!(
                        "unknown detector id{} in `{path}` (see `samar detectors`)",
                        shown(&id)
                    ),
                );
            }
        }
        out
    }

    /// Key-rule names, folded.
    fn key_names(&mut self, t: &dyn TableLike, key: &str, path: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (name, at) in self.strings(t, key, path).unwrap_or_default() {
            let ok = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
            if ok {
                out.push(fold_key(&name));
            } else {
                self.error(
                    &at,
                    format!(
                        "`{path}`: a key name must be non-empty ASCII letters, digits, `_`, `-` or `.`"
                    ),
                );
            }
        }
        out
    }

    /// All `[[detector]]` tables: parsed, ids checked for duplicates, examples run.
    fn custom_detectors(
        &mut self,
        root: &dyn TableLike,
        item: &Item,
        builtin_ids: &[String],
        known: &mut Vec<String>,
    ) -> Vec<DetectorSpec> {
        let Some(tables) = table_list(item) else {
            self.wrong_type(
                root,
                "detector",
                "detector",
                "an array of tables ([[detector]])",
            );
            return Vec::new();
        };
        let fallback = entry_span(root, "detector");
        let mut seen: Vec<(String, usize)> = Vec::new();
        let mut parsed = Vec::new();
        for (n, (t, at)) in tables.into_iter().enumerate() {
            let at = at.or_else(|| fallback.clone());
            let (id, spec) = self.custom_detector(t, &at, n + 1);
            if let Some((id, id_at)) = id {
                let line = position(self.text, id_at.as_ref().map_or(0, |s| s.start)).0;
                if id == "default" {
                    self.error(
                        &id_at,
                        "detector id `default` is reserved: `actions.default` is the default action",
                    );
                } else if builtin_ids.contains(&id) {
                    self.error(
                        &id_at,
                        format!("detector id `{id}` is already used by a built-in detector"),
                    );
                } else if let Some((_, first)) = seen.iter().find(|(s, _)| *s == id) {
                    let message = format!(
                        "detector id `{id}` is already used by the custom detector on line {first}"
                    );
                    self.error(&id_at, message);
                } else {
                    known.push(id.clone());
                }
                seen.push((id, line));
            }
            parsed.extend(spec);
        }
        for p in &parsed {
            self.run_examples(p);
        }
        parsed.into_iter().map(|p| p.spec).collect()
    }

    /// One `[[detector]]`: its id (if it is a string) and, when it has no error, its spec.
    fn custom_detector(
        &mut self,
        t: &dyn TableLike,
        at: &Span,
        n: usize,
    ) -> (Option<(String, Span)>, Option<Parsed>) {
        let before = self.errors.len();
        self.known_keys(t, "detector.", DETECTOR_KEYS);
        let number = format!("[[detector]] number {n}");
        let id = self.required_string(t, "id", "detector.id", at, &number);
        let who = match &id {
            Some((id, _)) => format!("detector `{}`", id.escape_debug()),
            None => number,
        };
        if let Some((id, id_at)) = &id {
            let ok = !id.is_empty()
                && id.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                });
            if !ok {
                self.error(
                    id_at,
                    "`detector.id` must be non-empty lowercase ASCII letters, digits, `-` or `_`",
                );
            }
        }
        let label = self.required_string(t, "label", "detector.label", at, &who);
        if let Some((label, label_at)) = &label {
            if label.is_empty() || label.bytes().any(|b| b.is_ascii_control()) {
                self.error(
                    label_at,
                    format!("{who}: `label` must be non-empty printable text"),
                );
            }
        }
        if t.get("priority").is_none() {
            self.error(at, format!("{who}: `detector.priority` is missing"));
        }
        let priority = self.int(t, "priority", "detector.priority");
        let description = self.required_string(t, "description", "detector.description", at, &who);
        let kind = match self.string(t, "kind", "detector.kind") {
            None => Some(Default::default()),
            Some((name, kind_at)) => {
                let kind = from_name(&name);
                if kind.is_none() {
                    self.error(
                        &kind_at,
                        format!(
                            "{who}: unknown kind{} in `kind` (expected email, phone, digits, ip, text or secret)",
                            shown(&name)
                        ),
                    );
                }
                kind
            }
        };

        let mut patterns = Vec::new();
        match t.get("pattern").map(table_list) {
            None => self.error(
                at,
                format!("{who}: a detector needs at least one [[detector.pattern]]"),
            ),
            Some(None) => self.wrong_type(
                t,
                "pattern",
                "detector.pattern",
                "an array of tables ([[detector.pattern]])",
            ),
            Some(Some(list)) => {
                if list.is_empty() {
                    self.error(
                        &entry_span(t, "pattern"),
                        format!("{who}: a detector needs at least one [[detector.pattern]]"),
                    );
                }
                let fallback = entry_span(t, "pattern");
                for (p, p_at) in list {
                    let p_at = p_at.or_else(|| fallback.clone());
                    patterns.extend(self.pattern(p, &p_at, &who));
                }
            }
        }

        let mut examples = Vec::new();
        let mut example_spans = Vec::new();
        match t.get("example").map(table_list) {
            None => {}
            Some(None) => self.wrong_type(
                t,
                "example",
                "detector.example",
                "an array of tables ([[detector.example]])",
            ),
            Some(Some(list)) => {
                let fallback = entry_span(t, "example");
                for (e, e_at) in list {
                    let e_at = e_at.or_else(|| fallback.clone());
                    self.known_keys(e, "detector.example.", &["text", "redacted"]);
                    let text =
                        self.required_string(e, "text", "detector.example.text", &e_at, &who);
                    let redacted = self.required_string(
                        e,
                        "redacted",
                        "detector.example.redacted",
                        &e_at,
                        &who,
                    );
                    if let (Some((text, _)), Some((redacted, _))) = (text, redacted) {
                        examples.push(ExampleSpec { text, redacted });
                        example_spans.push(e_at);
                    }
                }
            }
        }

        let parsed = match (
            &id,
            label,
            priority,
            description,
            kind,
            self.errors.len() == before,
        ) {
            (
                Some((id, _)),
                Some((label, _)),
                Some(priority),
                Some((description, _)),
                Some(kind),
                true,
            ) => Some(Parsed {
                spec: DetectorSpec {
                    id: id.clone(),
                    label,
                    priority,
                    description,
                    kind,
                    patterns,
                    examples,
                },
                at: at.clone(),
                examples: example_spans,
            }),
            _ => None,
        };
        (id, parsed)
    }

    /// One `[[detector.pattern]]`, with the checks of a pattern file.
    fn pattern(&mut self, t: &dyn TableLike, at: &Span, who: &str) -> Option<PatternSpec> {
        let before = self.errors.len();
        self.known_keys(t, "detector.pattern.", PATTERN_KEYS);
        let name = self.required_string(t, "name", "detector.pattern.name", at, who);
        let who = match &name {
            Some((name, _)) => format!("{who}, pattern `{}`", name.escape_debug()),
            None => who.to_string(),
        };
        let regex = self.required_string(t, "regex", "detector.pattern.regex", at, &who);
        if let Some((regex, regex_at)) = &regex {
            if let Err(reason) = check_regex(regex) {
                self.error(regex_at, format!("{who}: `regex`: {}", one_line(&reason)));
            }
        }
        let priority = self.int(t, "priority", "detector.pattern.priority");
        let validator = self.string(t, "validator", "detector.pattern.validator");
        if let Some((v, v_at)) = &validator {
            if Validator::from_name(v).is_none() {
                self.error(
                    v_at,
                    format!("{who}: unknown validator{} in `validator`", shown(v)),
                );
            }
        }
        let boundary = match self.string(t, "boundary", "detector.pattern.boundary") {
            None => Some(Default::default()),
            Some((b, b_at)) => {
                let boundary = from_name(&b);
                if boundary.is_none() {
                    self.error(
                        &b_at,
                        format!(
                            "{who}: unknown boundary{} in `boundary` (expected token, ipv6, option or none)",
                            shown(&b)
                        ),
                    );
                }
                boundary
            }
        };
        let mut words = |key: &str| -> Vec<String> {
            let path = format!("detector.pattern.{key}");
            let list = self.strings(t, key, &path).unwrap_or_default();
            let mut out = Vec::with_capacity(list.len());
            for (word, w_at) in list {
                if word.is_empty() || !word.is_ascii() || word.contains(['\n', '\r']) {
                    self.error(
                        &w_at,
                        format!("{who}: `{key}` entries must be non-empty ASCII on one line"),
                    );
                } else {
                    out.push(word);
                }
            }
            out
        };
        let keywords = words("keywords");
        let exclude_keywords = words("exclude_keywords");
        let keyword_window = match self.int(t, "keyword_window", "detector.pattern.keyword_window")
        {
            None => None,
            Some(w) => {
                // A negative width is out of range as 0 is.
                let w = usize::try_from(w).unwrap_or(0);
                let checked = check_keyword_window(w, !keywords.is_empty()).map(|()| w);
                match checked {
                    Ok(w) => Some(w),
                    Err(reason) => {
                        self.error(&entry_span(t, "keyword_window"), format!("{who}: {reason}"));
                        None
                    }
                }
            }
        };
        if self.errors.len() != before {
            return None;
        }
        Some(PatternSpec {
            name: name?.0,
            regex: regex?.0,
            priority: if t.get("priority").is_some() {
                Some(priority?)
            } else {
                None
            },
            validator: validator.map(|v| v.0),
            boundary: boundary?,
            keywords,
            keyword_window,
            exclude_keywords,
            pem_block: false,
        })
    }

    /// Build the detector alone and check each example.
    fn run_examples(&mut self, p: &Parsed) {
        let who = format!("detector `{}`", p.spec.id);
        let redactor = match Redactor::builder()
            .specs(vec![p.spec.clone()])
            .key_rules(crate::keys::KeyRules::none())
            .build()
        {
            Ok(r) => r,
            Err(e) => {
                self.error(
                    &p.at,
                    format!("{who}: cannot compile: {}", one_line(&e.to_string())),
                );
                return;
            }
        };
        for (n, (example, at)) in p.spec.examples.iter().zip(&p.examples).enumerate() {
            let got = redactor.redact(&example.text);
            if got != example.redacted {
                let how = if got == example.text {
                    "nothing was redacted"
                } else {
                    "the redaction differs"
                };
                self.error(
                    at,
                    format!(
                        "{who}: example {}: `text` redacted with the label action does not equal `redacted` ({how})",
                        n + 1
                    ),
                );
            }
        }
    }
}

/// The tables of an array of tables (`[[x]]`) or of an array of inline tables.
fn table_list(item: &Item) -> Option<Vec<(&dyn TableLike, Span)>> {
    match item {
        Item::ArrayOfTables(a) => Some(a.iter().map(|t| (t as &dyn TableLike, t.span())).collect()),
        Item::Value(Value::Array(a)) => a
            .iter()
            .map(|v| v.as_inline_table().map(|t| (t as &dyn TableLike, t.span())))
            .collect(),
        _ => None,
    }
}

/// Where a key's value is, else the key.
fn entry_span(t: &dyn TableLike, key: &str) -> Span {
    t.get(key)
        .and_then(Item::span)
        .or_else(|| t.key(key).and_then(Key::span))
}

/// Where a key is, else its value.
fn key_span(t: &dyn TableLike, key: &str) -> Span {
    t.key(key)
        .and_then(Key::span)
        .or_else(|| t.get(key).and_then(Item::span))
}

/// A unit enum variant by its serde name (`kind`, `boundary`).
fn from_name<T: DeserializeOwned>(name: &str) -> Option<T> {
    let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
        name.into_deserializer();
    T::deserialize(de).ok()
}

/// " `name`" when the value looks like a name (safe to repeat), else nothing.
fn shown(value: &str) -> String {
    let name_like = !value.is_empty()
        && value.len() <= 40
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if name_like {
        format!(" `{value}`")
    } else {
        String::new()
    }
}

fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// 1-based line and column (in characters) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detector::{builtin_specs, Boundary, ValueKind};

    fn builtin_ids() -> Vec<String> {
        builtin_specs().unwrap().into_iter().map(|s| s.id).collect()
    }

    fn errors(text: &str) -> Vec<ConfigError> {
        parse_config(text, &builtin_ids()).unwrap_err()
    }

    fn lines(errors: &[ConfigError]) -> Vec<usize> {
        errors.iter().map(|e| e.line).collect()
    }

    const EVERY_SECTION: &str = r#"format = "json"
[detectors]
only = ["email", "phone", "member-id"]
disable = ["ipv6"]
[actions]
default = "mask"
phone = "partial"
member-id = "hash"
[key_rules]
add = ["nomor_kartu", "pinATM", "X-Api.Key"]
remove = ["email"]
[allow]
values = ["support@company.co.id", "08001234567"]
[[detector]]
id = "member-id"
label = "MEMBER"
priority = 80
description = "Loyalty member number"
kind = "digits"
[[detector.pattern]]
name = "member"
regex = 'MBR-[0-9]{8}'
keywords = ["member"]
[[detector.pattern]]
name = "member-short"
regex = 'M[0-9]{6}'
priority = 5
validator = "none"
boundary = "none"
exclude_keywords = ["version"]
[[detector.example]]
text = "member MBR-12345678"
redacted = "member [MEMBER]"
"#;

    #[test]
    fn every_section_parses() {
        let c = parse_config(EVERY_SECTION, &builtin_ids()).unwrap();
        assert_eq!(c.format.as_deref(), Some("json"));
        assert_eq!(
            c.only,
            Some(vec!["email".into(), "phone".into(), "member-id".into()])
        );
        assert_eq!(c.disable, ["ipv6"]);
        assert_eq!(c.default_action, Some(Action::Mask));
        assert_eq!(
            c.actions,
            [
                ("phone".to_string(), Action::Partial),
                ("member-id".to_string(), Action::Hash)
            ]
        );
        assert_eq!(c.key_rules_add, ["nomor_kartu", "pin_atm", "x_api_key"]);
        assert_eq!(c.key_rules_remove, ["email"]);
        assert_eq!(c.allow, ["support@company.co.id", "08001234567"]);
        assert_eq!(c.detectors.len(), 1);
        let d = &c.detectors[0];
        assert_eq!(
            (d.id.as_str(), d.label.as_str(), d.priority, d.kind),
            ("member-id", "MEMBER", 80, ValueKind::Digits)
        );
        assert_eq!(d.description, "Loyalty member number");
        assert_eq!(d.patterns.len(), 2);
        let (p, q) = (&d.patterns[0], &d.patterns[1]);
        assert_eq!(
            (p.name.as_str(), p.regex.as_str()),
            ("member", "MBR-[0-9]{8}")
        );
        assert_eq!(
            (p.priority, p.validator.as_deref(), p.boundary),
            (None, None, Boundary::Token)
        );
        assert_eq!(p.keywords, ["member"]);
        assert_eq!(
            (q.priority, q.validator.as_deref(), q.boundary),
            (Some(5), Some("none"), Boundary::None)
        );
        assert_eq!(q.exclude_keywords, ["version"]);
        assert_eq!(d.examples.len(), 1);
        assert_eq!(d.examples[0].redacted, "member [MEMBER]");
    }

    #[test]
    fn empty_config_is_the_default() {
        let c = parse_config("# nothing\n", &builtin_ids()).unwrap();
        assert!(c.format.is_none() && c.only.is_none() && c.default_action.is_none());
        assert!(c.disable.is_empty() && c.actions.is_empty() && c.detectors.is_empty());
    }

    #[test]
    fn good_example_file_parses() {
        let text = include_str!("../testdata/config/good.toml");
        let c = parse_config(text, &builtin_ids()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(c.detectors.len(), 2);
        assert!(c.key_rules_add.iter().any(|k| k == "nomor_kartu"));
    }

    #[test]
    fn three_mistakes_three_errors() {
        let text = include_str!("../testdata/config/three-mistakes.toml");
        let errs = errors(text);
        assert_eq!(errs.len(), 3, "{errs:#?}");
        let at = |needle: &str| {
            errs.iter()
                .find(|e| e.message.contains(needle))
                .unwrap_or_else(|| panic!("no error with {needle}: {errs:#?}"))
        };
        // Positions in testdata/config/three-mistakes.toml.
        let disable = at("unknown detector id `ipv7`");
        assert_eq!((disable.line, disable.column), (6, 20));
        let action = at("unknown action `blur`");
        assert_eq!((action.line, action.column), (10, 9));
        let regex = at("unbounded");
        assert_eq!(regex.line, 21);
        assert!(
            regex.message.contains("pattern `kode`"),
            "{}",
            regex.message
        );
        assert!(regex.message.contains("detector `kode-voucher`"));
    }

    #[test]
    fn syntax_error_has_its_line() {
        let errs = errors("format = \"auto\"\n[detectors]\nonly = [\"email\",\n\nfoo = 1\n");
        assert_eq!(errs.len(), 1);
        assert!(errs[0].message.starts_with("invalid TOML"), "{}", errs[0]);
        assert_eq!(errs[0].line, 5, "{}", errs[0]);
        let errs = errors("a = 1\nb = = 2\n");
        assert_eq!((errs[0].line, errs[0].column), (2, 5), "{}", errs[0]);
        assert!(errs[0]
            .to_string()
            .starts_with("line 2, column 5: invalid TOML"));
    }

    #[test]
    fn fold_key_cases() {
        for (key, folded) in [
            ("accessToken", "access_token"),
            ("X-API-Key", "x_api_key"),
            ("db.password", "db_password"),
            ("no_HP", "no_hp"),
            ("APIKey", "api_key"),
            ("password", "password"),
            ("sha256Hash", "sha256_hash"),
            ("NIK", "nik"),
            ("", ""),
        ] {
            assert_eq!(fold_key(key), folded, "{key}");
        }
    }

    #[test]
    fn failing_example_is_reported_at_the_example() {
        let text = "[[detector]]\nid = \"member-id\"\nlabel = \"MEMBER\"\npriority = 80\ndescription = \"d\"\n[[detector.pattern]]\nname = \"member\"\nregex = 'MBR-[0-9]{8}'\n[[detector.example]]\ntext = \"id MBR-12345678\"\nredacted = \"id [MEMBER]\"\n[[detector.example]]\ntext = \"id MBR-1234\"\nredacted = \"id [MEMBER]\"\n";
        let errs = errors(text);
        assert_eq!(errs.len(), 1, "{errs:#?}");
        assert_eq!((errs[0].line, errs[0].column), (12, 1));
        let m = &errs[0].message;
        assert!(m.contains("detector `member-id`: example 2"), "{m}");
        assert!(m.contains("nothing was redacted"), "{m}");
        assert!(!m.contains("MBR"), "{m}");
    }

    #[test]
    fn types_keys_and_values_are_all_reported() {
        let text = r#"format = "xml"
colour = 1
[detectors]
only = "email"
disable = ["ipv4", 3]
[actions]
default = 1
nosuch = "mask"
[key_rules]
add = ["ok", "bad key", ""]
extra = []
[allow]
values = ["", "a\nb", "fine"]
"#;
        let errs = errors(text);
        let got: Vec<_> = errs.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(
            got,
            [
                (1, 10),
                (2, 1),
                (4, 8),
                (5, 20),
                (7, 11),
                (8, 1),
                (10, 14),
                (10, 25),
                (11, 1),
                (13, 11),
                (13, 15)
            ],
            "{errs:#?}"
        );
        assert!(errs.iter().all(|e| !e.message.contains('\n')));
        assert!(errs[0].message.contains("`format`"));
        assert!(errs[1].message.contains("unknown key `colour`"));
        assert!(errs[2]
            .message
            .contains("`detectors.only` must be an array of strings"));
        assert!(errs[5].message.contains("unknown detector id `nosuch`"));
        // Values are never repeated (only names are).
        assert!(errs.iter().all(|e| !e.message.contains("bad key")));
    }

    #[test]
    fn dotted_keys_and_inline_tables_have_positions() {
        let text = r#"detectors.only = ["email", "nope"]
actions.phone = "blur"
key_rules = { add = ["a b"], zzz = 2 }
detector = [
  { id = "default", label = "D", priority = 1, description = "d", pattern = [{ name = "p", regex = 'd+' }] },
]
"#;
        let errs = errors(text);
        let got: Vec<_> = errs.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(
            got,
            [(1, 28), (2, 17), (3, 22), (3, 30), (5, 10), (5, 100)],
            "{errs:#?}"
        );
        assert!(errs[4].message.contains("reserved"), "{}", errs[4]);
    }

    #[test]
    fn custom_detector_problems() {
        let detector = |id: &str, regex: &str, extra: &str| {
            format!(
                "[[detector]]\nid = \"{id}\"\nlabel = \"X\"\npriority = 1\ndescription = \"d\"\n{extra}[[detector.pattern]]\nname = \"p\"\nregex = '{regex}'\n"
            )
        };
        // Duplicate with a builtin and with another custom detector; bad id.
        let text = detector("email", "x[0-9]{3}", "")
            + &detector("dup", "y[0-9]{3}", "")
            + &detector("dup", "z[0-9]{3}", "")
            + &detector("Bad Id", "w[0-9]{3}", "");
        let errs = errors(&text);
        assert_eq!(lines(&errs), [2, 18, 26], "{errs:#?}");
        assert!(errs[0].message.contains("built-in"));
        assert!(errs[1].message.contains("custom detector on line 10"));
        // Newline, empty, invalid regex; unknown validator, kind, key; missing field.
        let text = detector("a", r"a\sb", "")
            + &detector("b", "x*", "kind = \"money\"\n")
            + &detector("c", "(", "")
            + &detector("d", "d[0-9]{2}", "extra = 1\n")
            + "validator = \"nope\"\n[[detector]]\nid = \"e\"\n";
        let errs = errors(&text);
        let messages: Vec<&str> = errs.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(errs.len(), 10, "{errs:#?}");
        for needle in [
            "newline",
            "empty string",
            "unknown kind `money`",
            "detector `c`, pattern `p`: `regex`:",
            "unknown key `detector.extra`",
            "unknown validator `nope`",
            "`detector.label` is missing",
            "at least one [[detector.pattern]]",
        ] {
            assert!(
                messages.iter().any(|m| m.contains(needle)),
                "{needle}: {messages:#?}"
            );
        }
        // A custom id is known to the other sections.
        let ok = "[actions]\nkode = \"remove\"\n".to_string() + &detector("kode", "k[0-9]{3}", "");
        let c = parse_config(&ok, &builtin_ids()).unwrap();
        assert_eq!(c.actions, [("kode".to_string(), Action::Remove)]);
    }
}
