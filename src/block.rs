//! Multi-line key blocks (PEM / OpenSSH / PGP armour): a `-----BEGIN … PRIVATE KEY-----`
//! line is followed by lines of key material up to an `-----END …-----` line. Detectors
//! match one line at most; a detector marked `pem_block` has its finding carried over the
//! block's following lines here, and the stream keeps a block inside one batch.

/// The most bytes a block's lines hold after its BEGIN line (so that the bound does not
/// depend on what precedes the marker on its line), their log prefixes and fields
/// included; lines past it are not part of the block. An RSA-4096 key logged one line per
/// record with a kilobyte and a half of fields on each line needed more than 64 KiB.
pub const MAX_BLOCK: usize = 1 << 20;

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";

/// How far a block's lines have been read (see [`Reading::line`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// In the armour-header section (see [`material`]).
    headers: bool,
    /// The longest line of base64 so far: the key's wrap width.
    width: usize,
    /// A line of base64 shorter than the wrap width was read: the key's last. Only a
    /// checksum line (PGP's `=ABCD`), blank lines and the END line may follow.
    tail: bool,
}

/// Shorter than this, a block's first line of base64 is its last (keys wrap at 64 or 70).
const MIN_WIDTH: usize = 16;

impl Reading {
    /// A block's reading right after its BEGIN line.
    pub const fn start() -> Reading {
        Reading {
            headers: true,
            width: 0,
            tail: false,
        }
    }

    /// Is `line` (after its prefix, without its newline) one of the block's lines? Only its
    /// last line of base64 is shorter than the others, so the lines after a short one end
    /// the block unless they close it: after a BEGIN line with no END line, a log's
    /// one-word lines (`OK`, `done`) are not all taken for key material.
    fn line(&mut self, line: &[u8]) -> bool {
        if !material(line, &mut self.headers) {
            return false;
        }
        let l = bare(line);
        if l.is_empty() || l.contains(&b':') {
            return !self.tail || l.is_empty();
        }
        if self.tail {
            return l[0] == b'=';
        }
        if l.len() < self.width.max(MIN_WIDTH) {
            self.tail = true;
        }
        self.width = self.width.max(l.len());
        true
    }
}

