//! Key blocks over JSON records. A logging driver that writes one JSON record per line of
//! an app's output (Docker's json-file: `{"log":"-----BEGIN RSA PRIVATE KEY-----\n",…}`,
//! then `{"log":"MIIE…\n",…}` per line of the key) splits a key block over records: the
//! string that holds the BEGIN marker leaves the block open, and the same member of the
//! JSON lines after it carries it on, up to its END line.
//!
//! The redactor keeps a [`Carried`] block from one JSON line to the next within a batch;
//! the batcher keeps such a block inside one batch ([`open_in_json_line`]), as it does for
//! a block of text lines. Either way a block holds at most [`MAX_JSON_BLOCK`] bytes of
//! lines after its BEGIN line.

use crate::block::{self, Resume};

/// The member key (as written, between its quotes) of a string whose scan context is
/// `ctx`: the key from its opening quote, `:`, the string's opening quote (`"log":"`).
/// `None` for an array element, a key cut short by the context bound or a key with a
/// quote escaped in it.
pub(crate) fn member_key(ctx: &[u8]) -> Option<&[u8]> {
    let trim = |s: &[u8]| -> usize { s.len() - s.iter().rev().take_while(|b| is_ws(**b)).count() };
    let s = ctx.strip_suffix(b"\"")?;
    let s = s[..trim(s)].strip_suffix(b":")?;
    let s = s[..trim(s)].strip_suffix(b"\"")?;
    let key = s.strip_prefix(b"\"")?;
    (memchr::memchr(b'"', key).is_none()).then_some(key)
}

#[inline]
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The most bytes of JSON lines after its BEGIN line that carry a block on: more than a
/// block of text lines ([`block::MAX_BLOCK`]), as each line of key material comes with a
/// record's metadata (a Kubernetes record is about a kilobyte).
pub const MAX_JSON_BLOCK: usize = 256 << 10;

/// The most blocks carried from a line at once (a record may hold the same text twice:
/// ECS's `message` and `event.original`).
const MAX_CARRIED: usize = 4;

/// A block a JSON line's string left open.
#[derive(Debug)]
pub(crate) struct Carried {
    pub(crate) detector: usize,
    /// The member key whose strings carry the block on, and how deep they nest.
    pub(crate) key: Vec<u8>,
    depth: usize,
    /// The prefix before the BEGIN marker in its string (see [`block::line_prefix`]).
    pub(crate) pre: Vec<u8>,
    /// How the next string carries the block on.
    pub(crate) resume: Resume,
    /// A line that carries the block on ends before this offset of the batch (its newline
    /// is read within [`MAX_JSON_BLOCK`] of the BEGIN line's end, as the batcher holds it).
    limit: usize,
}

/// The blocks carried from one JSON line to the next.
#[derive(Debug, Default)]
pub(crate) struct JsonCarry {
    /// What the line being walked may carry on.
    cur: Vec<Carried>,
    /// What the next line may carry on.
    next: Vec<Carried>,
    /// A block the string just scanned left open (its key is not known yet).
    opened: Option<(usize, Resume)>,
    opened_pre: Vec<u8>,
    /// Blocks no longer used, for their buffers.
    spare: Vec<Carried>,
}

impl JsonCarry {
    /// Forget every block (a batch starts, or a line that is not walked as JSON ends
    /// whatever was open).
    pub(crate) fn clear(&mut self) {
        self.opened = None;
        self.spare.append(&mut self.cur);
        self.spare.append(&mut self.next);
    }

    /// Is a block open for the next line?
    #[inline]
    pub(crate) fn pending(&self) -> bool {
        !self.next.is_empty()
    }

    /// A JSON line `..nl` of the batch is about to be walked: the blocks the line before
    /// left open are what it may carry on, those the line ends within the bound of.
    pub(crate) fn start_line(&mut self, nl: usize) {
        self.opened = None;
        self.spare.append(&mut self.cur);
        std::mem::swap(&mut self.cur, &mut self.next);
        let mut i = 0;
        while i < self.cur.len() {
            if nl < self.cur[i].limit {
                i += 1;
            } else {
                self.spare.push(self.cur.swap_remove(i));
            }
        }
    }

