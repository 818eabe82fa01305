//! Key-value pairs in text: `password=hunter2`, `token="a b"`, `?email=…&pwd=…`,
//! `"pin": "1234"`, `Authorization: Bearer …`, `kata sandi: …`. When the key matches a
//! [`KeyRules`] rule, the value is one span to redact whole.
//!
//! Like the detectors, a pair never crosses a line and has a bounded length
//! ([`MAX_SPAN`]), so the streaming windows find the same pairs whatever the chunking.

use std::ops::Range;

use crate::keys::{is_name_byte, name_in_run, KeyRules, MAX_KEY};
use crate::separators::Separators;

/// Longest value read; a value that reaches it is `capped` and the rest of its line is
/// redacted with it (so a pair has a bounded length for the streaming windows, and a long
/// value never keeps its tail). 16 KiB holds the longest header lines servers accept by
/// default (8 KiB) twice over, so a long `Cookie:` ends where it ends.
pub const MAX_VALUE: usize = 16 * 1024;
/// Blanks allowed around a separator.
const MAX_BLANKS: usize = 8;
/// The longest decoration read between a form's label and its separator (see
/// [`undecorated`]).
const MAX_DECORATION: usize = 40;
/// The longest span from a key's first byte to its value's end.
pub const MAX_SPAN: usize = MAX_KEY + 2 * MAX_BLANKS + MAX_DECORATION + 8 + MAX_VALUE;
/// How far before its value a pair's key may start (context to keep before a window), or
/// the member that names a value key ([`crate::sibling`]).
pub const LOOKBEHIND: usize = crate::sibling::REACH + MAX_BLANKS + 8;

/// A value under a sensitive key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KvFinding {
    /// Index into [`KeyRules::names`].
    pub rule: usize,
    /// The value's bytes (inside quotes when quoted).
    pub span: Range<usize>,
    /// The value reached [`MAX_VALUE`] before its end: the rest of its line goes with it.
    pub capped: bool,
    /// The value ended at the closing quote of the string it is in (its own quotes, or a
    /// string opened before its key: `msg="Authorization: Bearer x"`). A pair inside it
    /// that runs past that quote is a stray separator in the string, not more of it.
    pub closed: bool,
}

#[inline]
pub(crate) fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// The first pair whose value starts in `from..limit`. Bytes before `from` are context.
///
/// `opened` is the index of a quote that opens a decoded string (the JSON walker's text
/// starts with the value's opening quote; the string ends with `hay`), or `usize::MAX`: a
/// header written at the start of such a string runs to its line's end, over any quote.
pub fn next_kv(
    rules: &KeyRules,
    hay: &[u8],
    from: usize,
    limit: usize,
    opened: usize,
    buf: &mut Vec<u8>,
) -> Option<KvFinding> {
    if rules.is_empty() {
        return None;
    }
    // A separator may sit a few bytes before the value it introduces.
    let at = from.saturating_sub(MAX_BLANKS + 3);
    Separators::new(hay, at, limit)
        .filter_map(|sep| pair_at(rules, hay, sep, opened, buf))
        .find(|f| f.span.start >= from && f.span.start < limit)
}

/// Does a separator in `from..limit` follow a key that is a rule, whatever its value? The
/// JSON lines' pre-scan asks this (a line where the answer and the detectors' are no is
/// kept as it is), so it reads keys as JSON allows: any run of blanks, `\r` included,
/// before the separator (`{"password"          :"x"}`).
pub fn any_key(rules: &KeyRules, hay: &[u8], from: usize, limit: usize, buf: &mut Vec<u8>) -> bool {
    !rules.is_empty()
        && Separators::new(hay, from, limit)
            .any(|sep| rule_before(rules, hay, sep, Blanks::Json, buf).is_some())
}

