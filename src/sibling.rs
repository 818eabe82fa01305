//! A value whose key is named by the member before it on the same line: a Kubernetes or
//! ECS environment variable (`{"name":"DB_PASSWORD","value":"…"}`, YAML's flow style
//! `{name: DB_PASSWORD, value: …}`), a HAR header (`{"name":"Cookie","value":"…"}`), a CloudFormation parameter
//! (`"ParameterKey":"DbPassword","ParameterValue":"…"`). The value key's own name is no
//! rule; the name before it is.
//!
//! Read backwards from the value key's separator, in a bounded reach ([`REACH`]), so a
//! streaming window decides it as one pass does.

use std::ops::Range;

use crate::keys::{is_name_byte, KeyRules, MAX_KEY};

/// Blanks read at each place (spaces and tabs; in a JSON line, any run).
const MAX_BLANKS: usize = 32;
/// The longest name or value key read (`parametervalue`).
const MAX_WORD: usize = 16;
/// How far before the value key's separator the name may start.
pub(crate) const REACH: usize = 5 * MAX_BLANKS + 2 * MAX_WORD + MAX_KEY + 16;

/// The keys that hold the value (compared case-insensitively).
pub(crate) const VALUE_KEYS: [&[u8]; 2] = [b"value", b"parametervalue"];

/// The two bytes every value key ends with: the key scan's filters let keys ending in them
/// through ([`crate::keys::KeyRules::may_end_with`]) and ask [`sibling_rule`] only then.
pub(crate) const VALUE_KEY_END: [u8; 2] = *b"ue";

/// Does a key end with [`VALUE_KEY_END`] (any case)?
#[inline(always)]
pub(crate) fn ends_like_value_key(a: u8, b: u8) -> bool {
    a | 0x20 == VALUE_KEY_END[0] && b | 0x20 == VALUE_KEY_END[1]
}

/// Is `key` a key that holds the value (`value`, `ParameterValue`)?
pub(crate) fn is_value_key(key: &[u8]) -> bool {
    VALUE_KEYS.iter().any(|k| key.eq_ignore_ascii_case(k))
}

/// Is `key` a key that names the value's key (`name`, `key`, `ParameterKey`; a form
/// builder's `label` or `question`: `{"label":"Nama Lengkap","value":"…"}`)?
pub(crate) fn is_name_key(key: &[u8]) -> bool {
    [
        &b"name"[..],
        b"key",
        b"parameterkey",
        b"parametername",
        b"label",
        b"question",
    ]
    .iter()
    .any(|k| key.eq_ignore_ascii_case(k))
}

/// A cursor that reads `hay` backwards from `i`.
struct Back<'h> {
    hay: &'h [u8],
    i: usize,
    /// A JSON line: blanks are unbounded and `\r` is one.
    json: bool,
}

impl Back<'_> {
    fn prev(&self) -> Option<u8> {
        self.i.checked_sub(1).map(|i| self.hay[i])
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.prev() == Some(b);
        self.i -= usize::from(hit);
        hit
    }

    fn blanks(&mut self) {
        let mut n = 0;
        while matches!(self.prev(), Some(b' ' | b'\t')) || (self.json && self.prev() == Some(b'\r'))
        {
            self.i -= 1;
            n += 1;
            if !self.json && n == MAX_BLANKS {
                return;
            }
        }
    }

    /// A quote, plain or escaped (`"`, `\"`, JSON inside a string); `Some(escaped)`.
    fn quote(&mut self) -> Option<bool> {
        if !self.eat(b'"') {
            return None;
        }
        Some(self.eat(b'\\'))
    }

    /// The opening quote matching `escaped`.
    fn open_quote(&mut self, escaped: bool) -> bool {
        self.eat(b'"') && (!escaped || self.eat(b'\\'))
    }

    /// A run of up to `max` key bytes (at least one), and no key byte before it.
    fn word(&mut self, max: usize) -> Option<Range<usize>> {
        let end = self.i;
        while self.prev().is_some_and(is_name_byte) {
            self.i -= 1;
            if end - self.i > max {
                return None;
            }
        }
        (self.i < end).then_some(self.i..end)
    }

    /// A quoted string's text (no quote, backslash or line break in it), up to `max`.
    fn quoted_text(&mut self, max: usize) -> Option<Range<usize>> {
        let end = self.i;
        while let Some(b) = self.prev() {
            if matches!(b, b'"' | b'\\' | b'\n') {
                break;
            }
            self.i -= 1;
            if end - self.i > max {
                return None;
            }
        }
        Some(self.i..end)
    }
}