/// Is this line (without its newline) key material: base64, an armour header
/// (`Proc-Type: 4,ENCRYPTED`, `Comment: …`) or blank? `headers` is true while the block
/// is in its header section (right after the BEGIN line, before a blank or base64 line):
/// there any `Name: value` line is a header (`Created: 2024`, RFC 1421's `Originator-…`);
/// after it only the known names are (a bare BEGIN marker does not take the log lines
/// after it: `GET: /index.html` once the key has started).
fn material(line: &[u8], headers: &mut bool) -> bool {
    let line = bare(line);
    if line.is_empty() {
        *headers = false;
        return true;
    }
    if line.len() > 2 && line[..line.len().min(40)].contains(&b':') {
        let name = &line[..line.iter().position(|&b| b == b':').unwrap_or(0)];
        return armour_header(name)
            || (*headers
                && name.first().is_some_and(u8::is_ascii_alphabetic)
                && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-'));
    }
    *headers = false;
    line.iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
}

/// Is `name` a known armour header's name (PEM `Proc-Type`, `DEK-Info`; PGP `Version`,
/// `Comment`, `Hash`, `Charset`, `MessageID`; RFC 4716 `Subject`, `x-…`)?
fn armour_header(name: &[u8]) -> bool {
    const NAMES: &[&[u8]] = &[
        b"proc-type",
        b"dek-info",
        b"version",
        b"comment",
        b"hash",
        b"charset",
        b"messageid",
        b"subject",
    ];
    NAMES.iter().any(|n| name.eq_ignore_ascii_case(n))
        || (name.len() > 2
            && name[..2].eq_ignore_ascii_case(b"x-")
            && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-'))
}

/// A block line's text: without its line end, colour codes, indent and trailing blanks.
#[inline]
fn bare(line: &[u8]) -> &[u8] {
    blanks_off_end(indent_off(sgr_off(crs_off_end(line))))
}

/// The line without the `\r`s that end it (CRLF, or a CR doubled by a writer that added
/// its own: `\r\r\n`).
#[inline]
fn crs_off_end(line: &[u8]) -> &[u8] {
    let n = line.iter().rev().take_while(|&&b| b == b'\r').count();
    &line[..line.len() - n]
}

/// The line without trailing blanks and a trailing `\` (a line continuation in a
/// `.properties` file or a shell).
fn blanks_off_end(line: &[u8]) -> &[u8] {
    let trim = |l: &[u8]| -> usize {
        l.len()
            - l.iter()
                .rev()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count()
    };
    let line = &line[..trim(line)];
    match line.strip_suffix(b"\\") {
        // A `\n` escape before the continuation (`key=-----BEGIN …-----\n\`).
        Some(l) => {
            let l = l.strip_suffix(b"\\n").unwrap_or(l);
            &l[..trim(l)]
        }
        // A `\n` escape a logger wrote at the line's end (logfmt's `msg="MIIE…\n"`).
        None => match line.strip_suffix(b"\\n") {
            Some(l) => {
                let l = l.strip_suffix(b"\\r").unwrap_or(l);
                &l[..trim(l)]
            }
            None => line,
        },
    }
}

/// The line without its indent (a block under a YAML `|` key or in a k8s manifest).
#[inline]
fn indent_off(line: &[u8]) -> &[u8] {
    let n = line
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    &line[n..]
}

/// Is this line a block's END line (indent allowed)?
#[inline]
fn end_line(line: &[u8]) -> bool {
    indent_off(sgr_off(line)).starts_with(END)
}

/// The length of the terminal colour codes (SGR: `ESC [ 31 m`, `ESC [ 0 m`) `s` starts with:
/// a colouring logger wraps each line of a key in them.
fn sgr_len(s: &[u8]) -> usize {
    let mut n = 0;
    while s[n..].starts_with(b"\x1b[") {
        let codes = s[n + 2..]
            .iter()
            .take_while(|b| b.is_ascii_digit() || **b == b';')
            .count();
        if s.get(n + 2 + codes) != Some(&b'm') {
            break;
        }
        n += codes + 3;
    }
    n
}

/// The line without the colour codes it starts and ends with (see [`sgr_len`]).
fn sgr_off(line: &[u8]) -> &[u8] {
    let line = &line[sgr_len(line)..];
    let mut end = line.len();
    // Codes at the end, read back from their `m`: one at a time, from the last `ESC`.
    while end > 0 && line[end - 1] == b'm' {
        match memchr::memrchr(0x1b, &line[..end]) {
            Some(e) if e + sgr_len(&line[e..end]) == end => end = e,
            _ => break,
        }
    }
    &line[..end]
}

/// Longest line prefix (a log shipper's timestamp and tag, a logger's fields before the
/// message: slog's `source=` path and trace ids ran past 256 bytes) read before a block's
/// lines.
const MAX_PREFIX: usize = 4096;

/// What a log writer put before the BEGIN marker at `begin` on its line (`2026-12-06T10:00:00Z
/// stdout F `, `Dec  6 10:00:00 host app[123]: `): the text from the line's start, if it holds
/// more than blanks and ends with a byte that is no letter or digit. The block's other lines
/// then carry a prefix of the same shape (see [`prefixed`]). Empty otherwise.
pub fn line_prefix(buf: &[u8], begin: usize) -> &[u8] {
    let lo = begin.saturating_sub(MAX_PREFIX);
    let start = memchr::memrchr(b'\n', &buf[lo..begin]).map_or(lo, |p| lo + p + 1);
    let pre = &buf[start..begin];
    let shaped = pre.last().is_some_and(|b| !b.is_ascii_alphanumeric())
        && pre.iter().any(|&b| b != b' ' && b != b'\t')
        && (start > lo || start == 0);
    if shaped {
        pre
    } else {
        &[]
    }
}

/// The length of the prefix of `line` that has the shape of `pre`: the same bytes, but a
/// run of digits for a run of digits (timestamps, pids and counters change from line to
/// line, and so may their widths: `10:00:00.1Z`, `10:00:00.123Z`), a run of spaces for a
/// run of spaces, and a fraction of a second may be left out on either side (`10:00:01Z`: a
/// runtime trims its zeros).
fn prefixed(line: &[u8], pre: &[u8]) -> Option<usize> {
    let fraction = |s: &[u8], k: usize| {
        s.get(k) == Some(&b'.') && s.get(k + 1).is_some_and(u8::is_ascii_digit)
    };
    // Where the run of `pred` bytes of `s` from `k` ends.
    let run_end = |s: &[u8], k: usize, pred: fn(&u8) -> bool| {
        k + s[k..].iter().take_while(|b| pred(b)).count()
    };
    let digit: fn(&u8) -> bool = u8::is_ascii_digit;
    let blank: fn(&u8) -> bool = |b| *b == b' ';
    let (mut i, mut j) = (0, 0);
    while j < pre.len() {
        // The quote that opens a logfmt value (`msg="`) is written only when the value needs
        // one (slog, go-logfmt and logrus quote a value with a blank or `=` in it): a line
        // of base64 comes unquoted after the BEGIN line's quoted marker.
        if j + 1 == pre.len()
            && j > 0
            && pre[j - 1] == b'='
            && prefix_quote(pre).is_some()
            && line.get(i) != Some(&pre[j])
        {
            return Some(i);
        }
        let a = *line.get(i)?;
        if fraction(pre, j) && a != b'.' {
            j = run_end(pre, j + 1, digit);
        } else if fraction(line, i) && pre[j] != b'.' {
            i = run_end(line, i + 1, digit);
        } else if pre[j] == b' ' && a == b' ' {
            // A run of blanks for a run of blanks (syslog pads a day: `Dec  9`, `Dec 10`).
            j = run_end(pre, j, blank);
            i = run_end(line, i, blank);
        } else if pre[j].is_ascii_digit() {
            if !a.is_ascii_digit() {
                return None;
            }
            j = run_end(pre, j, digit);
            i = run_end(line, i, digit);
        } else if a == pre[j] || (cri_tag(pre, j) && cri_tag(line, i)) {
            // A container runtime's partial-line tag `P` for its full-line tag `F`.
            i += 1;
            j += 1;
        } else {
            return None;
        }
    }
    Some(i)
}

/// Is `s[k]` a container runtime's line tag (`P` partial, `F` full) between blanks?
#[inline]
fn cri_tag(s: &[u8], k: usize) -> bool {
    matches!(s[k], b'P' | b'F') && k > 0 && s[k - 1] == b' ' && s.get(k + 1) == Some(&b' ')
}

/// How long the prefix of `line` of the shape of `pre` (a BEGIN line's) is: 0 when `pre` is
/// empty or `line` has none.
#[inline]
pub fn prefix_len(line: &[u8], pre: &[u8]) -> usize {
    match pre.is_empty() {
        true => 0,
        false => prefixed(line, pre).unwrap_or(0),
    }
}

/// The quote a BEGIN line's prefix opens (logfmt's `msg="`): a line of the block with the
/// prefix closes it at its end.
#[inline]
pub fn prefix_quote(pre: &[u8]) -> Option<u8> {
    pre.last().copied().filter(|q| matches!(q, b'"' | b'\''))
}

/// Where the quote `q` that closes a line's quoted value is, when more fields follow it
/// (`MIIE…" component=tls`: slog and logfmt write the message before the attributes): the
/// first `q`, with a blank after it. Key material holds no quote.
#[inline]
fn closing_quote_before_fields(value: &[u8], q: u8) -> Option<usize> {
    let k = memchr::memchr(q, value)?;
    field_blank(&value[k + 1..]).then_some(k)
}

/// Does `s` start with a blank between fields: a space, a tab, or rsyslog's escaped tab
/// (`#011`)?
#[inline]
fn field_blank(s: &[u8]) -> bool {
    matches!(s.first(), Some(b' ' | b'\t')) || s.starts_with(b"#011")
}

/// rsyslog's escaped carriage return at a message's end (`msg="…"#015`: a CRLF line).
const ESCAPED_CR: &[u8] = b"#015";

/// Where the value of a block line whose prefix opens a logfmt value ends, in `rest` (the
/// line after its prefix, without its `\r`): `(value end, fields start)`, the closing
/// quote between them when `quoted` (the prefix on this line ended with the quote `q`).
/// A quoted value ends at the first quote with a blank after it (more fields follow) or at
/// a quote that ends the line; an unquoted one at the first blank. `None`: the whole of
/// `rest` is the value.
#[inline]
pub fn value_split(rest: &[u8], q: u8, quoted: bool) -> Option<(usize, usize)> {
    if !quoted {
        let k = (0..rest.len()).find(|&k| field_blank(&rest[k..]))?;
        return Some((k, k));
    }
    if let Some(k) = closing_quote_before_fields(rest, q) {
        return Some((k, k + 1));
    }
    let line = rest.strip_suffix(ESCAPED_CR).unwrap_or(rest);
    (line.last() == Some(&q)).then(|| (line.len() - 1, line.len()))
}

/// A block line without the prefix of its BEGIN line's shape (`pre`), if it has one, and
/// without the quote that closes the prefix's quote and the fields after the value.
#[inline]
fn body<'a>(line: &'a [u8], pre: &[u8]) -> &'a [u8] {
    let n = prefix_len(line, pre);
    let rest = &line[n..];
    match prefix_quote(pre).filter(|_| n > 0) {
        Some(q) => {
            let rest = rest.strip_suffix(b"\r").unwrap_or(rest);
            match value_split(rest, q, line[n - 1] == q) {
                Some((end, _)) => &rest[..end],
                None => rest,
            }
        }
        None => rest,
    }
}