/// The pair around the separator at `sep`, if its key is a rule.
fn pair_at(
    rules: &KeyRules,
    hay: &[u8],
    sep: usize,
    opened: usize,
    buf: &mut Vec<u8>,
) -> Option<KvFinding> {
    if hay[sep] == b'>' {
        return element_at(rules, hay, sep, buf);
    }
    let rule = rule_before(rules, hay, sep, Blanks::Text, buf)?;
    let sep_len = usize::from(hay.get(sep + 1) == Some(&b'>') && hay[sep] == b'=');
    let line_value = match rules.line_value(rule) {
        false => LineValue::No,
        true => LineValue::Line {
            close: enclosing(hay, sep, opened),
            word: hay[sep] == b'=',
            scheme: rules.names()[rule].ends_with("authorization"),
        },
    };
    let Value {
        mut span,
        capped,
        closed,
        structure,
    } = value_after(hay, sep + 1 + sep_len, line_value)?;
    // A query parameter's value (`?nama_penerima=Siti+Aminah&alamat=…`) ends at the next
    // parameter, a quote or the request line's ` HTTP/`, not the line's end: the fields
    // after a request (status, size) are no part of it. A blank alone does not end it (a
    // logger may decode `+`), nor a `#` (a decoded `%23`: a server gets no fragment).
    if line_value != LineValue::No && hay[sep] == b'=' && query_key(hay, sep) {
        span.end = query_value_end(hay, span.clone());
        if span.is_empty() {
            return None;
        }
    }
    // Labels an earlier pass wrote are not a value to redact again: the whole value, or in
    // a plain value labels followed by punctuation, where the earlier pass ended the value
    // (`password=[REDACTED:password]:` when a finding ran past it, or
    // `…(password=[REDACTED:password]` after one); what follows is scanned as text. A quoted
    // or line value with more than labels (and blanks, an unclosed quote's line end) in it
    // is redacted whole (`"[REDACTED:x] secret"`).
    let value = &hay[span.clone()];
    // A code's or number's value without a digit is a word (a capped value goes anyway).
    // A JSON object or array is a structure under the key, redacted whole as the JSON
    // walker does (`pin: {"old":"abcd"}`); its extent depends on brackets that redacting
    // its insides may replace, so weighing its digits made a second pass decide otherwise.
    if rules.digit_value(rule) && !capped && !structure && !value.iter().any(u8::is_ascii_digit) {
        return None;
    }
    // Labels with blanks between them are one earlier redaction each (`Authorization:
    // [REDACTED:authorization] [REDACTED:cookie]`, where the first pass ended the header
    // at an escaped quote it then redacted).
    let mut n = 0;
    while let Some(len) = label_len(&value[n..]) {
        n += len;
        let blanks = value[n..].iter().take_while(|&&b| is_blank(b)).count();
        if label_len(&value[n + blanks..]).is_none() {
            break;
        }
        n += blanks;
    }
    if n > 0 {
        let plain = line_value == LineValue::No && !matches!(hay[span.start - 1], b'"' | b'\'');
        let rest = &value[n..];
        // A quote right after the labels: the earlier pass ended the value there, and the
        // escaped quote that ended it lay inside the next finding
        // (`sandi: \"x token="\"p {…` -> `sandi: \"[REDACTED:sandi][REDACTED:token]"…`).
        if rest.iter().all(|&b| is_blank(b))
            || (plain && !rest[0].is_ascii_alphanumeric())
            || matches!(rest[0], b'"' | b'\'')
        {
            return None;
        }
    }
    Some(KvFinding {
        rule,
        span,
        capped,
        closed,
    })
}

/// Does the key before the `=` at `sep` follow a `?` or `&` (a query parameter)?
fn query_key(hay: &[u8], sep: usize) -> bool {
    let lo = sep.saturating_sub(MAX_KEY + 1);
    let start = hay[lo..sep]
        .iter()
        .rposition(|&b| !(is_name_byte(b) || b == b'[' || b == b']' || b == b'%'));
    start.is_some_and(|i| matches!(hay[lo + i], b'?' | b'&'))
}

/// Where a query parameter's value in `span` ends: at `&`, `"` or a blank before `HTTP/`,
/// else where the span ends.
fn query_value_end(hay: &[u8], span: Range<usize>) -> usize {
    let value = &hay[span.clone()];
    let cut = value.iter().enumerate().position(|(i, &b)| {
        matches!(b, b'&' | b'"') || (is_blank(b) && value[i + 1..].starts_with(b"HTTP/"))
    });
    span.start + cut.unwrap_or(value.len())
}

/// Longest start tag read back from its `>` (name, namespace prefix and attributes).
const MAX_TAG: usize = 2 * MAX_KEY;

/// An XML element whose start tag ends at `sep` and whose name is a rule
/// (`<password>x</password>`, `<ns:Password type="t">x</ns:Password>`): its text up to the
/// next `<` or `"` on the line (at its own end tag on the line, quotes and all), blanks
/// around it left, or a CDATA section's text. Text with neither after it runs to the line's
/// end (a cut record keeps no secret).
#[cold]
#[inline(never)]
fn element_at(rules: &KeyRules, hay: &[u8], sep: usize, buf: &mut Vec<u8>) -> Option<KvFinding> {
    let lo = sep.saturating_sub(MAX_TAG);
    let open = lo + memchr::memrchr(b'<', &hay[lo..sep])?;
    let tag = &hay[open + 1..sep];
    if tag.iter().any(|&b| matches!(b, b'>' | b'\n')) || tag.last() == Some(&b'/') {
        return None;
    }
    let qname = tag
        .iter()
        .take_while(|&&b| is_name_byte(b) || b == b':')
        .count();
    if qname == 0 || tag.get(qname).is_some_and(|&b| !is_blank(b)) {
        return None;
    }
    let local = tag[..qname]
        .iter()
        .rposition(|&b| b == b':')
        .map_or(0, |c| c + 1);
    let start = open + 1 + local + name_in_run(&tag[local..qname])?;
    let rule = rules.lookup(&hay[start..open + 1 + qname], buf)?;
    let cdata = b"<![CDATA[";
    let mut v = sep + 1;
    // The text ends at a tag, or at a double quote (also an escaped one) as a plain value
    // does: an element in a quoted field (`body="<pin>1234"`) leaves its closing quote.
    let (a, b) = match hay[v..].starts_with(cdata) {
        true => {
            v += cdata.len();
            (b']', b']')
        }
        false => (b'<', b'"'),
    };
    let most = v + MAX_VALUE;
    let cap = most.min(hay.len());
    // With its own end tag later on the line, the text runs to that tag, quotes and all
    // (`<password>abc"def</password>` kept `"def`).
    let qname = &tag[..qname];
    let (a, b) = match a == b'<' && closing_tag(hay, v, cap, qname) {
        true => (b'<', b'<'),
        false => (a, b),
    };
    let mut e = v;
    while e < cap
        && hay[e] != a
        && hay[e] != b
        && !line_ends(hay, e)
        && !(b == b'"' && hay[e] == b'\\' && hay.get(e + 1) == Some(&b'"'))
    {
        e += 1;
    }
    let capped = e >= most;
    while v < e && is_blank(hay[v]) {
        v += 1;
    }
    while e > v && is_blank(hay[e - 1]) {
        e -= 1;
    }
    if v == e {
        return None;
    }
    // Labels an earlier pass wrote, alone or followed by punctuation (where that pass
    // ended a value): what follows is read as text, as for a plain value.
    let value = &hay[v..e];
    let mut n = 0;
    while let Some(len) = label_len(&value[n..]) {
        n += len;
    }
    if n > 0 && value.get(n).is_none_or(|b| !b.is_ascii_alphanumeric()) {
        return None;
    }
    Some(KvFinding {
        rule,
        span: v..e,
        capped,
        closed: false,
    })
}

