//! The text around escaped separators, read with each escape as one blank.
//!
//! A separator written as an escape (`\n`, `%20`, `\u0022`, `#011`, `ESC[33m`, see
//! [`crate::escape`]) ends in a letter or a digit, so to the patterns it glues what follows
//! to a word, and what the patterns read between a cue and its value, or inside a number,
//! is no blank: `no rek\n1234567890`, `password%3Dhunter2xyz`, `0812%203456%207890` went
//! out raw. An [`EscapeView`] holds a copy of a region of the text around escapes in which
//! each escape (with any backslashes before it, `\\n` in doubly escaped text) is one blank,
//! and where each of its bytes came from. The redactor searches it as well as the text and
//! redacts the union (see `Redactor::next_detection`), so a view only adds findings: a
//! token that holds escape-shaped bytes (`secret=ab%2Fcd`) is still found whole in the text.
//!
//! A region is the line of its escapes, or at most [`SPAN`] bytes of it on each side of
//! them, cut at a blank (or at the end of a token that runs past that, up to the longest
//! match: a JWT right after an escape). Text without escapes costs one memchr scan for
//! their first bytes.

use crate::engine::{Cache, Engine, ScanCounters};
use crate::finding::Finding;
use crate::kv::is_blank;

/// Bytes of a line a region keeps before its first escape and after its last one.
pub(crate) const SPAN: usize = 512;

/// A region of a searched buffer with its escapes read as blanks, and the search cache of
/// that copy.
pub(crate) struct EscapeView {
    /// The buffer (address, length) the region and `clear` are of.
    key: (usize, usize),
    /// The region: `buf[start..end]`.
    start: usize,
    end: usize,
    /// The region is the first that ends after any point in `valid..end`.
    valid: usize,
    /// No escape starts in `buf[clear.0..clear.1]`.
    clear: (usize, usize),
    /// The region with each escape as one blank.
    bytes: Vec<u8>,
    /// Where in the buffer each byte of `bytes` starts, then `end`.
    map: Vec<usize>,
    cache: Cache,
    /// The longest match: how far a region reaches on past its span to a token's end.
    token_max: usize,
}

/// Rejections in a view are not counted: the text's own search counts its candidates.
pub(crate) struct Uncounted;

impl ScanCounters for Uncounted {
    fn rejected(&mut self, _: usize) {}
}

impl EscapeView {
    /// A view searched with `cache`, of an engine whose longest match is `token_max`.
    pub(crate) fn new(cache: Cache, token_max: usize) -> Self {
        let mut view = EscapeView {
            key: (0, 0),
            start: 0,
            end: 0,
            valid: 0,
            clear: (0, 0),
            bytes: Vec::new(),
            map: Vec::new(),
            cache,
            token_max,
        };
        view.reset();
        view
    }

    /// Forget the region: the next search may be of a different text at the same address.
    pub(crate) fn reset(&mut self) {
        self.key = (0, 0);
        self.start = 0;
        self.end = 0;
        self.valid = usize::MAX;
        self.clear = (0, 0);
    }

    /// The first finding in the view whose match starts in `buf[from..limit]` (in `buf`'s
    /// positions), over the regions from `from` on. `keep` says which findings count (the
    /// others are passed over).
    pub(crate) fn next_finding(
        &mut self,
        engine: &Engine,
        buf: &[u8],
        mut from: usize,
        limit: usize,
        mut keep: impl FnMut(&Finding) -> bool,
    ) -> Option<Finding> {
        let limit = limit.min(buf.len());
        while from < limit && self.cover(buf, from, limit) {
            let mut at = self.to_view(from.max(self.start));
            let to = self.to_view(limit.min(self.end));
            while let Some(f) =
                engine.next_finding(&mut self.cache, &self.bytes, at, to, &mut Uncounted)
            {
                let found = self.in_text(&f);
                if keep(&found) {
                    return Some(found);
                }
                at = f.span.end.max(at + 1);
            }
            from = self.end;
        }
        None
    }

