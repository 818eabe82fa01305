//! What a scan reports: which detector matched where. Never the bytes themselves.

use std::ops::Range;

/// Index of a detector in a compiled [`crate::Redactor`] (its position in `detectors()`).
pub type DetectorId = usize;

/// A byte range in the scanned input.
pub type Span = Range<usize>;

/// One redacted identifier: the detector that accepted it and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index into [`crate::Redactor::detectors`].
    pub detector: DetectorId,
    /// Byte span in the input.
    pub span: Span,
}