/// How far a block written on one line (`\n` escapes in JSON) extends from its BEGIN
/// marker's start; within the stream windows' overlap (the key=value span bound, which
/// is larger), so windows decide it alike. An RSA-8192 or PGP secret key fits.
pub const ONE_LINE_MAX: usize = 16 * 1024;
const _: () = assert!(ONE_LINE_MAX <= crate::kv::MAX_SPAN);

/// Key material on the BEGIN line itself: base64, blanks and `\n`-style escapes (also
/// rsyslog's `#012`).
fn inline_material(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'\\' | b'#' | b' ' | b'\t')
}

/// Where a block found by [`extend`] ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    /// The block's end (the newline after it is not included).
    pub end: usize,
    /// The block ran on to the end of a complete text without an END line: a next record
    /// of the same stream may carry it on (see [`carry_on`]), as this says.
    pub open: Option<Resume>,
}

/// How a record carries on a block that the record before it left open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resume {
    /// With lines of key material, read on from where the record before stopped.
    Lines(Reading),
    /// With more of a one-line block's material, cut where its record was split (a
    /// runtime splits a long line over records).
    Inline,
}

/// Is `line[i]` key material of a one-line block: [`inline_material`], or a byte of an
/// armour header written inline (`\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,3CB0…`)
/// short of a marker's dashes?
#[inline]
fn inline_header_or_material(line: &[u8], i: usize) -> bool {
    inline_material(line[i])
        || matches!(line[i], b':' | b',')
        || (line[i] == b'-' && !line[i..].starts_with(b"-----"))
}