    /// The furthest end of the view's findings whose span overlaps `span` of `buf`,
    /// whatever their match starts at (a cue before `span.start`), in the region that
    /// holds `span.start`. `keep` as for [`EscapeView::next_finding`].
    pub(crate) fn reach_over(
        &mut self,
        engine: &Engine,
        buf: &[u8],
        span: &std::ops::Range<usize>,
        mut keep: impl FnMut(&Finding) -> bool,
    ) -> Option<usize> {
        if span.start >= span.end || !self.cover(buf, span.start, span.end) {
            return None;
        }
        // A match that reaches `span` starts at most the longest match before it.
        let mut at = self.to_view(span.start.saturating_sub(self.token_max).max(self.start));
        let to = self.to_view(span.end.min(self.end));
        let mut reach = None;
        while let Some(f) =
            engine.next_finding(&mut self.cache, &self.bytes, at, to, &mut Uncounted)
        {
            let found = self.in_text(&f);
            if found.span.start < span.end && found.span.end > span.start && keep(&found) {
                reach = reach.max(Some(found.span.end));
            }
            // On from its value's start, then past it: a match that starts there may run
            // further (a card where an OTP cue's value ended).
            at = if f.span.start > at {
                f.span.start
            } else {
                f.span.end.max(at + 1)
            };
        }
        reach
    }

    /// Does a region overlap `span` of `buf`?
    pub(crate) fn overlaps(&mut self, buf: &[u8], span: &std::ops::Range<usize>) -> bool {
        self.cover(buf, span.start, span.end)
    }

    /// Where the escape of the region that `buf` position `p` is inside (after its first
    /// byte) ends.
    pub(crate) fn escape_end(&mut self, buf: &[u8], p: usize) -> Option<usize> {
        if p >= buf.len() || !self.cover(buf, p, p + 1) || p <= self.start {
            return None;
        }
        let i = self.to_view(p);
        // `map[i]` is the first start at or after `p`: past it when `p` is inside byte `i - 1`.
        (i > 0 && self.map[i] > p).then_some(self.map[i])
    }

    /// A finding of the view in `buf`'s positions.
    fn in_text(&self, f: &Finding) -> Finding {
        Finding {
            detector: f.detector,
            span: self.map[f.span.start]..self.map[f.span.end],
        }
    }

    /// The view index of the first byte that starts at or after `buf` position `p`.
    fn to_view(&self, p: usize) -> usize {
        let n = self.bytes.len();
        self.map[..n].partition_point(|&r| r < p)
    }

    /// Make the view hold the first region of `buf` that ends after `at`. Returns whether
    /// there is one that starts before `limit`.
    fn cover(&mut self, buf: &[u8], at: usize, limit: usize) -> bool {
        let key = (buf.as_ptr() as usize, buf.len());
        if self.key != key {
            self.reset();
            self.key = key;
        }
        if self.valid <= at && at < self.end {
            return self.start < limit;
        }
        // A region ends at most SPAN and a token past its last escape, and starts as far
        // before its first: none matters without an escape in reach (most calls end here).
        let far = SPAN + self.token_max;
        let (c0, c1) = self.clear;
        if c0 <= at.saturating_sub(far) && limit.saturating_add(far).min(buf.len()) <= c1 {
            return false;
        }
        // A region is of one line: the first one that ends after `at` has an escape at or
        // after `lo`.
        let lo = at.saturating_sub(far);
        let lo = memchr::memrchr(b'\n', &buf[lo..at.min(buf.len())]).map_or(lo, |p| lo + p + 1);
        loop {
            if self.valid <= at && at < self.end {
                return self.start < limit;
            }
            // On after the region when it is the first that ends after a point before `at`
            // (no region ends between), else from `lo`.
            let on = self.valid <= at;
            let from = if on { self.end.max(lo) } else { lo };
            // A region starts at most SPAN and a token before its first escape, in its line.
            let bound = limit.saturating_add(far).min(buf.len());
            let bound = match limit.checked_sub(1).filter(|&l| l < bound) {
                Some(l) => memchr::memchr(b'\n', &buf[l..bound]).map_or(bound, |p| l + p),
                None => bound,
            };
            let (c0, c1) = self.clear;
            if from >= bound || (c0 <= from && bound <= c1) {
                return false;
            }
            let scan_from = if (c0..=c1).contains(&from) { c1 } else { from };
            let Some(e) = crate::escape::next(buf, scan_from, bound) else {
                // A line break ends no escape.
                self.clear = (from, bound + usize::from(buf.get(bound) == Some(&b'\n')));
                return false;
            };
            self.clear = (from, e);
            self.valid = if on && from == self.end { self.end } else { at };
            self.build(buf, e);
        }
    }

