//! Records redacted one at a time, in order, where a record may be one line of a program's
//! output: rsyslog hands samar one message per line a program logged, so a private key the
//! program printed comes as a BEGIN message, one message per line of the key and an END
//! message. A record that leaves a key block open at its end (see
//! [`crate::block::Extent::open`]) has it carried on by the records after it, as long as
//! their lines are key material, up to [`MAX_RECORD_BLOCK`] bytes of them.

use crate::block::Resume;
use crate::redactor::Redactor;
use crate::stats::Stats;

/// The most bytes of records after a BEGIN record that carry its block on.
pub const MAX_RECORD_BLOCK: usize = crate::carry::MAX_JSON_BLOCK;

/// Redacts a sequence of records (messages) in order; see the [module docs](self). Make one
/// per sequence: a record from another source in between ends an open block.
#[derive(Debug)]
pub struct Records<'r> {
    redactor: &'r Redactor,
    /// The block the last record left open: detector, how it resumes, bytes carried.
    open: Option<(usize, Resume, usize)>,
    /// The prefix before that block's marker.
    pre: Vec<u8>,
}

impl<'r> Records<'r> {
    pub fn new(redactor: &'r Redactor) -> Records<'r> {
        Records {
            redactor,
            open: None,
            pre: Vec::new(),
        }
    }

    /// Redact the next record `text` and append it to `out`, counting into `stats`
    /// (bytes and findings, not lines).
    pub fn redact_into(&mut self, text: &[u8], out: &mut Vec<u8>, stats: &mut Stats) {
        let mut from = 0;
        if let Some((detector, mut resume, carried)) = self.open.take() {
            let within = carried + text.len() <= MAX_RECORD_BLOCK;
            let r = self.redactor;
            let pre = &self.pre;
            if let Some(c) = within
                .then(|| r.record_carried_lines(detector, text, pre, &mut resume, out, stats))
                .flatten()
            {
                from = c.len;
                if c.open {
                    self.open = Some((detector, resume, carried + text.len()));
                }
            }
        }
        let opened = self
            .redactor
            .redact_record(text, from, out, &mut self.pre, stats);
        if let Some((detector, resume)) = opened {
            self.open = Some((detector, resume, 0));
        }
    }

    /// Forget an open block (the next record starts afresh).
    pub fn reset(&mut self) {
        self.open = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(r: &Redactor, records: &[&str]) -> Vec<String> {
        let mut seq = Records::new(r);
        let mut stats = r.new_stats();
        records
            .iter()
            .map(|t| {
                let mut out = Vec::new();
                seq.redact_into(t.as_bytes(), &mut out, &mut stats);
                String::from_utf8(out).unwrap()
            })
            .collect()
    }

    #[test]
    fn a_key_printed_line_by_line_over_records() {
        let r = Redactor::new().unwrap();
        let b = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
        let got = run(
            &r,
            &[
                " key: -----BEGIN RSA PRIVATE KEY-----",
                &format!(" {b}"),
                &format!(" {b}"),
                " -----END RSA PRIVATE KEY-----",
                &format!(" {b}"),
                "-----BEGIN EC PRIVATE KEY-----",
                "started on 10.1.2.3",
                b,
            ],
        );
        assert_eq!(
            got,
            [
                " key: [PRIVATE_KEY]",
                " [PRIVATE_KEY]",
                " [PRIVATE_KEY]",
                " [PRIVATE_KEY]",
                &format!(" {b}"),
                "[PRIVATE_KEY]",
                "started on [IPV4]",
                b,
            ]
        );
        // Each record alone (the redactor's own calls) carries nothing over.
        assert_eq!(r.redact(&format!(" {b}")), format!(" {b}"));
    }
}