/// A finding `start..end` of a block detector is its BEGIN marker: return the end of the
/// block. On the same line, key material runs on to an END marker (the one-line form);
/// when the line ends right after the marker, the block goes on over the following lines
/// of key material to the END line, never past `limit` or [`MAX_BLOCK`] of material. The
/// newline after the returned end is not included.
///
/// `complete`: `buf` ends where its text ends (a decoded JSON string), so a last line of
/// key material without a newline after it is part of the block (a truncated field).
pub fn extend(buf: &[u8], start: usize, end: usize, limit: usize, complete: bool) -> Extent {
    let closed = |end| Extent { end, open: None };
    // The one-line form never reaches past its own line.
    let line_cap = buf.len().min(start + ONE_LINE_MAX).max(end);
    let line_cap = memchr::memchr(b'\n', &buf[end..line_cap]).map_or(line_cap, |p| end + p);
    let mut i = end;
    while i < line_cap && inline_header_or_material(&buf[..line_cap], i) {
        i += 1;
    }
    if buf[i..line_cap].starts_with(END) {
        // The END marker closes with "-----" on the same line.
        let from = i + END.len();
        return closed(match memchr::memmem::find(&buf[from..line_cap], b"-----") {
            Some(p) => from + p + 5,
            None => line_cap,
        });
    }
    let pre = line_prefix(buf, start);
    // Colour codes after the marker (`ESC[31m-----BEGIN …-----ESC[0m`), the quote that
    // closes the prefix's (`msg="-----BEGIN …-----"`), then the BEGIN line's newline (after
    // a `\r` in a CRLF file).
    let after = i + sgr_len(&buf[i..line_cap]);
    let quote = prefix_quote(pre).is_some_and(|q| buf.get(after) == Some(&q));
    let nl = after + usize::from(quote);
    // rsyslog's `#015` for the CR of a CRLF line (the message ends there).
    let nl = nl + usize::from(quote && buf[nl..].starts_with(ESCAPED_CR)) * ESCAPED_CR.len();
    let nl = match quote && field_blank(&buf[nl..]) {
        // More fields after the quoted marker (`msg="-----BEGIN …-----" component=tls`):
        // the block's lines start after this line, which may run past the one-line form's
        // bound (kilobytes of fields).
        true if line_cap < buf.len() && buf[line_cap] != b'\n' => {
            let far = buf.len().min(nl + MAX_BLOCK);
            memchr::memchr(b'\n', &buf[line_cap..far]).map_or(far, |p| line_cap + p)
        }
        true => line_cap,
        false => nl + buf[nl..].iter().take_while(|&&b| b == b'\r').count(),
    };
    if buf.get(nl) != Some(&b'\n') || !blanks_off_end(&buf[end..i]).is_empty() {
        // One-line form cut short (a truncated field): the material seen so far. A text
        // that ends there leaves the block open: the next record starts its lines (the
        // marker ended the text) or goes on with its material (a record split in two).
        let open = complete && nl == buf.len() && i < start + ONE_LINE_MAX && limit >= nl;
        let resume = match blanks_off_end(&buf[end..i]).is_empty() {
            true => Resume::Lines(Reading::start()),
            false => Resume::Inline,
        };
        return Extent {
            end: i,
            open: open.then_some(resume),
        };
    }
    let cap = limit.min(buf.len()).min(nl + 1 + MAX_BLOCK);
    // The text's end is reached, not a bound.
    let to_end = complete && cap == buf.len();
    let mut block_end = end;
    let mut reading = Reading::start();
    let mut line_start = nl + 1;
    while line_start < cap {
        let Some(nl) = memchr::memchr(b'\n', &buf[line_start..cap]).map(|p| line_start + p) else {
            if to_end {
                let line = body(&buf[line_start..cap], pre);
                if end_line(line) {
                    return closed(cap);
                }
                if reading.line(line) {
                    return Extent {
                        end: cap,
                        open: Some(Resume::Lines(reading)),
                    };
                }
            }
            return closed(block_end);
        };
        let line = body(&buf[line_start..nl], pre);
        if end_line(line) {
            return closed(nl);
        }
        if !reading.line(line) {
            return closed(block_end);
        }
        block_end = nl;
        line_start = nl + 1;
    }
    Extent {
        end: block_end,
        open: (to_end && line_start == cap).then_some(Resume::Lines(reading)),
    }
}