    /// The JSON line that ends at `nl` was walked: a block a string of it opened is bounded
    /// from the line's end.
    pub(crate) fn end_line(&mut self, nl: usize) {
        self.spare.append(&mut self.cur);
        for c in self.next.iter_mut().filter(|c| c.limit == usize::MAX) {
            c.limit = nl.saturating_add(1 + MAX_JSON_BLOCK);
        }
    }

    /// Does the line being walked carry a block on (until a string takes it)?
    #[inline]
    pub(crate) fn carrying(&self) -> bool {
        !self.cur.is_empty()
    }

    /// Did the string just scanned leave a block open?
    #[inline]
    pub(crate) fn opened(&self) -> bool {
        self.opened.is_some()
    }

    /// An open block a string under `key`, `depth` deep, may carry on, taken (one string per
    /// line does: give it back with [`JsonCarry::put_back`] when it does not).
    pub(crate) fn take(&mut self, key: &[u8], depth: usize) -> Option<Carried> {
        let i = self
            .cur
            .iter()
            .position(|c| c.depth == depth && c.key == key)?;
        Some(self.cur.swap_remove(i))
    }

    /// A block the string under its key did not carry on: a later string under the same
    /// key on the line may (`{"error":{"message":"x"},"message":"MIIE…"}`).
    pub(crate) fn put_back(&mut self, c: Carried) {
        self.cur.push(c);
    }

    /// The block carried on (or opened) by a string goes on to the next line.
    pub(crate) fn keep(&mut self, c: Carried) {
        if self.next.len() < MAX_CARRIED {
            self.next.push(c);
        } else {
            self.spare.push(c);
        }
    }

    /// A block was found that runs to the end of the string being scanned, with `pre`
    /// before its marker; see [`JsonCarry::opened_under`]. The string's first such block
    /// is the one carried on: a later one starts in the fields after the first's marker
    /// on the same line (`msg="-----BEGIN …-----" other="-----BEGIN …-----"`), with a
    /// prefix no record after it repeats.
    pub(crate) fn open(&mut self, detector: usize, resume: Resume, pre: &[u8]) {
        if self.opened.is_some() {
            return;
        }
        self.opened = Some((detector, resume));
        self.opened_pre.clear();
        self.opened_pre.extend_from_slice(pre);
    }

    /// The string scanned was under `key` (or none), `depth` deep: a block it left open goes
    /// on to the next line.
    pub(crate) fn opened_under(&mut self, key: Option<&[u8]>, depth: usize) {
        let (Some((detector, resume)), Some(key)) = (self.opened.take(), key) else {
            return;
        };
        let mut c = self.spare.pop().unwrap_or_else(|| Carried {
            detector,
            key: Vec::new(),
            pre: Vec::new(),
            resume,
            limit: usize::MAX,
            depth,
        });
        c.detector = detector;
        c.depth = depth;
        c.resume = resume;
        c.key.clear();
        c.key.extend_from_slice(key);
        std::mem::swap(&mut c.pre, &mut self.opened_pre);
        c.limit = usize::MAX;
        self.keep(c);
    }
}

