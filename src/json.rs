//! JSON lines: every string value is scanned (after decoding its escapes), values under
//! sensitive keys are replaced whole, numbers that are identifiers become a string label.
//! The output is valid JSON with the same keys in the same order, and a line without a
//! finding comes out byte-identical.
//!
//! The walker validates as it goes (RFC 8259 grammar). When a line is not valid JSON or
//! nests deeper than [`MAX_DEPTH`], [`Walker::line`] reports failure and the caller scans
//! the line as text instead: never passed through raw.

use crate::keys::KeyRules;
use crate::{parent, sibling};

/// Deepest nesting handled (objects, arrays and JSON inside strings together).
pub const MAX_DEPTH: usize = 128;

/// Longest line handled as JSON; a longer line is scanned as text.
pub const MAX_LINE: usize = 1 << 20;
/// How much of a member's key (from its end) a value is scanned with as context: what the
/// context rules read before a candidate.
const KEY_CONTEXT: usize = crate::context::LEFT_CONTEXT;

/// What the walker needs from the redactor.
pub(crate) trait Scan {
    /// Redact a decoded string `hay[ctx..]` into `out` (`hay[..ctx]` is context: the
    /// value's key as written and the string's opening quote); returns whether anything
    /// was redacted. `depth` is how deep the string nests.
    fn text(&mut self, hay: &[u8], ctx: usize, depth: usize, out: &mut Vec<u8>) -> bool;
    /// Redact a number's text `hay[ctx..]` with the detectors only into `out`; returns
    /// whether anything was redacted.
    fn number(&mut self, hay: &[u8], ctx: usize, out: &mut Vec<u8>) -> bool;
    /// A value under the key rule `rule` was replaced.
    fn key_rule(&mut self, rule: usize);
    /// Is this (decoded) string value on the allow-list?
    fn allowed(&self, value: &[u8]) -> bool;
    /// Scratch buffers (taken and given back, so the walker allocates only while they grow).
    fn take_buf(&mut self) -> Vec<u8>;
    fn give_buf(&mut self, buf: Vec<u8>);
}

#[derive(Debug)]
struct Invalid;

type Step<T> = Result<T, Invalid>;

/// Walks one JSON text, writing the redacted copy.
pub(crate) struct Walker<'r, S> {
    rules: &'r KeyRules,
    scan: S,
    key_buf: Vec<u8>,
    /// The member key before the value about to be walked (`"version":`), in the current
    /// document: the value is scanned with it as context, as the line's text scan reads it.
    key_ctx: Option<std::ops::Range<usize>>,
    /// The member key (unescaped) whose value is the object about to be walked: an object
    /// that stands for a person makes its `name` a name (see [`crate::parent`]).
    parent: Option<std::ops::Range<usize>>,
}

impl<'r, S: Scan> Walker<'r, S> {
    pub(crate) fn new(rules: &'r KeyRules, scan: S) -> Self {
        Walker {
            rules,
            scan,
            key_buf: Vec::new(),
            key_ctx: None,
            parent: None,
        }
    }

    /// Redact the JSON text `line` (no newline) into `out`. Returns `false`, with `out`
    /// unchanged, when `line` is not one valid JSON value.
    pub(crate) fn line(&mut self, line: &[u8], out: &mut Vec<u8>) -> bool {
        let mark = out.len();
        match self.document(line, out, 0) {
            Ok(true) => true,
            Ok(false) | Err(Invalid) => {
                out.truncate(mark);
                false
            }
        }
    }

    /// A whole document: blanks, one value, blanks. `Ok(false)` when there is trailing
    /// garbage (invalid).
    fn document(&mut self, doc: &[u8], out: &mut Vec<u8>, depth: usize) -> Step<bool> {
        let mut p = Parser {
            s: doc,
            i: 0,
            copied: 0,
        };
        p.skip_ws();
        self.value(&mut p, out, depth, None)?;
        p.skip_ws();
        if p.i != doc.len() {
            return Ok(false);
        }
        p.flush(out);
        Ok(true)
    }