/// How far a value runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineValue {
    /// A plain value: up to a delimiter.
    No,
    /// A header's value (`Cookie: a=1; b="x"; sid=…`): to the end of the line, or to the
    /// quote that closes the quoted text holding the header (`msg="Cookie: …"`). After `=`
    /// (`cookie=a=1;b=2 path=/x`, logfmt) a blank also ends it, unless it follows a `;` or
    /// `,` (`cookie=a=1; b=2`) or an authorization's scheme (`authorization=Digest a="b",
    /// response="c"`).
    Line {
        close: Close,
        word: bool,
        scheme: bool,
    },
}

/// What closes the quoted text a header is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Close {
    /// Not in quotes (or in a decoded string, which ends with the text).
    None,
    /// `"…"` (an escaped `\"` inside does not close it) or `'…'`.
    Quote(u8),
    /// `\"…\"`: JSON inside a string.
    Escaped,
    /// Not in quotes, and the key itself is quoted (`"Cookie": "a=1"`): a quoted value is
    /// read as one.
    Key,
}

/// The quoted text the key before the separator at `sep` starts (`"Cookie: …"`,
/// `'Cookie: …'`, `\"Cookie: …\"`; not a quoted key, `"Cookie": …`), if any.
fn enclosing(hay: &[u8], sep: usize, opened: usize) -> Close {
    let mut s = sep;
    while s > 0 && is_blank(hay[s - 1]) && sep - s < MAX_BLANKS {
        s -= 1;
    }
    if s > 0 && matches!(hay[s - 1], b'"' | b'\'') {
        return Close::Key;
    }
    let lo = s.saturating_sub(MAX_KEY + 1);
    let word = hay[lo..s]
        .iter()
        .rposition(|&b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\''))
        .map(|p| lo + p);
    match word {
        Some(p) if p == opened => Close::None,
        Some(p) if hay[p] == b'"' && p > 0 && hay[p - 1] == b'\\' => Close::Escaped,
        Some(p) if matches!(hay[p], b'"' | b'\'') => Close::Quote(hay[p]),
        _ => Close::None,
    }
}