/// The rule named for the value key before the separator at `sep`, if that key is a value
/// key and the member before it is a name key whose value is a rule.
#[cold]
#[inline(never)]
pub(crate) fn sibling_rule(
    rules: &KeyRules,
    hay: &[u8],
    sep: usize,
    json: bool,
    buf: &mut Vec<u8>,
) -> Option<usize> {
    let mut b = Back { hay, i: sep, json };
    b.blanks();
    let quote = b.quote();
    if !is_value_key(&hay[b.word(MAX_WORD)?]) {
        return None;
    }
    if let Some(escaped) = quote {
        if !b.open_quote(escaped) {
            return None;
        }
    }
    // Members on one line (streaming batches end at line ends and carry no context: a
    // name on the line before is not seen).
    b.blanks();
    if !b.eat(b',') {
        return None;
    }
    b.blanks();
    let named = match b.quote() {
        Some(escaped) => {
            let text = b.quoted_text(MAX_KEY)?;
            (b.open_quote(escaped) && quote == Some(escaped)).then_some(text)
        }
        // YAML: `name: DB_PASSWORD`.
        None if quote.is_none() => b.word(MAX_KEY),
        None => None,
    }?;
    b.blanks();
    if !b.eat(b':') {
        return None;
    }
    b.blanks();
    let name_quote = b.quote();
    if name_quote != quote || !is_name_key(&hay[b.word(MAX_WORD)?]) {
        return None;
    }
    if let Some(escaped) = name_quote {
        if !b.open_quote(escaped) {
            return None;
        }
    }
    rules.lookup(&hay[named], buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(text: &str) -> Option<String> {
        let rules = KeyRules::default();
        let sep = text.rfind(':').unwrap();
        let mut buf = Vec::new();
        sibling_rule(&rules, text.as_bytes(), sep, false, &mut buf)
            .map(|r| rules.names()[r].clone())
    }

    #[test]
    fn value_keys_end_as_the_filters_expect() {
        for k in VALUE_KEYS {
            assert!(ends_like_value_key(k[k.len() - 2], k[k.len() - 1]));
            assert!(is_value_key(&k.to_ascii_uppercase()));
        }
        assert!(!ends_like_value_key(b'u', b'r'));
    }

    #[test]
    fn the_member_before_names_the_value() {
        let some = |s: &str| Some(s.to_string());
        assert_eq!(rule(r#"{"name":"DB_PASSWORD","value":"#), some("password"));
        assert_eq!(rule(r#"{"name": "Cookie", "value" :"#), some("cookie"));
        assert_eq!(rule(r#"{\"name\":\"api_key\",\"value\":"#), some("api_key"));
        assert_eq!(
            rule(r#"{"ParameterKey":"DbPassword","ParameterValue":"#),
            some("password")
        );
        assert_eq!(rule("env: [{name: SMTP_PASSWORD, value:"), some("password"));
        // A form builder's field: its label or question names the answer.
        assert_eq!(
            rule(r#"{"label":"Nama Lengkap","value":"#),
            some("nama_lengkap")
        );
        assert_eq!(rule(r#"{"question":"Password","value":"#), some("password"));
        // Not a rule, not a name key, not adjacent, quotes that do not agree, lines apart.
        assert_eq!(rule("  - name: DB_PASSWORD\n    value:"), None);
        assert_eq!(rule(r#"{"name":"LOG_LEVEL","value":"#), None);
        assert_eq!(rule(r#"{"title":"DB_PASSWORD","value":"#), None);
        assert_eq!(rule(r#"{"name":"DB_PASSWORD","type":"#), None);
        assert_eq!(rule(r#"{"name":"DB_PASSWORD" "value":"#), None);
        assert_eq!(rule(r#"{"name":"DB_PASSWORD",value:"#), None);
        assert_eq!(rule(r#"{xname:"DB_PASSWORD","value":"#), None);
    }
}