/// Does the JSON line `buf[..first_nl]` that holds a BEGIN marker at `begin` leave a
/// private key block open (in any of its strings) that the JSON lines after it, up to
/// `checked`, all carry on? Read as the redactor reads them (more lines may pass here than
/// there: a batch is then cut earlier than it had to be, which costs nothing). Adds the
/// bytes of the lines after it that were read to `read`.
pub(crate) fn open_in_json_line(
    buf: &[u8],
    begin: usize,
    first_nl: usize,
    checked: usize,
    read: &mut usize,
) -> bool {
    let line_start = memchr::memrchr(b'\n', &buf[..begin]).map_or(0, |p| p + 1);
    let line = &buf[line_start..first_nl];
    if line.iter().find(|b| !is_ws(**b)) != Some(&b'{') {
        return false;
    }
    let mut decoded = Vec::new();
    // Each string once (a string's last marker decides it): many markers in one long
    // string must not decode it once each.
    let mut after = 0;
    // The redactor carries the first few open strings of a line on, no more.
    let mut tried = 0;
    for at in memchr::memmem::find_iter(line, b"-----BEGIN ") {
        if at < after {
            continue;
        }
        let Some(close) = quote_after(&line[at..]).map(|q| at + q) else {
            return false;
        };
        after = close;
        let Some(open) = opened(line, at, close) else {
            continue;
        };
        if carried_to(buf, first_nl + 1, checked, open, &mut decoded, read) {
            return true;
        }
        tried += 1;
        if tried == MAX_CARRIED {
            return false;
        }
    }
    false
}

/// Do the lines of `buf[from..checked]` all carry on the block `o` opened? Adds the bytes
/// of the lines read to `read`.
fn carried_to(
    buf: &[u8],
    from: usize,
    checked: usize,
    o: Opened,
    decoded: &mut Vec<u8>,
    read: &mut usize,
) -> bool {
    let Opened {
        key,
        pre,
        mut resume,
    } = o;
    let mut s = from;
    while s < checked {
        let e = memchr::memchr(b'\n', &buf[s..checked]).map_or(checked, |p| s + p);
        let line = &buf[s..e];
        *read += line.len() + 1;
        if line.iter().find(|b| !is_ws(**b)) != Some(&b'{') {
            return false;
        }
        // Any string under the key that carries the block on (as the walker tries each).
        let mut carried = None;
        let mut at = 0;
        while let Some(p) = memchr::memmem::find(&line[at..], key) {
            let k = at + p;
            at = k + 1;
            let Some(raw) = value_after(line, k + key.len()) else {
                continue;
            };
            if !crate::json::decode_string(raw, decoded) {
                continue;
            }
            let mut r = resume;
            if let Some(c) = block::carry_on(decoded, &pre, &mut r) {
                carried = Some((c, r));
                break;
            }
        }
        match carried {
            Some((c, r)) if c.open => resume = r,
            _ => return false,
        }
        s = e + 1;
    }
    true
}

/// A JSON line's string that leaves a private key block open.
struct Opened<'a> {
    /// The string's member key with its quotes, as written (a pattern to find it again).
    key: &'a [u8],
    /// The prefix before the BEGIN marker in the string.
    pre: Vec<u8>,
    /// How the next record carries the block on.
    resume: Resume,
}

/// The string of the JSON line `line` that holds the marker at `at` and closes at `close`,
/// when it leaves a private key block open.
fn opened(line: &[u8], at: usize, close: usize) -> Option<Opened<'_>> {
    let open_quote = quote_before(line, at)?;
    let mut s = &line[..open_quote];
    s = &s[..s.len() - s.iter().rev().take_while(|b| is_ws(**b)).count()];
    s = s.strip_suffix(b":")?;
    let key_end = s.len() - s.iter().rev().take_while(|b| is_ws(**b)).count();
    let key_close = key_end.checked_sub(1).filter(|&k| line[k] == b'"')?;
    let key_open = quote_before(line, key_close)?;
    let key = &line[key_open..=key_close];
    let mut text = Vec::new();
    if !crate::json::decode_string(&line[open_quote + 1..close], &mut text) {
        return None;
    }
    // The string's first marker whose block runs to its end is the one a record after it
    // may carry on (as the walker keeps it, see `JsonCarry::open`).
    for m in memchr::memmem::find_iter(&text, b"-----BEGIN ") {
        let Some(close) = memchr::memmem::find(&text[m + 11..], b"-----") else {
            break;
        };
        let marker_end = m + 11 + close + 5;
        let line_end = memchr::memchr(b'\n', &text[m..]).map_or(text.len(), |p| m + p);
        if memchr::memmem::find(&text[m..line_end], b"PRIVATE KEY").is_none() {
            continue;
        }
        if let Some(resume) = block::extend(&text, m, marker_end, text.len(), true).open {
            return Some(Opened {
                key,
                pre: block::line_prefix(&text, m).to_vec(),
                resume,
            });
        }
    }
    None
}

