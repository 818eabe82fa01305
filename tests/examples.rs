//! Every `[[example]]` of every pattern file, through the whole built-in pack (detectors
//! only: key rules are a layer of their own, tested in tests/structured.rs).

use samar::detector::{builtin_specs, BUILTIN};
use samar::{KeyRules, Redactor};

#[test]
fn pattern_file_examples() {
    let redactor = Redactor::builder()
        .key_rules(KeyRules::none())
        .build()
        .unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    for spec in builtin_specs().unwrap() {
        for ex in &spec.examples {
            count += 1;
            let got = redactor.redact(&ex.text);
            if got != ex.redacted {
                failures.push(format!(
                    "{}: {:?}\n   want {:?}\n   got  {:?}",
                    spec.id, ex.text, ex.redacted, got
                ));
            }
        }
    }
    assert!(count >= 30, "only {count} examples");
    assert!(
        failures.is_empty(),
        "{} of {count} examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_builtin_file_is_listed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("patterns");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
    embedded.sort();
    assert_eq!(on_disk, embedded);
}
