//! Property: any pattern-file text either loads or gives an error naming the file; it never
//! panics, and a loaded pack obeys the engine's rules (no empty match on any input).
#![no_main]

use libfuzzer_sys::fuzz_target;
use samar::detector::parse_spec;
use samar::Redactor;

fuzz_target!(|text: &str| {
    match parse_spec("fuzz.toml", text) {
        Err(e) => assert!(e.to_string().starts_with("pattern file fuzz.toml:")),
        Ok(spec) => {
            if let Ok(r) = Redactor::builder().specs(vec![spec]).build() {
                for f in r.find(text.as_bytes()) {
                    assert!(f.span.start < f.span.end);
                    assert!(!text.as_bytes()[f.span.clone()].contains(&b'\n'));
                }
            }
        }
    }
});
