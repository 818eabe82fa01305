//! An ingestion service's use of the library: events arrive as JSON (here, one per line on
//! stdin), are redacted as values before they are stored, and the counts are reported.
//!
//! ```sh
//! printf '{"user":"budi@mail.co.id","password":"x","n":1}\n' | cargo run --example ingest
//! ```

use std::io::{BufRead, Write};

use samar::Redactor;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Build once (the pack compiles in a few milliseconds); share it across threads.
    let redactor = Redactor::new()?;
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let (mut events, mut redacted) = (0u64, 0u64);
    for line in stdin.lock().lines() {
        let line = line?;
        events += 1;
        let event: serde_json::Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(_) => {
                // Not JSON: redact it as text rather than dropping or storing it raw.
                writeln!(out, "{}", redactor.redact(&line))?;
                continue;
            }
        };
        let stored = match redactor.redact_json_value(&event) {
            Some(clean) => {
                redacted += 1;
                clean
            }
            None => event,
        };
        writeln!(out, "{stored}")?;
    }
    eprintln!("{events} events, {redacted} redacted");
    Ok(())
}