    /// One value at `p.i`. With `rule`, the value sits under a sensitive key and is replaced
    /// whole (after it was validated).
    fn value(
        &mut self,
        p: &mut Parser,
        out: &mut Vec<u8>,
        depth: usize,
        rule: Option<usize>,
    ) -> Step<()> {
        let start = p.i;
        self.walk(p, out, depth, rule.is_some())?;
        let Some(r) = rule else {
            return Ok(());
        };
        let raw = &p.s[start..p.i];
        // Nothing in it to protect (`"password": null`, `"pin": true` stay as they are).
        let empty = matches!(raw, b"null" | b"true" | b"false" | b"\"\"" | b"[]" | b"{}");
        let allowed = raw.len() >= 2
            && raw[0] == b'"'
            && !raw.contains(&b'\\')
            && self.scan.allowed(&raw[1..raw.len() - 1]);
        if !empty && !allowed {
            self.scan.key_rule(r);
            let mut label = self.scan.take_buf();
            label.clear();
            label.push(b'"');
            label.extend_from_slice(self.rules.label(r));
            label.push(b'"');
            p.replace(out, start, &label);
            self.scan.give_buf(label);
        }
        Ok(())
    }

    /// Parse one value at `p.i`; unless `skip` (inside a value that is replaced whole),
    /// rewrite what it holds.
    fn walk(&mut self, p: &mut Parser, out: &mut Vec<u8>, depth: usize, skip: bool) -> Step<()> {
        if depth >= MAX_DEPTH {
            return Err(Invalid);
        }
        let start = p.i;
        let ctx = self.key_ctx.take().unwrap_or(start..start);
        match p.peek().ok_or(Invalid)? {
            b'{' => self.object(p, out, depth + 1, skip),
            b'[' => self.array(p, out, depth + 1, skip, ctx),
            b'"' => {
                let (content, escaped) = p.string()?;
                if skip {
                    return Ok(());
                }
                self.string_value(p, out, ctx, content, escaped, depth)
            }
            b't' => p.literal(b"true"),
            b'f' => p.literal(b"false"),
            b'n' => p.literal(b"null"),
            b'-' | b'0'..=b'9' => {
                p.number()?;
                // No identifier is shorter than 7 characters.
                if !skip && p.i - start >= 7 {
                    let num = &p.s[ctx.start..p.i];
                    let mut buf = self.scan.take_buf();
                    buf.clear();
                    buf.push(b'"');
                    if self.scan.number(num, start - ctx.start, &mut buf) {
                        buf.push(b'"');
                        p.replace(out, start, &buf);
                    }
                    self.scan.give_buf(buf);
                }
                Ok(())
            }
            _ => Err(Invalid),
        }
    }

    fn object(&mut self, p: &mut Parser, out: &mut Vec<u8>, depth: usize, skip: bool) -> Step<()> {
        let person = self
            .parent
            .take()
            .is_some_and(|key| parent::is_person_object(&p.s[key]));
        p.i += 1;
        p.skip_ws();
        if p.eat(b'}') {
            return Ok(());
        }
        // The rule the member before names (`"name":"DB_PASSWORD"`), for a `"value"` after it.
        let mut named = None;
        loop {
            p.skip_ws();
            if p.peek() != Some(b'"') {
                return Err(Invalid);
            }
            let (key, escaped) = p.string()?;
            p.skip_ws();
            if !p.eat(b':') {
                return Err(Invalid);
            }
            p.skip_ws();
            if skip {
                self.walk(p, out, depth, true)?;
            } else {
                let raw_key = &p.s[key.clone()];
                let rule = self
                    .key_rule_of(raw_key, escaped)
                    .or(named.filter(|_| sibling::is_value_key(raw_key)))
                    .or_else(|| match person && !escaped {
                        true => parent::member_rule(raw_key)
                            .and_then(|name| self.rules.lookup_key(name, &mut self.key_buf)),
                        false => None,
                    });
                let names = sibling::is_name_key(raw_key);
                // The key from its opening quote, the last bytes that context rules read.
                let from = (key.start - 1).max(p.i.saturating_sub(KEY_CONTEXT));
                self.key_ctx = Some(from..p.i);
                let start = p.i;
                self.parent = (p.peek() == Some(b'{') && !escaped).then(|| key.clone());
                self.value(p, out, depth, rule)?;
                named = match &p.s[start..p.i] {
                    [b'"', text @ .., b'"'] if names => {
                        self.key_rule_of(text, text.contains(&b'\\'))
                    }
                    _ => None,
                };
            }
            p.skip_ws();
            if p.eat(b',') {
                continue;
            }
            if p.eat(b'}') {
                return Ok(());
            }
            return Err(Invalid);
        }
    }