/// Where the nearest quote before `at` that is not escaped is.
fn quote_before(line: &[u8], at: usize) -> Option<usize> {
    let mut hi = at;
    while let Some(q) = memchr::memrchr(b'"', &line[..hi]) {
        let slashes = line[..q].iter().rev().take_while(|&&b| b == b'\\').count();
        if slashes % 2 == 0 {
            return Some(q);
        }
        hi = q;
    }
    None
}

/// Where the first quote of `s` that is not escaped is.
fn quote_after(s: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// After a quoted key ending at `k`: blanks, `:`, blanks and a string; its content as
/// written.
fn value_after(line: &[u8], mut k: usize) -> Option<&[u8]> {
    let skip = |line: &[u8], k: &mut usize| {
        while line.get(*k).is_some_and(|b| is_ws(*b)) {
            *k += 1;
        }
    };
    skip(line, &mut k);
    (line.get(k) == Some(&b':')).then_some(())?;
    k += 1;
    skip(line, &mut k);
    (line.get(k) == Some(&b'"')).then_some(())?;
    let end = k + 1 + quote_after(&line[k + 1..])?;
    Some(&line[k + 1..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_keys() {
        assert_eq!(member_key(b"\"log\":\""), Some(&b"log"[..]));
        assert_eq!(member_key(b"\"log\" : \""), Some(&b"log"[..]));
        assert_eq!(member_key(b"\"keys\":[\""), None);
        assert_eq!(member_key(b"g\":\""), None);
        assert_eq!(member_key(b"\"a\\\"b\":\""), None);
        assert_eq!(member_key(b"\""), None);
    }

    const DOCKER: &[u8] = b"{\"log\":\"-----BEGIN RSA PRIVATE KEY-----\\n\",\"stream\":\"stdout\"}\n{\"log\":\"MIIBOgIBAAJBAKj34GkxFhD90vcN\\n\",\"stream\":\"stdout\"}\n{\"log\":\"-----END RSA PRIVATE KEY-----\\n\",\"stream\":\"stdout\"}\n";

    #[test]
    fn an_open_block_over_json_lines() {
        let begin = 8;
        let nl = memchr::memchr(b'\n', DOCKER).unwrap();
        let second = nl + 1 + memchr::memchr(b'\n', &DOCKER[nl + 1..]).unwrap();
        assert!(open_in_json_line(DOCKER, begin, nl, nl + 1, &mut 0));
        assert!(open_in_json_line(DOCKER, begin, nl, second + 1, &mut 0));
        // The END line closes it.
        assert!(!open_in_json_line(DOCKER, begin, nl, DOCKER.len(), &mut 0));
        // A line whose `log` is no key material ends it.
        let other =
            b"{\"log\":\"-----BEGIN EC PRIVATE KEY-----\\n\"}\n{\"log\":\"server started\\n\"}\n";
        let nl = memchr::memchr(b'\n', other).unwrap();
        assert!(!open_in_json_line(other, 8, nl, other.len(), &mut 0));
        // So does a line without the key; a certificate is no private key.
        let other = b"{\"log\":\"-----BEGIN EC PRIVATE KEY-----\\n\"}\n{\"msg\":\"AAAA\"}\n";
        assert!(!open_in_json_line(other, 8, nl, other.len(), &mut 0));
        let cert = b"{\"log\":\"-----BEGIN CERTIFICATE-----\\n\"}\n{\"log\":\"AAAA\\n\"}\n";
        let nl = memchr::memchr(b'\n', cert).unwrap();
        assert!(!open_in_json_line(cert, 8, nl, cert.len(), &mut 0));
    }
}