    /// Make the region of the escape at `e` (and of those after it within reach).
    fn build(&mut self, buf: &[u8], e: usize) {
        let line_start = memchr::memrchr(b'\n', &buf[..e]).map_or(0, |p| p + 1);
        let line_end = memchr::memchr(b'\n', &buf[e..]).map_or(buf.len(), |p| e + p);
        let start = if e - line_start <= SPAN {
            line_start
        } else {
            // After the first blank past the reach, so that no word (or grouped number) is
            // cut; without one, from the start of the token the escape is in (as far back as
            // a match may be long).
            let lo = e - SPAN;
            match gap(buf, lo..e, false) {
                Some(b) => b + 1,
                None => {
                    let back = lo.saturating_sub(self.token_max).max(line_start);
                    gap(buf, back..lo, true).map_or(back, |b| b + 1)
                }
            }
        };
        self.bytes.clear();
        self.map.clear();
        let mut p = start;
        let mut reach = line_end.min(e.saturating_add(SPAN));
        while let Some((q, (len, byte))) = crate::escape::next_read(buf, p, reach) {
            // Backslashes before a backslash escape are its own (`\\n` escaped once more).
            let mut s = q;
            if buf[q] == b'\\' {
                while s > p && buf[s - 1] == b'\\' {
                    s -= 1;
                }
            }
            self.copy(buf, p, s);
            match byte {
                // A run of escapes is one blank (`%0D%0A`, `\r\n`, `\n\t`, `%20` + a no-break
                // space), and so is an escape next to a blank (`no rek \u00a0123…`).
                b' ' if self.bytes.last().is_some_and(|&l| is_blank(l)) => {
                    // Blanks before it too (`4526  \u{a0}0181`, `4526\t%200181`): one space is
                    // kept.
                    while self.bytes.len() >= 2 && is_blank(self.bytes[self.bytes.len() - 2]) {
                        self.bytes.pop();
                        self.map.pop();
                    }
                    if let Some(last) = self.bytes.last_mut() {
                        *last = b' ';
                    }
                }
                b => {
                    self.bytes.push(b);
                    self.map.push(s);
                }
            }
            p = q + len;
            // Blanks right after a blank the view wrote are part of it.
            if byte == b' ' {
                while p < line_end && is_blank(buf[p]) {
                    p += 1;
                }
            }
            reach = line_end.min(p.saturating_add(SPAN));
        }
        // Before the last blank within reach, so that no word (or grouped number) is cut;
        // without one, to the end of the token the reach is in (as far as a match may be
        // long: a JWT right after an escape).
        let end = if reach >= line_end || p >= reach {
            reach.max(p)
        } else {
            match gap(buf, p..reach, true) {
                Some(b) => b,
                None => {
                    let far = reach.saturating_add(self.token_max).min(line_end);
                    gap(buf, reach..far, false).unwrap_or(far)
                }
            }
        };
        self.copy(buf, p, end);
        self.map.push(end);
        self.start = start;
        self.end = end;
        self.cache.reset();
    }

    fn copy(&mut self, buf: &[u8], from: usize, to: usize) {
        if from >= to {
            return;
        }
        self.bytes.extend_from_slice(&buf[from..to]);
        self.map.extend(from..to);
    }
}