    /// An array; `key` is its member's key (up to the array). Each element is read with
    /// the bytes before it as context, from that key on (at most [`KEY_CONTEXT`] of them), as
    /// the line's text scan reads it: the key's cue counts (`"plates":["B 1234 XYZ"]`), and so
    /// do the brackets and earlier elements between (an exclude keyword in the key is as far
    /// from a later element as in the line).
    fn array(
        &mut self,
        p: &mut Parser,
        out: &mut Vec<u8>,
        depth: usize,
        skip: bool,
        key: std::ops::Range<usize>,
    ) -> Step<()> {
        p.i += 1;
        p.skip_ws();
        if p.eat(b']') {
            return Ok(());
        }
        loop {
            p.skip_ws();
            self.key_ctx = Some(key.start.max(p.i.saturating_sub(KEY_CONTEXT))..p.i);
            self.walk(p, out, depth, skip)?;
            p.skip_ws();
            if p.eat(b',') {
                continue;
            }
            if p.eat(b']') {
                return Ok(());
            }
            return Err(Invalid);
        }
    }

    fn key_rule_of(&mut self, raw: &[u8], escaped: bool) -> Option<usize> {
        if self.rules.is_empty() {
            return None;
        }
        if !escaped {
            return self.rules.lookup_key(raw, &mut self.key_buf);
        }
        let mut decoded = self.scan.take_buf();
        let rule = if decode(raw, &mut decoded).is_ok() {
            self.rules.lookup_key(&decoded, &mut self.key_buf)
        } else {
            None
        };
        self.scan.give_buf(decoded);
        rule
    }

    /// A string value (`content` is between the quotes, as written): scan its text with
    /// `key` (its member key up to the value, or nothing) as context; JSON inside the string
    /// is walked as JSON.
    fn string_value(
        &mut self,
        p: &mut Parser,
        out: &mut Vec<u8>,
        key: std::ops::Range<usize>,
        content: std::ops::Range<usize>,
        escaped: bool,
        depth: usize,
    ) -> Step<()> {
        // The value's opening quote.
        let start = content.start - 1;
        // The key and the opening quote as written, then the decoded value.
        let ctx = content.start - key.start;
        let mut text = self.scan.take_buf();
        text.clear();
        text.extend_from_slice(&p.s[key.start..content.start]);
        let raw = &p.s[content];
        if escaped {
            let mut decoded = self.scan.take_buf();
            let ok = decode(raw, &mut decoded);
            text.extend_from_slice(&decoded);
            self.scan.give_buf(decoded);
            ok?;
        } else {
            text.extend_from_slice(raw);
        }
        let mut redacted = self.scan.take_buf();
        redacted.clear();
        let value = &text[ctx..];
        let nested = matches!(value.iter().find(|b| !is_ws(**b)), Some(b'{' | b'['));
        let changed = if nested && self.document(value, &mut redacted, depth + 1) == Ok(true) {
            redacted != value
        } else {
            redacted.clear();
            self.scan.text(&text, ctx, depth, &mut redacted)
        };
        if changed {
            let mut enc = self.scan.take_buf();
            enc.clear();
            encode(&redacted, &mut enc);
            p.replace(out, start, &enc);
            self.scan.give_buf(enc);
        }
        self.scan.give_buf(redacted);
        self.scan.give_buf(text);
        Ok(())
    }
}

impl PartialEq for Invalid {
    fn eq(&self, _: &Invalid) -> bool {
        true
    }
}

#[inline]
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// A cursor over one JSON text; bytes up to `copied` are already in the output.
struct Parser<'s> {
    s: &'s [u8],
    i: usize,
    copied: usize,
}