/// How a record after the one that left a block open carries it on (see [`carry_on`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Carry {
    /// `text[..len]` are lines of the block (the newline after the last is not included).
    pub len: usize,
    /// The block goes on past the text (no END line, no other line ended it).
    pub open: bool,
}

/// A record's text (a decoded JSON string) after a record that left a block open, as
/// `resume` says (updated): see [`carry_lines`] and [`carry_inline`].
pub fn carry_on(text: &[u8], pre: &[u8], resume: &mut Resume) -> Option<Carry> {
    match resume {
        Resume::Lines(reading) => carry_lines(text, pre, reading),
        Resume::Inline => carry_inline(text),
    }
}

/// A record that goes on with a one-line block: its key material (as on a BEGIN line) up to
/// and including an END marker. Still open when the material runs to the text's end.
fn carry_inline(text: &[u8]) -> Option<Carry> {
    let line_cap = text.len().min(ONE_LINE_MAX);
    let line_cap = memchr::memchr(b'\n', &text[..line_cap]).unwrap_or(line_cap);
    let mut i = 0;
    while i < line_cap && inline_header_or_material(&text[..line_cap], i) {
        i += 1;
    }
    if text[i..line_cap].starts_with(END) {
        let from = i + END.len();
        let len = match memchr::memmem::find(&text[from..line_cap], b"-----") {
            Some(p) => from + p + 5,
            None => line_cap,
        };
        return Some(Carry { len, open: false });
    }
    (i > 0).then_some(Carry {
        len: i,
        open: i == text.len(),
    })
}

