//! rsyslog `mmexternal` filter (`samar rsyslog`): rsyslog writes one message per line to
//! samar's stdin and waits for exactly one JSON line back per message, in order: the
//! properties to change (`{"msg":"…"}`) or `{}` when nothing changed.
//!
//! With `interface.input="msg"` a line is the message text; with `"fulljson"` it is a JSON
//! object whose `msg` (and `$!`, the message's JSON properties) are redacted. A line that
//! cannot be handled (a fulljson line that does not parse, a message over
//! [`MAX_MESSAGE`]) is answered with a marker in `msg` and counted: never passed unredacted.
//! Messages are one [`Records`] sequence: a private key a program printed line by line
//! (one message per line) has every line redacted.

use std::io::{self, BufRead, Write};

use serde_json::{Map, Value};

use crate::format::Format;
use crate::records::Records;
use crate::redactor::Redactor;
use crate::stats::Stats;

/// Longest message handled (rsyslog's own `maxMessageSize` is 8 KiB by default).
pub const MAX_MESSAGE: usize = 4 << 20;

/// What rsyslog sends on each line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interface {
    /// The message text (`interface.input="msg"`, rsyslog's default).
    Msg,
    /// The whole message as JSON (`interface.input="fulljson"`).
    FullJson,
}

/// Counters of a run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RsyslogStats {
    /// Messages answered.
    pub messages: u64,
    /// Messages answered with a change.
    pub changed: u64,
    /// Messages that could not be handled and were replaced by a marker.
    pub failed: u64,
}

/// The marker written for a message that could not be handled.
const FAILED: &str = "[REDACTED:unprocessable]";

/// Answer every line of `input` on `output`, flushing after each answer (rsyslog waits).
pub fn run(
    redactor: &Redactor,
    interface: Interface,
    mut input: impl BufRead,
    mut output: impl Write,
    stats: &mut Stats,
) -> io::Result<RsyslogStats> {
    let mut counts = RsyslogStats::default();
    let mut line = Vec::new();
    let mut reply = Vec::new();
    let mut out = Vec::new();
    // A program's key printed line by line comes as one message per line.
    let mut records = Records::new(redactor);
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        reply.clear();
        let ok = match interface {
            _ if line.len() > MAX_MESSAGE => false,
            Interface::Msg => answer_msg(&mut records, &line, &mut out, &mut reply, stats),
            Interface::FullJson => {
                answer_fulljson(redactor, &mut records, &line, &mut out, &mut reply, stats)
            }
        };
        if !ok {
            reply.clear();
            reply.extend_from_slice(b"{\"msg\":\"");
            reply.extend_from_slice(FAILED.as_bytes());
            reply.extend_from_slice(b"\"}");
            counts.failed += 1;
        }
        counts.messages += 1;
        if reply.as_slice() != b"{}" {
            counts.changed += 1;
        }
        stats.lines += 1;
        reply.push(b'\n');
        output.write_all(&reply)?;
        output.flush()?;
    }
    Ok(counts)
}

/// Redact one message text; `None` when nothing changed.
fn redact_text<'a>(
    redactor: &Redactor,
    text: &[u8],
    out: &'a mut Vec<u8>,
    stats: &mut Stats,
) -> Option<&'a [u8]> {
    out.clear();
    let before = stats.total_findings() + stats.total_key_findings();
    let lines = stats.lines;
    redactor.redact_into(text, out, stats);
    stats.lines = lines;
    (stats.total_findings() + stats.total_key_findings() != before).then_some(out.as_slice())
}

/// Redact the next message's text of the sequence; `None` when nothing changed (a key line
/// carried on from an earlier message counts no new finding, so the text is compared).
fn redact_message<'a>(
    records: &mut Records,
    text: &[u8],
    out: &'a mut Vec<u8>,
    stats: &mut Stats,
) -> Option<&'a [u8]> {
    out.clear();
    records.redact_into(text, out, stats);
    (out.as_slice() != text).then_some(out.as_slice())
}

/// Redacted message text as a JSON string (invalid UTF-8 becomes U+FFFD: JSON needs UTF-8).
fn text_value(text: &[u8]) -> Value {
    Value::String(String::from_utf8_lossy(text).into_owned())
}

fn answer_msg(
    records: &mut Records,
    line: &[u8],
    out: &mut Vec<u8>,
    reply: &mut Vec<u8>,
    stats: &mut Stats,
) -> bool {
    // An empty map is written as `{}`: nothing changed.
    let mut changes = Map::new();
    if let Some(new) = redact_message(records, line, out, stats) {
        changes.insert("msg".into(), text_value(new));
    }
    serde_json::to_writer(&mut *reply, &changes).is_ok()
}