impl Parser<'_> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    #[inline]
    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    #[inline]
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(is_ws) {
            self.i += 1;
        }
    }

    fn literal(&mut self, word: &[u8]) -> Step<()> {
        if self.s[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(Invalid)
        }
    }

    fn number(&mut self) -> Step<()> {
        let s = self.s;
        let mut i = self.i;
        if s.get(i) == Some(&b'-') {
            i += 1;
        }
        match s.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while s.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
            _ => return Err(Invalid),
        }
        if s.get(i) == Some(&b'.') {
            i += 1;
            let d = i;
            while s.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == d {
                return Err(Invalid);
            }
        }
        if matches!(s.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(s.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let d = i;
            while s.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == d {
                return Err(Invalid);
            }
        }
        self.i = i;
        Ok(())
    }

    /// A string at `i`: returns the content range and whether it has escapes.
    fn string(&mut self) -> Step<(std::ops::Range<usize>, bool)> {
        let start = self.i + 1;
        let mut i = start;
        let mut escaped = false;
        loop {
            let rest = self.s.get(i..).ok_or(Invalid)?;
            let k = memchr::memchr2(b'"', b'\\', rest).ok_or(Invalid)?;
            if rest[..k].iter().any(|&b| b < 0x20) {
                return Err(Invalid);
            }
            i += k;
            if self.s[i] == b'"' {
                self.i = i + 1;
                return Ok((start..i, escaped));
            }
            escaped = true;
            match self.s.get(i + 1) {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                Some(b'u') => {
                    let hex = self.s.get(i + 2..i + 6).ok_or(Invalid)?;
                    if !hex.iter().all(u8::is_ascii_hexdigit) {
                        return Err(Invalid);
                    }
                    i += 6;
                }
                _ => return Err(Invalid),
            }
        }
    }

    /// Write the input up to `start`, then `with`; the value `start..i` is replaced.
    fn replace(&mut self, out: &mut Vec<u8>, start: usize, with: &[u8]) {
        out.extend_from_slice(&self.s[self.copied..start]);
        out.extend_from_slice(with);
        self.copied = self.i;
    }

    /// Write the rest of the input.
    fn flush(&mut self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.s[self.copied..]);
        self.copied = self.s.len();
    }
}

fn hex4(h: &[u8]) -> Step<u32> {
    let mut v = 0u32;
    for &b in h {
        let d = (b as char).to_digit(16).ok_or(Invalid)?;
        v = v * 16 + d;
    }
    Ok(v)
}

/// Decode a string's content as written (between its quotes) into `out`; `false` when an
/// escape in it is invalid.
pub(crate) fn decode_string(raw: &[u8], out: &mut Vec<u8>) -> bool {
    decode(raw, out).is_ok()
}

/// Decode a string's escapes (the content is already validated) into UTF-8 bytes. A lone
/// surrogate becomes U+FFFD.
fn decode(raw: &[u8], out: &mut Vec<u8>) -> Step<()> {
    out.clear();
    let mut i = 0;
    while i < raw.len() {
        let Some(k) = memchr::memchr(b'\\', &raw[i..]) else {
            out.extend_from_slice(&raw[i..]);
            break;
        };
        out.extend_from_slice(&raw[i..i + k]);
        i += k;
        let esc = *raw.get(i + 1).ok_or(Invalid)?;
        i += 2;
        let c = match esc {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = hex4(raw.get(i..i + 4).ok_or(Invalid)?)?;
                i += 4;
                let code = if (0xD800..0xDC00).contains(&hi)
                    && raw.get(i..i + 2) == Some(b"\\u".as_slice())
                {
                    match raw.get(i + 2..i + 6).map(hex4) {
                        Some(Ok(lo)) if (0xDC00..0xE000).contains(&lo) => {
                            i += 6;
                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                        }
                        _ => hi,
                    }
                } else {
                    hi
                };
                char::from_u32(code).unwrap_or('\u{FFFD}')
            }
            _ => return Err(Invalid),
        };
        let mut tmp = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
    }
    Ok(())
}

