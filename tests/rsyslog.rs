//! The real rsyslogd (Debian's package; `.ci/run` installs it) sends messages through
//! `samar rsyslog` (mmexternal) into a file: redacted messages are redacted, the others are
//! byte-identical, none is lost, the order is kept. Talks to rsyslogd on 127.0.0.1 only.
//!
//! Without rsyslogd on the machine the test says so and passes, unless
//! SAMAR_REQUIRE_RSYSLOG=1 (set by `.ci/run`), where a missing rsyslogd is a failure.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn rsyslogd() -> Option<String> {
    ["/usr/sbin/rsyslogd", "/sbin/rsyslogd"]
        .iter()
        .find(|p| Path::new(p).exists())
        .map(|p| p.to_string())
}

struct Daemon(Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn run_through_rsyslog(interface: &str, messages: &[String]) -> Option<Vec<String>> {
    let Some(daemon) = rsyslogd() else {
        assert!(
            std::env::var_os("SAMAR_REQUIRE_RSYSLOG").is_none(),
            "rsyslogd is required (SAMAR_REQUIRE_RSYSLOG is set) but not installed"
        );
        eprintln!("skipped: rsyslogd is not installed (apt-get install rsyslog)");
        return None;
    };
    let dir =
        std::env::temp_dir().join(format!("samar-rsyslog-{}-{interface}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let port = free_port();
    let out = dir.join("out.log");
    let conf = dir.join("rsyslog.conf");
    std::fs::write(
        &conf,
        format!(
            r#"global(workDirectory="{dir}")
module(load="imtcp")
module(load="mmexternal")
input(type="imtcp" address="127.0.0.1" port="{port}" ruleset="through-samar")
template(name="msgonly" type="string" string="%msg%\n")
ruleset(name="through-samar") {{
  action(type="mmexternal" binary="{samar} rsyslog --interface {interface}" interface.input="{interface}")
  action(type="omfile" file="{out}" template="msgonly")
}}
"#,
            dir = dir.display(),
            samar = env!("CARGO_BIN_EXE_samar"),
            out = out.display(),
        ),
    )
    .unwrap();
    let _daemon = Daemon(
        Command::new(daemon)
            .arg("-n")
            .arg("-f")
            .arg(&conf)
            .arg("-i")
            .arg(dir.join("rsyslogd.pid"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let start = Instant::now();
    let mut conn = loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(c) => break c,
            Err(_) if start.elapsed() < Duration::from_secs(15) => {
                std::thread::sleep(Duration::from_millis(50))
            }
            Err(e) => panic!("rsyslogd did not listen on 127.0.0.1:{port}: {e}"),
        }
    };
    for m in messages {
        writeln!(conn, "<13>Nov 22 10:00:00 web1 app: {m}").unwrap();
    }
    conn.flush().unwrap();
    let start = Instant::now();
    loop {
        let text = std::fs::read_to_string(&out).unwrap_or_default();
        let lines: Vec<String> = text.lines().map(|l| l.trim_start().to_string()).collect();
        if lines.len() >= messages.len() || start.elapsed() > Duration::from_secs(30) {
            drop(conn);
            let _ = std::fs::remove_dir_all(&dir);
            return Some(lines);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn messages() -> (Vec<String>, Vec<String>) {
    let mut input = Vec::new();
    let mut want = Vec::new();
    for i in 0..60 {
        let (m, w) = match i % 4 {
            0 => (
                format!("login ok user=budi{i}@mail.co.id from 10.1.2.{i}"),
                "login ok user=[EMAIL] from [IPV4]".to_string(),
            ),
            1 => (
                format!("order {i} shipped, no personal data here"),
                format!("order {i} shipped, no personal data here"),
            ),
            2 => (
                format!("payment {i} password=hunter{i} card 4526 0181 5908 3012"),
                format!("payment {i} password=[REDACTED:password] card [CARD]"),
            ),
            _ => (
                format!("{{\"evt\":\"otp\",\"i\":{i},\"phone\":\"0812-3456-7890\"}}"),
                format!("{{\"evt\":\"otp\",\"i\":{i},\"phone\":\"[REDACTED:phone]\"}}"),
            ),
        };
        input.push(m);
        want.push(w);
    }
    (input, want)
}

#[test]
fn rsyslog_mmexternal_msg_interface() {
    let (input, want) = messages();
    if let Some(got) = run_through_rsyslog("msg", &input) {
        assert_eq!(got, want);
    }
}

#[test]
fn rsyslog_mmexternal_fulljson_interface() {
    let (input, want) = messages();
    if let Some(got) = run_through_rsyslog("fulljson", &input) {
        assert_eq!(got, want);
    }
}
