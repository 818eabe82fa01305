//! The FORMATS.md test vectors (testdata/formats_vectors.json) through the built-in pack.

use samar::Redactor;
use serde_json::Value;

#[test]
fn formats_md_vectors() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/formats_vectors.json");
    let data: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = data["cases"].as_array().unwrap();
    assert!(cases.len() > 80, "only {} vectors", cases.len());
    let redactor = Redactor::new().unwrap();
    let mut failures = Vec::new();
    let (mut redacted, mut kept) = (0, 0);
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let text = case["text"].as_str().unwrap();
        let out = redactor.redact(text);
        match case["samar"].as_str().unwrap() {
            "redact" => {
                redacted += 1;
                let expect: Vec<&str> = case["expect"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect();
                let survived: Vec<&&str> = expect.iter().filter(|v| out.contains(**v)).collect();
                if out == text || !survived.is_empty() {
                    failures.push(format!(
                        "{id}: {text:?} -> {out:?} (survived: {survived:?})"
                    ));
                }
            }
            "keep" => {
                kept += 1;
                if out != text {
                    failures.push(format!("{id}: {text:?} -> {out:?} (must stay unchanged)"));
                }
            }
            other => panic!("bad decision {other}"),
        }
    }
    assert!(redacted > 40 && kept >= 20, "redact={redacted} keep={kept}");
    assert!(
        failures.is_empty(),
        "{} vector(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