/// A record that goes on with a block's lines: its lines of key material, read after a
/// prefix of the shape of `pre` (the BEGIN line's), up to and including an END line.
/// `None` when its first line is neither (the block ended with the record before). A
/// newline that ends the text ends its last line. `reading` is where the block's lines
/// are, updated.
fn carry_lines(text: &[u8], pre: &[u8], reading: &mut Reading) -> Option<Carry> {
    let body_end = text.strip_suffix(b"\n").map_or(text.len(), <[u8]>::len);
    let mut len = None;
    let mut s = 0;
    while s <= body_end {
        let e = memchr::memchr(b'\n', &text[s..body_end]).map_or(body_end, |p| s + p);
        let line = body(&text[s..e], pre);
        if end_line(line) {
            return Some(Carry {
                len: e,
                open: false,
            });
        }
        if !reading.line(line) {
            return len.map(|len| Carry { len, open: false });
        }
        len = Some(e);
        s = e + 1;
    }
    len.map(|len| Carry { len, open: true })
}

/// Where the batch `buf[from..]` should be cut so that a block is not split: the start of
/// the first line of a private key block that every line after it continues (key material,
/// no END line). A BEGIN marker inside an armour header of a block (`Comment: -----BEGIN
/// CERTIFICATE-----`) is a line of that block, not its start.
pub fn open_block_start(buf: &[u8], from: usize) -> Option<usize> {
    // A forward scan is several times faster than a reverse one, and blocks are rare: every
    // block's BEGIN line holds `PRIVATE KEY` (a JSON string's too, escapes aside), and
    // markers of other blocks (certificates in every line's fields) need no look.
    memchr::memmem::find(&buf[from..], b"PRIVATE")?;
    let mut found = None;
    // Lines from `checked` to the end are known to continue a block.
    let mut checked = buf.len();
    let mut hi = buf.len();
    // Bytes the looks past markers have read (see [`look_past`]).
    let mut looked = 0;
    while let Some(p) = memchr::memmem::rfind(&buf[from..hi], BEGIN) {
        let begin = from + p;
        let line_start = memchr::memrchr(b'\n', &buf[from..begin]).map_or(from, |p| from + p + 1);
        let first_nl = begin + memchr::memchr(b'\n', &buf[begin..checked.max(begin)])?;
        // A JSON record's string that the records after it carry on. An earlier block may
        // go on over this record too (a key line's record with a marker in its fields:
        // `msg=\"MIIE…\" prev=\"-----BEGIN …-----\"`): looked past, as far as a block over
        // records reaches the end from.
        let mut read = first_nl - line_start;
        if crate::carry::open_in_json_line(buf, begin, first_nl, checked, &mut read) {
            found = Some(line_start);
            if !look_past(
                &mut looked,
                read,
                buf.len() - first_nl,
                crate::carry::MAX_JSON_BLOCK,
            ) {
                return found;
            }
            hi = line_start;
            continue;
        }
        // A marker on a line that is no key material may lie in the fields after a block
        // line's value (`msg="MIIE…" cert="-----BEGIN CERTIFICATE-----"`): an earlier block
        // may go on over its line, read with that block's own prefix.
        let in_fields = !material(&buf[line_start..first_nl], &mut true);
        let pre = line_prefix(buf, begin);
        let mut s = first_nl + 1;
        let mut headers = true;
        let mut open = true;
        let mut last = first_nl;
        while s < checked {
            let e = memchr::memchr(b'\n', &buf[s..checked]).map_or(checked, |p| s + p);
            last = e;
            let line = body(&buf[s..e], pre);
            if end_line(line) || !material(line, &mut headers) {
                open = false;
                break;
            }
            s = e + 1;
        }
        read += last - first_nl;
        let marker = &buf[begin..first_nl];
        if open
            && memchr::memmem::find(marker, b"PRIVATE KEY").is_some()
            && memchr::memmem::find(marker, END).is_none()
        {
            found = Some(line_start);
        }
        hi = line_start;
        match (open, in_fields) {
            // An earlier block that goes on over this line goes on to the end.
            (true, false) => checked = line_start,
            (false, false) => return found,
            // Looked past (each look may read to the end again), as far as a block can
            // reach the end from. Of a line's other markers only its first can start the block
            // (`msg="-----BEGIN …-----" … m="-----BEGIN …-----"`: a marker in the fields has
            // the value before it in its prefix, which no later line repeats).
            (_, true) => {
                if !look_past(&mut looked, read, buf.len() - first_nl, MAX_BLOCK) {
                    return found;
                }
                checked = buf.len();
                if let Some(first) = memchr::memmem::find(&buf[line_start..begin], BEGIN) {
                    hi = line_start + first + BEGIN.len();
                }
            }
        }
    }
    found
}