/// Encode text as a JSON string (with the quotes). Bytes ≥ 0x80 are copied as they are.
fn encode(text: &[u8], out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    for &b in text {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0..=0x1f => {
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 15)]);
            }
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Redacts the word `SECRET` in text and numbers starting with 62.
    struct Fake(Vec<Vec<u8>>, usize);

    impl Scan for Fake {
        fn text(&mut self, hay: &[u8], ctx: usize, _: usize, out: &mut Vec<u8>) -> bool {
            let hay = &hay[ctx..];
            let s = String::from_utf8_lossy(hay).replace("SECRET", "[X]");
            out.extend_from_slice(s.as_bytes());
            s.as_bytes() != hay
        }
        fn number(&mut self, hay: &[u8], ctx: usize, out: &mut Vec<u8>) -> bool {
            let hay = &hay[ctx..];
            if hay.starts_with(b"62") {
                out.extend_from_slice(b"[PHONE]");
                true
            } else {
                false
            }
        }
        fn key_rule(&mut self, _: usize) {
            self.1 += 1;
        }
        fn allowed(&self, value: &[u8]) -> bool {
            value == b"ok@x.co"
        }
        fn take_buf(&mut self) -> Vec<u8> {
            self.0.pop().unwrap_or_default()
        }
        fn give_buf(&mut self, buf: Vec<u8>) {
            self.0.push(buf);
        }
    }

    fn run(line: &str) -> Option<String> {
        let rules = KeyRules::default();
        let mut w = Walker::new(&rules, Fake(Vec::new(), 0));
        let mut out = b"prefix:".to_vec();
        w.line(line.as_bytes(), &mut out)
            .then(|| String::from_utf8(out[7..].to_vec()).unwrap())
    }

    #[test]
    fn rewrites_values_keeps_the_rest() {
        for (i, o) in [
            (
                r#"{"a": "x SECRET y", "b":[1, "SECRET"]}"#,
                r#"{"a": "x [X] y", "b":[1, "[X]"]}"#,
            ),
            (
                r#"{"msisdn": 6281234, "n": 6281234}"#,
                r#"{"msisdn": "[REDACTED:msisdn]", "n": "[PHONE]"}"#,
            ),
            (
                r#"{"password":{"a":[1,{"b":2}]},"author":"SECRET"}"#,
                r#"{"password":"[REDACTED:password]","author":"[X]"}"#,
            ),
            (
                r#"{"accessToken": ["a","b"], "pin": null, "otp": ""}"#,
                r#"{"accessToken": "[REDACTED:access_token]", "pin": null, "otp": ""}"#,
            ),
            (r#"{"e":"SEC\u0052ET\/x\n"}"#, r#"{"e":"[X]/x\n"}"#),
            (
                r#"{"p":"{\"password\":\"x\",\"m\":\"SECRET\"}"}"#,
                r#"{"p":"{\"password\":\"[REDACTED:password]\",\"m\":\"[X]\"}"}"#,
            ),
            (
                r#"{"pass\u0077ord":"x"}"#,
                r#"{"pass\u0077ord":"[REDACTED:password]"}"#,
            ),
            (
                r#"{"email":"ok@x.co","e2":"no@x.co"}"#,
                r#"{"email":"ok@x.co","e2":"no@x.co"}"#,
            ),
            (r#"{"email":"no@x.co"}"#, r#"{"email":"[REDACTED:email]"}"#),
            ("  {\"k\" : \"v\" }  ", "  {\"k\" : \"v\" }  "),
            (
                r#"{"e":"\ud83d\ude00 SECRET"}"#,
                "{\"e\":\"\u{1F600} [X]\"}",
            ),
        ] {
            assert_eq!(run(i).as_deref(), Some(o), "{i}");
        }
    }

    #[test]
    fn rejects_invalid_json() {
        for bad in [
            r#"{"a": }"#,
            r#"{"a": 1,}"#,
            r#"{"a" 1}"#,
            r#"{"a": 01}"#,
            r#"{"a": "x"} x"#,
            r#"{"a": "\x"}"#,
            "{\"a\": \"tab\there\"}",
            r#"{"a": tru}"#,
            r#"{"a": "unterminated}"#,
            "",
        ] {
            assert_eq!(run(bad), None, "{bad}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(run(&deep), None);
        let ok = "[".repeat(MAX_DEPTH - 1) + &"]".repeat(MAX_DEPTH - 1);
        assert_eq!(run(&ok).as_deref(), Some(ok.as_str()));
    }
}