/// Is `word` an HTTP authentication scheme (`Bearer`, `Digest`, `AWS4-HMAC-SHA256`), not a
/// credential (`abc123`)? Letters, or letters and digits joined by dashes.
fn is_scheme(word: &[u8]) -> bool {
    word.first().is_some_and(u8::is_ascii_alphabetic)
        && word.len() <= 32
        && (word.iter().all(u8::is_ascii_alphabetic)
            || (word.contains(&b'-')
                && word.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')))
}

/// Does a field end at `i` (after a closing quote): a blank, the line's or text's end, or
/// `,` `}` `]` `)` `>` (not `;`: `b="x"; c=1` goes on)?
fn closes_field(hay: &[u8], i: usize) -> bool {
    hay.get(i).is_none_or(|&b| {
        matches!(
            b,
            b' ' | b'\t' | b'\n' | b'\r' | b',' | b'}' | b']' | b')' | b'>'
        )
    }) || label_starts(hay, i)
}

/// Does a label samar writes (`[EMAIL]`, `[REDACTED:token]`, `[PHONE:1a2b3c4d]`) start at
/// `i`? A quote before one closed the text on the first pass (the label replaced what
/// followed), so it does on the next.
fn label_starts(hay: &[u8], i: usize) -> bool {
    let Some(rest) = hay.get(i..).and_then(|r| r.strip_prefix(b"[")) else {
        return false;
    };
    let n = rest
        .iter()
        .take(33)
        .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || **b == b'_')
        .count();
    n > 0 && matches!(rest.get(n), Some(b']' | b':'))
}

/// Does a JSON object or array open at `i` (`{` then a string or `}`; `[` then a JSON
/// value or `]`)? Not a bracketed word (`pwd=[a]b`) or a label an earlier pass wrote.
fn json_opens(hay: &[u8], i: usize) -> bool {
    let at = hay[i + 1..]
        .iter()
        .take(8)
        .position(|b| !matches!(b, b' ' | b'\t'))
        .map(|p| i + 1 + p);
    // JSON inside a string has its quotes escaped (`"{\"old\":\"x\"}"`).
    let next = at.map(|j| match hay[j..].starts_with(b"\\\"") {
        true => b'"',
        false => hay[j],
    });
    match hay[i] {
        b'{' => matches!(next, Some(b'"' | b'}')),
        // `[[EMAIL]`: a bracket before a label, not an array of arrays.
        _ if at.is_some_and(|j| label_starts(hay, j)) => false,
        _ => matches!(
            next,
            Some(b'"' | b'{' | b'[' | b']' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n')
        ),
    }
}

/// Does a logfmt pair (`name=`) start at `i`?
fn pair_starts(hay: &[u8], i: usize) -> bool {
    if !hay.get(i).is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    let n = hay[i..]
        .iter()
        .take(MAX_KEY + 1)
        .take_while(|&&b| is_name_byte(b))
        .count();
    hay.get(i + n) == Some(&b'=')
}

/// Is the first `<` in `hay[from..to]` on the same line the end tag `</qname>`?
fn closing_tag(hay: &[u8], from: usize, to: usize, qname: &[u8]) -> bool {
    let Some(lt) = memchr::memchr(b'<', &hay[from..to]).map(|i| from + i) else {
        return false;
    };
    if hay[from..lt].contains(&b'\n') {
        return false;
    }
    let end = lt + 2 + qname.len();
    hay.get(lt + 1) == Some(&b'/')
        && hay.get(lt + 2..end) == Some(qname)
        && hay.get(end).is_some_and(|&b| b == b'>' || is_blank(b))
}

/// Does the line end at `i` (a `\n`, or a `\r` before one)?
#[inline]
fn line_ends(hay: &[u8], i: usize) -> bool {
    hay[i] == b'\n' || (hay[i] == b'\r' && hay.get(i + 1).is_none_or(|&b| b == b'\n'))
}

/// The rule of the key before the separator at `sep`.
#[inline(always)]
fn rule_before(
    rules: &KeyRules,
    hay: &[u8],
    sep: usize,
    blanks: Blanks,
    buf: &mut Vec<u8>,
) -> Option<usize> {
    let key = key_before(rules, hay, sep, blanks)?;
    // A quoted key is read whole first, as the JSON walker reads it (`"api key":`).
    let rule = match (key.quoted, key.name.clone()) {
        (Some(q), Some(n)) if q == n => rules.lookup(&hay[q], buf),
        (Some(q), n) => rules
            .lookup(&hay[q], buf)
            .or_else(|| n.and_then(|n| rules.lookup(&hay[n], buf))),
        // Two words that are a rule are read whole, also when the last is a rule alone: the
        // JSON walker reads `"nama rekening":` so (`rekening` wants a digit, a holder's
        // name has none).
        (None, Some(n)) => match rules.lookup(&hay[n.clone()], buf) {
            found if rules.ends_pair(&hay[n.clone()]) => two_words(rules, hay, n, buf).or(found),
            found => found,
        },
        (None, None) => None,
    };
    match (rule, key.name) {
        (None, Some(n))
            if n.len() >= 2
                && crate::sibling::ends_like_value_key(hay[n.end - 2], hay[n.end - 1]) =>
        {
            crate::sibling::sibling_rule(rules, hay, sep, blanks == Blanks::Json, buf)
        }
        (rule, _) => rule,
    }
}

/// A key of two words in free text (`api key: …`, `phone number: …`, `nama rekening: …`)
/// whose last word ends a rule of two ([`KeyRules::ends_pair`]): the word before it, one
/// space apart, read with it.
#[cold]
#[inline(never)]
fn two_words(rules: &KeyRules, hay: &[u8], name: Range<usize>, buf: &mut Vec<u8>) -> Option<usize> {
    let s = name.start;
    if s < 2 || hay[s - 1] != b' ' || !hay[s - 2].is_ascii_alphanumeric() {
        return None;
    }
    let mut p = s - 1;
    while p > 0 && is_name_byte(hay[p - 1]) && name.end - p <= MAX_KEY {
        p -= 1;
    }
    let start = p + name_in_run(&hay[p..s - 1])?;
    rules.lookup(&hay[start..name.end], buf)
}

/// Does the key that ends at `e` end like a URL's scheme (`http`, `https` is not read)?
#[inline(always)]
fn is_url_scheme(hay: &[u8], e: usize) -> bool {
    e >= 2
        && hay[e - 2] | 0x20 == b't'
        && hay[e - 1] | 0x20 == b'p'
        && e >= 3
        && hay[e - 3] | 0x20 == b't'
}

/// Where the run of at most [`MAX_BLANKS`] spaces and tabs that ends at `e` starts.
#[inline(always)]
fn blanks_before(hay: &[u8], mut e: usize) -> usize {
    let mut n = 0;
    while e > 0 && is_blank(hay[e - 1]) && n < MAX_BLANKS {
        e -= 1;
        n += 1;
    }
    e
}

/// Where a form's label ends before the decorations that may follow it up to `e`: a
/// required field's `*` (`Nama Lengkap*:`), a note in brackets after a blank
/// (`Nama (sesuai KTP):`), or the note unbracketed (`Alamat Sesuai KTP:`); `e` when there
/// is none. At most [`MAX_DECORATION`] bytes, on the line.
#[cold]
#[inline(never)]
fn undecorated(hay: &[u8], e: usize) -> usize {
    if hay[e - 1] == b'*' {
        return blanks_before(hay, e - 1);
    }
    if hay[e - 1] == b')' {
        let lo = e.saturating_sub(MAX_DECORATION);
        let Some(open) = memchr::memrchr(b'(', &hay[lo..e - 1]).map(|o| lo + o) else {
            return e;
        };
        let note = &hay[open + 1..e - 1];
        let words = !note.is_empty()
            && note
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'.' | b'/' | b'-'));
        return match open > 0 && is_blank(hay[open - 1]) && words {
            true => blanks_before(hay, open),
            false => e,
        };
    }
    // `sesuai KTP` (as on the identity card): the label is the word before it.
    const NOTE: &[u8] = b" sesuai ktp";
    match e.checked_sub(NOTE.len()) {
        Some(at) if hay[at..e].eq_ignore_ascii_case(NOTE) => at,
        _ => e,
    }
}

