//! Counters of a run: lines, bytes, findings and rejected candidates per detector.
//! Carries detector ids and numbers only, never a matched value.

use std::sync::Arc;

use crate::engine::ScanCounters;
use crate::finding::DetectorId;

/// What a run did. Merge per-batch stats with [`Stats::merge`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Lines read (a last line without a newline counts).
    pub lines: u64,
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
    /// Findings redacted, per detector (index = detector id).
    pub findings: Vec<u64>,
    /// Candidates that failed a validator, boundary or keyword check, per detector.
    pub rejected: Vec<u64>,
    /// Values redacted under a sensitive key, per key rule (index = rule id).
    pub key_findings: Vec<u64>,
    /// Lines handled as JSON.
    pub json_lines: u64,
    /// Lines that looked like JSON but did not parse (scanned as text instead).
    pub json_invalid: u64,
    detectors: Arc<[String]>,
    key_rules: Arc<[String]>,
}

impl Stats {
    /// Zeroed stats for these detectors.
    pub fn new(detectors: Arc<[String]>, key_rules: Arc<[String]>) -> Stats {
        let n = detectors.len();
        Stats {
            lines: 0,
            bytes_in: 0,
            bytes_out: 0,
            findings: vec![0; n],
            rejected: vec![0; n],
            key_findings: vec![0; key_rules.len()],
            json_lines: 0,
            json_invalid: 0,
            detectors,
            key_rules,
        }
    }

    /// Add `other` into `self`.
    pub fn merge(&mut self, other: &Stats) {
        self.lines += other.lines;
        self.bytes_in += other.bytes_in;
        self.bytes_out += other.bytes_out;
        for (a, b) in self.findings.iter_mut().zip(&other.findings) {
            *a += b;
        }
        for (a, b) in self.rejected.iter_mut().zip(&other.rejected) {
            *a += b;
        }
        for (a, b) in self.key_findings.iter_mut().zip(&other.key_findings) {
            *a += b;
        }
        self.json_lines += other.json_lines;
        self.json_invalid += other.json_invalid;
    }

    /// Set every counter to zero.
    pub fn reset(&mut self) {
        self.lines = 0;
        self.bytes_in = 0;
        self.bytes_out = 0;
        self.findings.iter_mut().for_each(|c| *c = 0);
        self.rejected.iter_mut().for_each(|c| *c = 0);
        self.key_findings.iter_mut().for_each(|c| *c = 0);
        self.json_lines = 0;
        self.json_invalid = 0;
    }

    /// Values redacted under sensitive keys, all rules.
    pub fn total_key_findings(&self) -> u64 {
        self.key_findings.iter().sum()
    }

    /// Values redacted under the key rule `name` (folded), if it is a rule.
    pub fn key_findings_of(&self, name: &str) -> Option<u64> {
        self.key_rules
            .iter()
            .position(|k| k == name)
            .map(|i| self.key_findings[i])
    }

    /// Findings of all detectors.
    pub fn total_findings(&self) -> u64 {
        self.findings.iter().sum()
    }

    /// Findings of the detector with this id (`"email"`), if it exists.
    pub fn findings_of(&self, id: &str) -> Option<u64> {
        self.detectors
            .iter()
            .position(|d| d == id)
            .map(|i| self.findings[i])
    }

    /// Rejected candidates of the detector with this id.
    pub fn rejected_of(&self, id: &str) -> Option<u64> {
        self.detectors
            .iter()
            .position(|d| d == id)
            .map(|i| self.rejected[i])
    }

    /// The report as JSON (what `--stats` prints).
    pub fn to_json(&self) -> serde_json::Value {
        let per = |counts: &[u64]| -> serde_json::Map<String, serde_json::Value> {
            self.detectors
                .iter()
                .zip(counts)
                .map(|(d, c)| (d.clone(), (*c).into()))
                .collect()
        };
        serde_json::json!({
            "lines": self.lines,
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "findings_total": self.total_findings(),
            "findings": per(&self.findings),
            "rejected": per(&self.rejected),
            "key_findings_total": self.total_key_findings(),
            "key_findings": self
                .key_rules
                .iter()
                .zip(&self.key_findings)
                .filter(|(_, c)| **c > 0)
                .map(|(k, c)| (k.clone(), serde_json::Value::from(*c)))
                .collect::<serde_json::Map<_, _>>(),
            "json_lines": self.json_lines,
            "json_invalid": self.json_invalid,
        })
    }
}

/// Rejections noted by a scan whose result may be thrown away (the text pre-scan of a JSON
/// line that is then walked value by value): they count only if the scan stands.
#[derive(Debug, Default)]
pub(crate) struct HeldRejections {
    rejected: Vec<DetectorId>,
    /// A candidate was rejected only for an exclusion keyword before it.
    excluded: bool,
}

impl HeldRejections {
    pub(crate) fn clear(&mut self) {
        self.rejected.clear();
        self.excluded = false;
    }

    /// Was a candidate rejected only for an exclusion keyword before it? (In a JSON line
    /// that keyword may lie in another member, which the walker does not read as context.)
    pub(crate) fn any_excluded(&self) -> bool {
        self.excluded
    }

    pub(crate) fn add_to(&self, stats: &mut Stats) {
        for &d in &self.rejected {
            stats.rejected[d] += 1;
        }
    }
}

impl ScanCounters for HeldRejections {
    #[inline]
    fn rejected(&mut self, detector: DetectorId) {
        self.rejected.push(detector);
    }

    #[inline]
    fn excluded(&mut self, detector: DetectorId) {
        self.rejected.push(detector);
        self.excluded = true;
    }

    #[inline]
    fn excluded_again(&mut self, _detector: DetectorId) {
        self.excluded = true;
    }
}

impl ScanCounters for Stats {
    #[inline]
    fn rejected(&mut self, detector: DetectorId) {
        self.rejected[detector] += 1;
    }
}
