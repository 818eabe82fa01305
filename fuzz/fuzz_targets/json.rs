//! Property: any line goes through without a panic; when the line is a valid JSON object or
//! array, the output line is valid JSON with the same key paths (a value under a sensitive
//! key is replaced whole, so paths below it are not compared).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use samar::{Format, KeyRules, Redactor};
use serde_json::Value;

fn paths(v: &Value, rules: &KeyRules, prefix: &str, out: &mut Vec<String>) {
    let mut buf = Vec::new();
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let p = format!("{prefix}/{k}");
                out.push(p.clone());
                if rules.lookup(k.as_bytes(), &mut buf).is_none() {
                    paths(v, rules, &p, out);
                }
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                paths(v, rules, &format!("{prefix}/{i}"), out);
            }
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    static R: OnceLock<Redactor> = OnceLock::new();
    let redactor = R.get_or_init(|| {
        Redactor::builder()
            .format(Format::Json)
            .build()
            .expect("built-in pack compiles")
    });
    if data.contains(&b'\n') {
        return;
    }
    let out = redactor.redact_bytes(data);
    let Ok(input) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if !(input.is_object() || input.is_array()) {
        return;
    }
    let output: Value = match serde_json::from_slice(&out) {
        Ok(v) => v,
        Err(e) => panic!("valid JSON in, invalid JSON out: {e}"),
    };
    let rules = redactor.key_rules();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    paths(&input, rules, "", &mut a);
    paths(&output, rules, "", &mut b);
    assert_eq!(a, b, "key paths changed");
});