/// What may stand between a key and its separator.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Blanks {
    /// Up to [`MAX_BLANKS`] spaces or tabs (a pair has a bounded length for the windows).
    Text,
    /// JSON whitespace within a line: any run of spaces, tabs and `\r`.
    Json,
}

/// The key before a separator.
struct Key {
    /// The run of key bytes that ends it, without leading separators, if it starts with a
    /// letter.
    name: Option<Range<usize>>,
    /// A quoted key's whole text (it may hold blanks: `"phone number":`).
    quoted: Option<Range<usize>>,
}

/// The key that ends right before `sep`: optional blanks, an optional closing quote (also
/// an escaped one, `\"`), then a run of key bytes; the name is that run without leading
/// separators, and starts with a letter.
#[inline(always)]
fn key_before(rules: &KeyRules, hay: &[u8], sep: usize, blanks: Blanks) -> Option<Key> {
    // Most keys end right at their separator or its quote: their last three bytes decide
    // (the same test as below, where blanks, brackets, escapes and quotes are read first).
    let glued = sep - usize::from(sep > 0 && hay[sep - 1] == b'"');
    if glued >= 3 && rules.glued_end_is_no_rule(hay[glued - 3], hay[glued - 2], hay[glued - 1]) {
        return None;
    }
    let mut e = sep;
    match blanks {
        Blanks::Text => {
            e = blanks_before(hay, e);
            // A form's decorations (rare; `KTP` ends the one that is words).
            if e > 0 && matches!(hay[e - 1], b'*' | b')' | b'P' | b'p') && !is_url_scheme(hay, e) {
                e = undecorated(hay, e);
            }
        }
        Blanks::Json => {
            while e > 0 && (is_blank(hay[e - 1]) || hay[e - 1] == b'\r') {
                e -= 1;
            }
        }
    }
    let mut quote = None;
    let mut bracket = e > 0 && hay[e - 1] == b']';
    // A form key's brackets percent-encoded (`user%5Bpassword%5D=…`, a form body or query
    // string logged as sent).
    let encoded = e >= 3 && hay[e - 1] | 0x20 == b'd' && hay[e - 2] == b'5' && hay[e - 3] == b'%';
    if encoded {
        // Two of its three bytes here, the third as a `]`'s below.
        bracket = true;
        e -= 2;
    }
    // Where a quoted key's text ends.
    let mut close = e;
    if bracket {
        // A form parameter: `user[password]=…`.
        e -= 1;
    } else if e > 0 && (hay[e - 1] == b'"' || hay[e - 1] == b'\'') {
        e -= 1;
        quote = Some(hay[e]);
        if e > 0 && hay[e - 1] == b'\\' {
            e -= 1;
        } else if e > 1 && hay[e - 1] == hay[e] && is_name_byte(hay[e - 2]) {
            // CSV doubles the quotes of a JSON cell: `""password"":""s3cret""`.
            e -= 1;
        }
        close = e;
        // Quoted: `"user[password]":…`.
        if e > 0 && hay[e - 1] == b']' {
            bracket = true;
            e -= 1;
        }
    }
    // Most keys are not rules: tell by their last two or three bytes before looking for the
    // start (a quoted key's whole text ends with the same bytes).
    if e >= 2 && is_name_byte(hay[e - 1]) && is_name_byte(hay[e - 2]) {
        let (a, b) = (hay[e - 2], hay[e - 1]);
        let may = match e.checked_sub(3).map(|i| hay[i]) {
            Some(z) if is_name_byte(z) => rules.may_end_with_three(z, a, b),
            _ => rules.may_end_with(a, b),
        };
        // Six letters tell more (`duration` from `authorization`), unless the name may start
        // inside them: after an escape's letter (`\ntoken`) or an encoded `[` (`%5btoken`).
        let six = e >= 6 && !encoded && !(e >= 7 && hay[e - 7] == b'\\');
        if !may || (six && rules.six_end_is_no_rule(&hay[e - 6..e])) {
            return None;
        }
    }
    let mut s = e;
    while s > 0 && is_name_byte(hay[s - 1]) {
        s -= 1;
        if e - s > MAX_KEY {
            return None;
        }
    }
    // The `5B` of an encoded `[` is read as name bytes: the name starts after it.
    let open_at = if encoded {
        if !(s > 0 && hay[s - 1] == b'%' && e - s > 2 && hay[s..s + 2].eq_ignore_ascii_case(b"5B"))
        {
            return None;
        }
        s += 2;
        s - 3
    } else {
        s.saturating_sub(1)
    };
    // A key glued to an escape before it: `\npassword:`, `\ttoken=` (literal escapes in a
    // text log), rsyslog's `#011password=` (an escaped tab).
    if s > 0 && hay[s - 1] == b'\\' && e - s > 1 && matches!(hay[s], b'n' | b't' | b'r') {
        s += 1;
    } else if s > 0
        && hay[s - 1] == b'#'
        && e - s > 3
        && hay[s..s + 3].iter().all(u8::is_ascii_digit)
    {
        s += 3;
    }
    // Most quoted keys are one run of key bytes (`"user_id":`): then the run is the key,
    // read whole as the walker reads it (`"3ds_pin"`, `"2faToken"` start with a digit).
    let quoted = quote.and_then(|q| {
        if s > 0 && hay[s - 1] == q && !bracket {
            return Some(s..e);
        }
        let lo = s.saturating_sub((MAX_KEY + 1).saturating_sub(close - s));
        let open = lo + memchr::memrchr(q, &hay[lo..s])?;
        let text = open + 1..close;
        memchr::memchr(b'\n', &hay[text.clone()])
            .is_none()
            .then_some(text)
    });
    // `name[key]` is a form parameter; a label samar writes (`[NIK]`, upper case) is no
    // key, also after an escape that ends in a name byte (`\n[NIK]=`, `%20[EMAIL]:`), and
    // a key in brackets alone (`[password]=`) has a lower-case letter.
    if bracket {
        let open = encoded || (s >= 1 && hay[s - 1] == b'[');
        let form = open
            && open_at >= 1
            && is_name_byte(hay[open_at - 1])
            && !crate::escape::ends_before(hay, open_at);
        let lone = open && hay[s..e].iter().any(u8::is_ascii_lowercase);
        if !(form || lone) {
            return None;
        }
    }
    // Leading separators are not part of the name: `--password=…` (a command line),
    // `_token=…`, `.pin=…`. Two-word cue keys in chat (`kata sandi:`, `No HP:`): the last
    // word decides.
    let name = name_in_run(&hay[s..e]).map(|start| s + start..e);
    (name.is_some() || quoted.is_some()).then_some(Key { name, quoted })
}