/// How many bytes [`open_block_start`]'s looks past markers read in all, at most. A look
/// past a marker in the fields of a block's line reads that line and the next (the next
/// has no prefix of the marker's shape), so a block of lines that each carry one is looked
/// past in time linear in its length; the bound only stops inputs built so that every look
/// reads to the end (each line of the shape of every earlier marker's prefix).
const LOOK_BUDGET: usize = 8 * MAX_BLOCK;

/// May [`open_block_start`] look past one more marker, `to_end` bytes from the end after
/// its line, for a block that reaches at most `reach` bytes past its BEGIN line, its
/// look having read `read` bytes? Adds them to `looked`.
fn look_past(looked: &mut usize, read: usize, to_end: usize, reach: usize) -> bool {
    *looked += read;
    *looked <= LOOK_BUDGET && to_end <= reach + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"x\n-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcN\nKUpRKfFLfRYC9AIKjbJT==\n-----END RSA PRIVATE KEY-----\nafter\n";

    #[test]
    fn extends_to_the_end_line() {
        let s = 2;
        let e = 2 + 31;
        let end = extend(KEY, s, e, KEY.len(), false).end;
        assert!(KEY[..end].ends_with(b"KEY-----"));
        assert_eq!(KEY[end], b'\n');
        // Truncated: the block ends with its last material line.
        let cut = b"-----BEGIN EC PRIVATE KEY-----\nAAAAAAAAAAAAAAAA\nBBBB\nnot key material\n";
        assert_eq!(extend(cut, 0, 30, cut.len(), false).end, 52);
        // CRLF lines, and blanks after the marker.
        let crlf = b"-----BEGIN EC PRIVATE KEY-----\r\nAAAA\r\n-----END EC PRIVATE KEY-----\r\nx";
        assert_eq!(extend(crlf, 0, 30, crlf.len(), false).end, 67);
        let blanks =
            b"-----BEGIN EC PRIVATE KEY-----  \t\nAAAAAAAAAAAAAAAA\nBBBB\nnot key material\n";
        assert_eq!(extend(blanks, 0, 30, blanks.len(), false).end, 55);
        // Indented under a YAML key: material and END line indented alike.
        let yaml = b"key: |\n  -----BEGIN EC PRIVATE KEY-----\n  AAAAAAAAAAAAAAAA\n\tBBBB\n  -----END EC PRIVATE KEY-----\nx: 1\n";
        assert_eq!(extend(yaml, 9, 39, yaml.len(), false).end, 95);
        // A last line without a newline: part of the block only when the text is whole.
        let cut = b"-----BEGIN EC PRIVATE KEY-----\nAAAAAAAAAAAAAAAA\nBBBB";
        assert_eq!(extend(cut, 0, 30, cut.len(), false).end, 47);
        assert_eq!(extend(cut, 0, 30, cut.len(), true).end, 52);
        // A line of base64 shorter than the ones before is the last: after it only a
        // checksum, blank lines and the END line (one-word log lines after a BEGIN line
        // with no END line are not all key material).
        let ok = b"-----BEGIN EC PRIVATE KEY-----\nOK\nOK\nOK\n";
        assert_eq!(extend(ok, 0, 30, ok.len(), false).end, 33);
        let pgp = b"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nAAAAAAAAAAAAAAAA\nBBBB\n\n=AbCd\n-----END PGP PRIVATE KEY BLOCK-----\nx\n";
        assert_eq!(
            &pgp[extend(pgp, 0, 37, pgp.len(), false).end - 6..][..7],
            b"K-----\n"
        );
    }

    #[test]
    fn lines_with_a_log_prefix_of_the_begin_lines_shape() {
        // A container runtime's timestamp (its fraction trimmed to other widths) and stream.
        let cri = b"2026-12-06T10:00:00.5Z stdout F -----BEGIN EC PRIVATE KEY-----\n2026-12-06T10:00:00.123Z stdout F AAAA\n2026-12-06T10:00:01Z stdout F -----END EC PRIVATE KEY-----\nx\n";
        assert_eq!(line_prefix(cri, 32), b"2026-12-06T10:00:00.5Z stdout F ");
        let end = extend(cri, 32, 62, cri.len(), false).end;
        assert_eq!(&cri[end - 8..=end], b"KEY-----\n");
        // syslog: the key lines end the block at the first line that is not material.
        let sys = b"Dec  6 10:00:00 host app[123]: -----BEGIN RSA PRIVATE KEY-----\nDec  6 10:00:00 host app[123]: AAAA\nDec  6 10:00:01 host app[123]: started ok\n";
        assert_eq!(extend(sys, 31, 62, sys.len(), false).end, 98);
        // Another shape (other stream, other tag) is no line of the block.
        let other = b"2026-12-06T10:00:00Z stdout F -----BEGIN EC PRIVATE KEY-----\n2026-12-06T10:00:00Z stderr F AAAA\n";
        assert_eq!(extend(other, 30, 60, other.len(), false).end, 60);
        // No prefix: a bare marker, an indent, a word glued to the marker.
        assert_eq!(line_prefix(b"-----BEGIN X", 0), b"");
        assert_eq!(line_prefix(b"  -----BEGIN X", 2), b"");
        assert_eq!(line_prefix(b"ab-----BEGIN X", 2), b"");
        // Digit runs stand for digit runs only.
        assert_eq!(prefixed(b"10:5 x", b"1:23 "), Some(5));
        assert_eq!(prefixed(b"a:5 x", b"1:23 "), None);
        assert_eq!(prefixed(b"01Z x", b"00.5Z "), Some(4));
        assert_eq!(prefixed(b"01.25Z x", b"00Z "), Some(7));
        assert_eq!(
            prefixed(b"Dec 10 00:00:00 h a[100]: x", b"Dec  9 23:59:59 h a[99]: "),
            Some(26)
        );
        // A runtime's partial-line tag for its full-line tag, only as a tag.
        assert_eq!(prefixed(b"1Z stdout P x", b"0Z stdout F "), Some(12));
        assert_eq!(prefixed(b"1Z Pipe x", b"0Z Fipe "), None);
        // A quoted message's closing quote is not part of a line's body.
        assert_eq!(body(b"t=1 msg=\"AAAA\"\r", b"t=0 msg=\""), b"AAAA");
        assert_eq!(body(b"AAAA\"", b"t=0 msg=\""), b"AAAA\"");
        // The open block of a batch end, prefixed.
        assert_eq!(open_block_start(&cri[..100], 0), Some(0));
        assert_eq!(open_block_start(cri, 0), None);
    }

    #[test]
    fn the_one_line_form_stays_on_its_line() {
        // No closing `-----` on the END marker's line: the block ends with that line and the
        // next line's dashes are not taken for it.
        let buf = b"-----BEGIN PRIVATE KEY-----AAAA-----END x\nnext -----\n";
        assert_eq!(extend(buf, 0, 27, buf.len(), false).end, 41);
        let buf = b"-----BEGIN PRIVATE KEY-----AAAA-----END PRIVATE KEY----- tail\n";
        assert_eq!(extend(buf, 0, 27, buf.len(), false).end, 56);
    }

    #[test]
    fn open_blocks_are_kept_together() {
        assert_eq!(open_block_start(&KEY[..60], 0), Some(2));
        assert_eq!(open_block_start(KEY, 0), None);
        assert_eq!(
            open_block_start(b"-----BEGIN CERTIFICATE-----\nAAAA\n", 0),
            None
        );
        // A marker in an armour header is a line of the open block.
        let b = b"x\n-----BEGIN PGP PRIVATE KEY BLOCK-----\nComment: -----BEGIN CERTIFICATE-----\nAAAA\n";
        assert_eq!(open_block_start(b, 0), Some(2));
        let b = b"x\n-----BEGIN PGP PRIVATE KEY BLOCK-----\nComment: -----BEGIN RSA PRIVATE KEY-----\nAAAA\n";
        assert_eq!(open_block_start(b, 0), Some(2));
        // A closed block before an open one.
        let b = b"-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n-----BEGIN EC PRIVATE KEY-----\nBB\n";
        assert_eq!(open_block_start(b, 0), Some(65));
        assert_eq!(open_block_start(&b[..60], 0), None);
    }
}
