//! Multi-line key blocks (PEM / OpenSSH / PGP armour): a `-----BEGIN … PRIVATE KEY-----`
//! line is followed by lines of key material up to an `-----END …-----` line. Detectors
//! match one line at most; a detector marked `pem_block` has its finding carried over the
//! block's following lines here, and the stream keeps a block inside one batch.

/// The most key material a block holds (from the line after its BEGIN line, so that the
/// bound does not depend on what precedes the marker on its line); lines past it are not
/// part of the block.
pub const MAX_BLOCK: usize = 64 << 10;

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";

/// Is this line (without its newline) key material: base64, an armour header
/// (`Proc-Type: 4,ENCRYPTED`, `Comment: …`) or blank? `headers` is true while the block
/// is in its header section (right after the BEGIN line, before a blank or base64 line):
/// there any `Name: value` line is a header (`Created: 2024`, RFC 1421's `Originator-…`);
/// after it only the known names are (a bare BEGIN marker does not take the log lines
/// after it: `GET: /index.html` once the key has started).
fn material(line: &[u8], headers: &mut bool) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let line = blanks_off_end(indent_off(line));
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
        None => line,
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
    indent_off(line).starts_with(END)
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

/// A finding `start..end` of a block detector is its BEGIN marker: return the end of the
/// block. On the same line, key material runs on to an END marker (the one-line form);
/// when the line ends right after the marker, the block goes on over the following lines
/// of key material to the END line, never past `limit` or [`MAX_BLOCK`] of material. The
/// newline after the returned end is not included.
///
/// `complete`: `buf` ends where its text ends (a decoded JSON string), so a last line of
/// key material without a newline after it is part of the block (a truncated field).
pub fn extend(buf: &[u8], start: usize, end: usize, limit: usize, complete: bool) -> usize {
    // The one-line form never reaches past its own line.
    let line_cap = buf.len().min(start + ONE_LINE_MAX).max(end);
    let line_cap = memchr::memchr(b'\n', &buf[end..line_cap]).map_or(line_cap, |p| end + p);
    let mut i = end;
    while i < line_cap && inline_material(buf[i]) {
        i += 1;
    }
    if buf[i..line_cap].starts_with(END) {
        // The END marker closes with "-----" on the same line.
        let from = i + END.len();
        return match memchr::memmem::find(&buf[from..line_cap], b"-----") {
            Some(p) => from + p + 5,
            None => line_cap,
        };
    }
    // The BEGIN line's newline (after a `\r` in a CRLF file).
    let nl = i + usize::from(buf.get(i) == Some(&b'\r'));
    if buf.get(nl) != Some(&b'\n') || !blanks_off_end(&buf[end..i]).is_empty() {
        // One-line form cut short (a truncated field): the material seen so far.
        return i;
    }
    let cap = limit.min(buf.len()).min(nl + 1 + MAX_BLOCK);
    let mut block_end = end;
    let mut headers = true;
    let mut line_start = nl + 1;
    while line_start < cap {
        let Some(nl) = memchr::memchr(b'\n', &buf[line_start..cap]).map(|p| line_start + p) else {
            if complete && cap == buf.len() {
                let line = &buf[line_start..cap];
                if end_line(line) || material(line, &mut headers) {
                    block_end = cap;
                }
            }
            break;
        };
        let line = &buf[line_start..nl];
        if end_line(line) {
            return nl;
        }
        if !material(line, &mut headers) {
            break;
        }
        block_end = nl;
        line_start = nl + 1;
    }
    block_end
}

/// Where the batch `buf[from..]` should be cut so that a block is not split: the start of
/// the first line of a private key block that every line after it continues (key material,
/// no END line). A BEGIN marker inside an armour header of a block (`Comment: -----BEGIN
/// CERTIFICATE-----`) is a line of that block, not its start.
pub fn open_block_start(buf: &[u8], from: usize) -> Option<usize> {
    // A forward scan is several times faster than a reverse one, and blocks are rare.
    memchr::memmem::find(&buf[from..], BEGIN)?;
    let mut found = None;
    // Lines from `checked` to the end are known to continue a block.
    let mut checked = buf.len();
    let mut hi = buf.len();
    while let Some(p) = memchr::memmem::rfind(&buf[from..hi], BEGIN) {
        let begin = from + p;
        let line_start = memchr::memrchr(b'\n', &buf[from..begin]).map_or(from, |p| from + p + 1);
        let first_nl = begin + memchr::memchr(b'\n', &buf[begin..checked.max(begin)])?;
        let mut s = first_nl + 1;
        let mut headers = true;
        while s < checked {
            let e = memchr::memchr(b'\n', &buf[s..checked]).map_or(checked, |p| s + p);
            let line = &buf[s..e];
            if end_line(line) || !material(line, &mut headers) {
                return found;
            }
            s = e + 1;
        }
        let marker = &buf[begin..first_nl];
        if memchr::memmem::find(marker, b"PRIVATE KEY").is_some()
            && memchr::memmem::find(marker, END).is_none()
        {
            found = Some(line_start);
        }
        // An earlier block goes on over this line only if it is key material itself.
        if !material(&buf[line_start..first_nl], &mut true) {
            return found;
        }
        checked = line_start;
        hi = line_start;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"x\n-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcN\nKUpRKfFLfRYC9AIKjbJT==\n-----END RSA PRIVATE KEY-----\nafter\n";

    #[test]
    fn extends_to_the_end_line() {
        let s = 2;
        let e = 2 + 31;
        let end = extend(KEY, s, e, KEY.len(), false);
        assert!(KEY[..end].ends_with(b"KEY-----"));
        assert_eq!(KEY[end], b'\n');
        // Truncated: the block ends with its last material line.
        let cut = b"-----BEGIN EC PRIVATE KEY-----\nAAAA\nBBBB\nnot key material\n";
        assert_eq!(extend(cut, 0, 30, cut.len(), false), 40);
        // CRLF lines, and blanks after the marker.
        let crlf = b"-----BEGIN EC PRIVATE KEY-----\r\nAAAA\r\n-----END EC PRIVATE KEY-----\r\nx";
        assert_eq!(extend(crlf, 0, 30, crlf.len(), false), 67);
        let blanks = b"-----BEGIN EC PRIVATE KEY-----  \t\nAAAA\nBBBB\nnot key material\n";
        assert_eq!(extend(blanks, 0, 30, blanks.len(), false), 43);
        // Indented under a YAML key: material and END line indented alike.
        let yaml = b"key: |\n  -----BEGIN EC PRIVATE KEY-----\n  AAAA\n\tBBBB\n  -----END EC PRIVATE KEY-----\nx: 1\n";
        assert_eq!(extend(yaml, 9, 39, yaml.len(), false), 83);
        // A last line without a newline: part of the block only when the text is whole.
        let cut = b"-----BEGIN EC PRIVATE KEY-----\nAAAA\nBBBB";
        assert_eq!(extend(cut, 0, 30, cut.len(), false), 35);
        assert_eq!(extend(cut, 0, 30, cut.len(), true), 40);
    }

    #[test]
    fn the_one_line_form_stays_on_its_line() {
        // No closing `-----` on the END marker's line: the block ends with that line and the
        // next line's dashes are not taken for it.
        let buf = b"-----BEGIN PRIVATE KEY-----AAAA-----END x\nnext -----\n";
        assert_eq!(extend(buf, 0, 27, buf.len(), false), 41);
        let buf = b"-----BEGIN PRIVATE KEY-----AAAA-----END PRIVATE KEY----- tail\n";
        assert_eq!(extend(buf, 0, 27, buf.len(), false), 56);
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