/// The length of the `[REDACTED:name]` (a key rule's label) the value starts with.
fn label_len(value: &[u8]) -> Option<usize> {
    let rest = value.strip_prefix(b"[REDACTED:")?;
    let name = rest.iter().take_while(|&&b| is_name_byte(b)).count();
    (name > 0 && rest.get(name) == Some(&b']')).then_some(b"[REDACTED:".len() + name + 1)
}

/// A value read by [`value_after`].
struct Value {
    span: Range<usize>,
    /// It reached [`MAX_VALUE`] before its end.
    capped: bool,
    /// It ended at the closing quote of its string ([`KvFinding::closed`]).
    closed: bool,
    /// It is a JSON object or array (`{"old":"x"}`, also escaped inside a string).
    structure: bool,
}

/// The value that starts after the separator (blanks skipped): quoted, escaped-quoted
/// (`\"…\"`, JSON inside a string), a JSON object or array, or plain up to a delimiter.
fn value_after(hay: &[u8], mut v: usize, line: LineValue) -> Option<Value> {
    let mut blanks = 0;
    while v < hay.len() && is_blank(hay[v]) && blanks < MAX_BLANKS {
        v += 1;
        blanks += 1;
    }
    let most = v + MAX_VALUE;
    let cap = most.min(hay.len());
    let capped;
    let mut closed = false;
    let mut structure = false;
    let first = *hay.get(v)?;
    // A header's value (`Cookie: 'sid=a'; tok=b`) is not cut at a quote it starts with,
    // unless the key was quoted too (`"Cookie": "a=1"`) or it is logfmt (`cookie="a b"`).
    let header = matches!(line, LineValue::Line { close, word: false, .. } if close != Close::Key);
    // CSV's doubled quote opening a value (`""s3cret""` in a JSON cell): the value is
    // what follows it, up to the next quote (an empty value `""` followed by a blank or
    // punctuation is not one).
    let doubled = hay.get(v + 1) == Some(&first)
        && hay
            .get(v + 2)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || !(b.is_ascii() || b == first));
    let span = match first {
        b'"' | b'\'' if !header => {
            let s = v + 1 + usize::from(doubled);
            let mut i = s;
            while i < cap && hay[i] != first && !line_ends(hay, i) {
                if first == b'"' && hay[i] == b'\\' {
                    if hay.get(i + 1) == Some(&b'\n') {
                        break;
                    }
                    i += 2;
                } else {
                    i += 1;
                }
            }
            capped = i >= most;
            closed = i < cap && hay[i] == first;
            s..i.min(cap)
        }
        // A JSON object or array under the key in a line read as text (`stdout F
        // {"password": {"old":"a","new":"b"}}`, `body={"token":["a","b"]}`): to its
        // closing bracket, or the line's end if it has none.
        b'{' | b'[' if line == LineValue::No && json_opens(hay, v) => {
            let (mut depth, mut in_str, mut i) = (0usize, false, v);
            // JSON inside a string: its strings are `\"…\"`, and an escaped backslash in them
            // is `\\\\` (a `\"` after one still closes).
            let escaped = hay[v + 1..cap]
                .iter()
                .find(|&&b| !matches!(b, b' ' | b'\t'))
                == Some(&b'\\');
            while i < cap && !line_ends(hay, i) {
                match (in_str, hay[i]) {
                    (_, b'\\') if escaped => {
                        if hay.get(i + 1) == Some(&b'"') {
                            in_str = !in_str;
                        }
                        i += 1;
                    }
                    (true, b'\\') => i += 1,
                    (true, b'"') => in_str = false,
                    (false, b'"') => in_str = true,
                    (false, b'{' | b'[') => depth += 1,
                    (false, b'}' | b']') => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            i += 1;
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            let i = i.min(cap);
            capped = i >= most;
            structure = true;
            v..i
        }
        b'\\' if !header && hay.get(v + 1) == Some(&b'"') => {
            let s = v + 2;
            let mut i = s;
            while i < cap && !line_ends(hay, i) {
                if hay[i] == b'\\' {
                    match hay.get(i + 1) {
                        Some(b'"') => break,
                        // An escaped backslash; before an escaped quote, it escapes that
                        // quote one level down (`\\\"` in `\"sid=\\\"a\\\"; b=1\"`).
                        Some(b'\\') => {
                            i += if hay[i + 2..].starts_with(b"\\\"") {
                                4
                            } else {
                                2
                            };
                            continue;
                        }
                        _ => {}
                    }
                }
                i += 1;
            }
            capped = i >= most;
            closed = i < cap && hay[i] == b'\\';
            s..i.min(cap)
        }
        _ => {
            let mut i = v;
            if let LineValue::Line {
                close,
                word,
                scheme,
            } = line
            {
                let mut runs = 0;
                // An authorization's scheme followed by its parameters (`Digest a="b"
                // c="d"`, `AWS4-HMAC-SHA256 Credential=… Signature=…`): they cannot be
                // told from the pairs after them, so the value takes the line.
                let mut params = false;
                while i < cap && !line_ends(hay, i) {
                    let b = hay[i];
                    match close {
                        Close::Quote(q) if b == q => {
                            // A shell's `'\''` inside single quotes is a quote in the value.
                            if q == b'\'' && hay[i..].starts_with(b"'\\''") {
                                i += 4;
                                continue;
                            }
                            // A quote inside the header's value (`msg="Cookie: b="x"; c=1"`,
                            // unescaped) is followed by more of it; the closing one by a
                            // blank, the line's end or what ends a field.
                            if closes_field(hay, i + 1) {
                                closed = true;
                                break;
                            }
                        }
                        Close::Quote(b'"')
                            if b == b'\\'
                                && hay.get(i + 1).is_some_and(|&c| c != b'\n' && c != b'\r') =>
                        {
                            i += 2;
                            continue;
                        }
                        Close::Escaped if b == b'\\' && hay.get(i + 1) == Some(&b'"') => {
                            closed = true;
                            break;
                        }
                        _ => {}
                    }
                    if word && is_blank(b) && i > v {
                        // A run of blanks ends a logfmt value only before the next pair
                        // (`cookie=a=1 path=/x`), and not after a `;` or `,` (`a=1; b=2`,
                        // `Expires=Thu, 21 Oct …`) or an authorization's scheme.
                        let mut j = i;
                        while j < cap && is_blank(hay[j]) {
                            j += 1;
                        }
                        runs += 1;
                        if scheme && runs == 1 && is_scheme(&hay[v..i]) {
                            params = pair_starts(hay, j);
                            i = j;
                            continue;
                        }
                        let goes_on =
                            params || matches!(hay[i - 1], b';' | b',') || !pair_starts(hay, j);
                        if !goes_on {
                            break;
                        }
                        i = j;
                        continue;
                    }
                    i += 1;
                }
                i = i.min(cap);
                capped = i >= most;
                while i > v && is_blank(hay[i - 1]) {
                    i -= 1;
                }
            } else {
                // A `]` closes a `[` opened in the value (`pwd=[a]b`, or a label written by
                // an earlier pass) or ends the value (`[pin=1234]`); a `)` likewise with `(`
                // (`pass=Rah(asi)a123`, `f(pin=1234)`). A `;` ends it before a blank, the
                // line's end or the next pair (`a=1; b=2`, `Password=x;Database=y`), and is
                // part of it before more of a word (`password=abc;def123`).
                let (mut open, mut parens) = (0u32, 0u32);
                while i < cap {
                    let b = hay[i];
                    let ends = match b {
                        b' ' | b'\t' | b'\n' | b'\r' | b',' | b'&' | b'"' | b'\'' | b'}' | b'<'
                        | b'>' | b'|' => true,
                        b';' => {
                            !hay.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
                                || pair_starts(hay, i + 1)
                        }
                        b')' => parens == 0,
                        // An escaped quote ends a value inside a JSON string (`\"pin\":…`);
                        // any other backslash is part of the value (`pwd=abc\def`).
                        b'\\' => hay.get(i + 1) == Some(&b'"'),
                        _ => false,
                    };
                    if ends {
                        break;
                    }
                    match b {
                        b'[' => open += 1,
                        b']' if open == 0 => break,
                        b']' => open -= 1,
                        b'(' => parens += 1,
                        b')' => parens -= 1,
                        _ => {}
                    }
                    i += 1;
                }
                i = number_groups_end(hay, v, i, cap);
                capped = i >= most;
                // `password= token=x`: an empty value, then the next pair.
                if blanks > 0 && memchr::memchr(b'=', &hay[v..i]).is_some() {
                    return None;
                }
            }
            v..i
        }
    };
    (span.start < span.end).then_some(Value {
        span,
        capped,
        closed,
        structure,
    })
}

/// A number written in groups (`hp: 012-345 6789`, `rek: 123 456 7890`): when the plain
/// value `v..i` is a group of digits, the groups after single blanks belong to it (up to
/// `cap`); a group runs into no word (`1234 5th`) and its trailing `.` or `-` is
/// punctuation. A first group of one or two capital letters is a series before the number
/// (`passport: AB 1234567`), and an IBAN's head (two capitals, two digits) takes the groups
/// of up to four capitals and digits after it. Returns the value's new end.
fn number_groups_end(hay: &[u8], v: usize, mut i: usize, cap: usize) -> usize {
    let group = |s: &[u8]| {
        s.first().is_some_and(u8::is_ascii_digit)
            && s.last().is_some_and(u8::is_ascii_digit)
            && s.iter()
                .all(|&b| b.is_ascii_digit() || b == b'-' || b == b'.')
    };
    let series = |s: &[u8]| (1..=2).contains(&s.len()) && s.iter().all(u8::is_ascii_uppercase);
    // An IBAN in groups of four (`DE89 3704 0044 0532 0130 00`, `GB82 WEST 1234 …`): the
    // country and check digits, then groups of up to four capitals and digits.
    let iban_head = |s: &[u8]| {
        s.len() == 4
            && s[..2].iter().all(u8::is_ascii_uppercase)
            && s[2..].iter().all(u8::is_ascii_digit)
    };
    if iban_head(&hay[v..i]) {
        while i + 1 < cap && is_blank(hay[i]) {
            let g = i + 1;
            let mut j = g;
            while j < cap && j - g < 4 && (hay[j].is_ascii_uppercase() || hay[j].is_ascii_digit()) {
                j += 1;
            }
            if j == g
                || hay
                    .get(j)
                    .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
            {
                break;
            }
            i = j;
        }
        return i;
    }
    if !group(&hay[v..i]) && !series(&hay[v..i]) {
        return i;
    }
    loop {
        let g = i + 1;
        if g >= cap || !is_blank(hay[i]) || !hay[g].is_ascii_digit() {
            break;
        }
        let mut j = g;
        while j < cap && matches!(hay[j], b'0'..=b'9' | b'-' | b'.') {
            j += 1;
        }
        if hay
            .get(j)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
        {
            break;
        }
        while !hay[j - 1].is_ascii_digit() {
            j -= 1;
        }
        i = j;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(String, String)> {
        let rules = KeyRules::default();
        let mut buf = Vec::new();
        let hay = text.as_bytes();
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(f) = next_kv(&rules, hay, at, hay.len(), usize::MAX, &mut buf) {
            out.push((
                rules.names()[f.rule].clone(),
                text[f.span.clone()].to_string(),
            ));
            at = f.span.end;
        }
        out
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn logfmt_and_query_strings() {
        assert_eq!(
            values(r#"level=info password=hunter2 token="a b" author=x shipping=y pin=1234"#),
            pairs(&[("password", "hunter2"), ("token", "a b"), ("pin", "1234")])
        );
        assert_eq!(
            values("GET /login?email=budi%40mail.co.id&pwd=rahasia&next=/ HTTP/1.1"),
            pairs(&[("email", "budi%40mail.co.id"), ("pwd", "rahasia")])
        );
        assert_eq!(
            values(r#"note="kata \"x\" y" password="p \"q\" r" db.password=s3cret"#),
            pairs(&[("password", r#"p \"q\" r"#), ("password", "s3cret")])
        );
    }

    #[test]
    fn a_number_in_groups_is_one_value() {
        assert_eq!(
            values("hp: 012-345 6789. ok pin=12 34 56 78 90 12 34 x otp: 1234 5th phone=65 9123"),
            pairs(&[
                ("hp", "012-345 6789"),
                ("pin", "12 34 56 78 90 12 34"),
                ("otp", "1234"),
                ("phone", "65 9123")
            ])
        );
        // Only a value that is a number takes the groups after it.
        assert_eq!(
            values("pin: a1 234 pin: 1a 234"),
            pairs(&[("pin", "a1"), ("pin", "1a")])
        );
        // A series of one or two capitals before the number is part of it; without a
        // number after it, it is a word (a code's or an identifier's value needs a digit).
        assert_eq!(
            values("passport: AB 1234567 ok paspor: C 7654321 passport: ABC 1234567 pin: OK 12"),
            pairs(&[
                ("passport", "AB 1234567"),
                ("paspor", "C 7654321"),
                ("pin", "OK 12")
            ])
        );
        assert_eq!(
            values("password: AB cd passport: AB x"),
            pairs(&[("password", "AB")])
        );
        assert_eq!(
            values("IBAN: DE89 3704 0044 0532 0130 00, iban=GB82 WEST 1234 5698 7654 32 ok iban: NL91 ABNA0417 x"),
            pairs(&[
                ("iban", "DE89 3704 0044 0532 0130 00"),
                ("iban", "GB82 WEST 1234 5698 7654 32"),
                ("iban", "NL91")
            ])
        );
    }

    #[test]
    fn headers_and_chat_cues() {
        assert_eq!(
            values("Authorization: Bearer abc.def-ghi\r\nCookie: sid=1; theme=dark\n"),
            pairs(&[
                ("authorization", "Bearer abc.def-ghi"),
                ("cookie", "sid=1; theme=dark")
            ])
        );
        assert_eq!(
            values("kata sandi: Rahasia123! ya kak, kode OTP: 482913"),
            pairs(&[("kata_sandi", "Rahasia123!"), ("otp", "482913")])
        );
        // Two words that are a rule win over a last word that is one alone: `rekening`
        // wants a digit in its value, a holder's name has none. Two words that are no rule
        // leave the last word's.
        assert_eq!(
            values("nama rekening: Budi Santoso\nNama Rekening : Siti\nsaldo rekening: 1234567890"),
            pairs(&[
                ("nama_rekening", "Budi Santoso"),
                ("nama_rekening", "Siti"),
                ("rekening", "1234567890")
            ])
        );
        // Two-word keys whose last word is no rule.
        assert_eq!(
            values("my api key: zz9 and phone number: 0812x, the key: no"),
            pairs(&[("api_key", "zz9"), ("phone_number", "0812x")])
        );
        assert_eq!(
            values(r#"{\"password\":\"x y\",\"n\":1} {"pin" : "12"} "#),
            pairs(&[("password", "x y"), ("pin", "12")])
        );
        // Times, URLs, IPv6 and ratios are not pairs.
        assert_eq!(values("at 12:30:00 http://x/ ::1 a:b 3=4"), pairs(&[]));
        // Empty values are nothing to redact.
        assert_eq!(values("password= token=\"\""), pairs(&[]));
    }
}