/// The first (or with `last`, the last) blank in `buf[range]` that is no separator inside a
/// number (a digit on each side: `4526 0181`): where a region may end or begin.
fn gap(buf: &[u8], range: std::ops::Range<usize>, last: bool) -> Option<usize> {
    let inside_number = |i: usize| {
        i > 0 && buf[i - 1].is_ascii_digit() && buf.get(i + 1).is_some_and(u8::is_ascii_digit)
    };
    let mut blanks =
        memchr::memchr2_iter(b' ', b'\t', &buf[range.clone()]).map(|b| range.start + b);
    match last {
        true => blanks.rev().find(|&i| !inside_number(i)),
        false => blanks.find(|&i| !inside_number(i)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> &'static Engine {
        static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
        ENGINE.get_or_init(|| Engine::new(&crate::detector::builtin_specs().unwrap()).unwrap())
    }

    fn view() -> EscapeView {
        EscapeView::new(engine().cache_factory()(), engine().overlap())
    }

    /// The region's text, and each of its bytes' source as text.
    fn region(v: &EscapeView, buf: &[u8]) -> (String, Vec<String>) {
        let text = String::from_utf8_lossy(&v.bytes).into_owned();
        let from: Vec<String> = (0..v.bytes.len())
            .map(|i| String::from_utf8_lossy(&buf[v.map[i]..v.map[i + 1]]).into_owned())
            .collect();
        (text, from)
    }

    #[test]
    fn each_escape_and_each_run_of_them_is_one_blank() {
        let buf = b"x\nno rek\\n123 a%0D%0Ab \\\\n c\x1b[1;33md #011e\ny";
        let mut v = view();
        assert!(v.cover(buf, 0, buf.len()));
        let (text, from) = region(&v, buf);
        // An escape next to a blank is part of it, with the blanks after it.
        assert_eq!(text, "no rek 123 a b c d e");
        assert_eq!((v.start, v.end), (2, buf.len() - 2));
        assert_eq!(from[6], "\\n");
        assert_eq!(from[12], "%0D%0A");
        assert_eq!(from[14], " \\\\n ");
        assert_eq!(from[16], "\x1b[1;33m");
        assert_eq!(from[18], " #011");
        // Inside an escape (after its first byte) only.
        assert_eq!(v.escape_end(buf, 8), None);
        assert_eq!(v.escape_end(buf, 9), Some(10));
        assert_eq!(v.escape_end(buf, 10), None);
        assert_eq!(v.escape_end(buf, 3), None);
    }

    #[test]
    fn look_alikes_read_as_the_ascii_they_stand_for() {
        let buf =
            "kartu 4526\u{a0}0181 \u{a0}5908\u{202f}3012 hp ０８１２\u{2013}3456\u{200b}7890 “x” …";
        let buf = buf.as_bytes();
        let mut v = view();
        assert!(v.cover(buf, 0, buf.len()));
        let (text, from) = region(&v, buf);
        assert_eq!(text, "kartu 4526 0181 5908 3012 hp 0812-3456 7890 “x” …");
        assert_eq!(from[10], "\u{a0}");
        assert_eq!(from[15], " \u{a0}");
        assert_eq!(from[29], "０");
        // A zero-width space is read as a blank.
        assert_eq!(from[38], "\u{200b}");
        let first = v.next_finding(engine(), buf, 0, buf.len(), |_| true);
        let cards = "kartu ".len().."kartu 4526\u{a0}0181 \u{a0}5908\u{202f}3012".len();
        assert_eq!(first.map(|f| f.span), Some(cards));
    }

    #[test]
    fn a_region_is_of_one_line_and_keeps_its_reach_cut_at_blanks() {
        let words = "abc ".repeat(300);
        let line = format!("{words}x%20y {words}");
        let buf = format!("a\\nb\n{line}\nz\\tq").into_bytes();
        let e = 5 + words.len() + 1;
        let mut v = view();
        // The first line's region ends at its line end.
        assert!(v.cover(&buf, 0, buf.len()));
        assert_eq!((v.start, v.end), (0, 4));
        // The long line's: whole words within SPAN of its escape.
        assert!(v.cover(&buf, 4, buf.len()));
        assert_eq!(buf[v.start - 1], b' ');
        assert!(e - v.start <= SPAN && e - v.start > SPAN - 4);
        assert_eq!(buf[v.end], b' ');
        assert!(v.end - (e + 3) <= SPAN && v.end - (e + 3) > SPAN - 4);
        // No region reaches a position between them; the next one is the last line's.
        let after = v.end + 10;
        assert!(v.cover(&buf, after, buf.len()));
        assert_eq!(v.start, buf.len() - 4);
        // Asked again from before (a search from an earlier point), the first one again.
        assert!(v.cover(&buf, 1, buf.len()));
        assert_eq!((v.start, v.end), (0, 4));
        // None that starts before a limit.
        let mut v = view();
        assert!(!v.cover(&buf, 6, 200));
    }

    #[test]
    fn text_without_escapes_has_no_region() {
        let buf = b"GET /a?q=%40x&b=%2B62 \\\"quoted\\\" #411 [33m";
        let mut v = view();
        assert!(!v.cover(buf, 0, buf.len()));
        assert!(!v.cover(buf, 10, buf.len()));
        assert_eq!(v.next_finding(engine(), buf, 0, buf.len(), |_| true), None);
    }

    #[test]
    fn findings_are_told_in_the_texts_positions() {
        let buf = b"ok\nto=0812%203456%207890 and no rek\\t1234567890\n";
        let mut v = view();
        let mut found = Vec::new();
        let mut at = 0;
        while let Some(f) = v.next_finding(engine(), buf, at, buf.len(), |_| true) {
            found.push(String::from_utf8_lossy(&buf[f.span.clone()]).into_owned());
            at = f.span.end;
        }
        assert_eq!(found, ["0812%203456%207890", "1234567890"]);
        // A finding the caller does not keep is passed over.
        let f = v.next_finding(engine(), buf, 0, buf.len(), |f| f.span.start > 20);
        assert_eq!(f.map(|f| f.span), Some(37..47));
    }
}