fn answer_fulljson(
    redactor: &Redactor,
    records: &mut Records,
    line: &[u8],
    out: &mut Vec<u8>,
    reply: &mut Vec<u8>,
    stats: &mut Stats,
) -> bool {
    let Ok(Value::Object(msg)) = serde_json::from_slice::<Value>(line) else {
        return false;
    };
    let mut changes = Map::new();
    if let Some(Value::String(text)) = msg.get("msg") {
        if let Some(new) = redact_message(records, text.as_bytes(), out, stats) {
            changes.insert("msg".into(), text_value(new));
        }
    }
    if let Some(props @ Value::Object(_)) = msg.get("$!") {
        let Ok(json) = serde_json::to_vec(props) else {
            return false;
        };
        if redactor.format() != Format::Text {
            if let Some(new) = redact_text(redactor, &json, out, stats) {
                match serde_json::from_slice::<Value>(new) {
                    Ok(v) => {
                        changes.insert("$!".into(), v);
                    }
                    Err(_) => return false,
                }
            }
        }
    }
    serde_json::to_writer(&mut *reply, &changes).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(interface: Interface, input: &str) -> (String, RsyslogStats) {
        let r = Redactor::new().unwrap();
        let mut stats = r.new_stats();
        let mut out = Vec::new();
        let counts = run(&r, interface, input.as_bytes(), &mut out, &mut stats).unwrap();
        (String::from_utf8(out).unwrap(), counts)
    }

    #[test]
    fn one_reply_per_message_in_order() {
        let (out, counts) = answers(
            Interface::Msg,
            "login budi@mail.co.id\nnothing here\n{\"password\":\"x\"}\nlast 10.1.2.3",
        );
        assert_eq!(
            out,
            "{\"msg\":\"login [EMAIL]\"}\n{}\n{\"msg\":\"{\\\"password\\\":\\\"[REDACTED:password]\\\"}\"}\n{\"msg\":\"last [IPV4]\"}\n"
        );
        assert_eq!((counts.messages, counts.changed, counts.failed), (4, 3, 0));
    }

    /// A private key a program printed line by line arrives as one message per line: the
    /// key lines after the BEGIN message are redacted too (they passed unchanged).
    #[test]
    fn a_key_over_messages() {
        let b = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
        let input = format!(
            " -----BEGIN RSA PRIVATE KEY-----\n {b}\n {b}\n -----END RSA PRIVATE KEY-----\n {b}\n"
        );
        let (out, counts) = answers(Interface::Msg, &input);
        let key = "{\"msg\":\" [PRIVATE_KEY]\"}\n";
        assert_eq!(out, format!("{key}{key}{key}{key}{{}}\n"));
        assert_eq!((counts.messages, counts.changed), (5, 4));
        let json = |m: &str| format!("{{\"msg\":\"{m}\",\"hostname\":\"h\"}}\n");
        let input = [
            json("-----BEGIN EC PRIVATE KEY-----"),
            json(b),
            json("started ok"),
        ]
        .concat();
        let (out, _) = answers(Interface::FullJson, &input);
        assert_eq!(
            out,
            "{\"msg\":\"[PRIVATE_KEY]\"}\n{\"msg\":\"[PRIVATE_KEY]\"}\n{}\n"
        );
        // slog lines as rsyslog escapes them: a tab between fields is `#011`, the CR of a
        // CRLF line `#015`.
        let line = |t: u8, m: &str, end: &str| format!(" t={t} msg=\"{m}\"{end}\n");
        for (end, kept) in [
            ("#011c=1#011u=budi@mail.co.id", "#011c=1#011u=[EMAIL]"),
            ("#015", "#015"),
        ] {
            let input = [
                line(1, "-----BEGIN PRIVATE KEY-----", end),
                line(2, b, end),
                line(3, "-----END PRIVATE KEY-----", end),
            ]
            .concat();
            let (out, _) = answers(Interface::Msg, &input);
            let key = |t: u8| format!("{{\"msg\":\" t={t} msg=\\\"[PRIVATE_KEY]\\\"{kept}\"}}\n");
            assert_eq!(out, [key(1), key(2), key(3)].concat(), "{end}");
        }
    }

    #[test]
    fn fulljson_redacts_msg_and_properties_and_fails_closed() {
        let (out, counts) = answers(
            Interface::FullJson,
            concat!(
                "{\"msg\":\"hp 0812-3456-7890\",\"hostname\":\"web1\",\"$!\":{\"user\":{\"nik\":\"3273011708900001\"}}}\n",
                "{\"msg\":\"ok\",\"hostname\":\"web1\"}\n",
                "{\"msg\":\"broken\n",
            ),
        );
        assert_eq!(
            out,
            "{\"$!\":{\"user\":{\"nik\":\"[REDACTED:nik]\"}},\"msg\":\"hp [PHONE]\"}\n{}\n{\"msg\":\"[REDACTED:unprocessable]\"}\n"
        );
        assert_eq!((counts.messages, counts.changed, counts.failed), (3, 2, 1));
    }
}
