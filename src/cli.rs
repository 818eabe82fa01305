//! The `samar` command line: arguments → a validated configuration → a run.
//!
//! Exit codes: 0 success (also when the output pipe closes early); 1 the output could not
//! be written; 2 usage, configuration, key or input errors (inputs that can be read are
//! still processed); 130 / 143 stopped by SIGINT / SIGTERM (what was read is written first).

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::action::Action;
use crate::config::{parse_config, Config};
use crate::detector::{builtin_specs, parse_spec};
use crate::error::StreamError;
use crate::format::Format;
use crate::keys::KeyRules;
use crate::redactor::{Redactor, RedactorBuilder};
use crate::stream::{redact_sources, Source, StreamConfig};

#[derive(Debug, Parser)]
#[command(
    name = "samar",
    version,
    about = "Remove personal data (emails, phones, IPs, cards, NPWP, NIK) from logs and chat transcripts",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    redact: RedactArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the detectors with a description and an example
    Detectors,
    /// Check a config file: report every mistake with its line and column (exit 2 if any)
    CheckConfig {
        /// The config file (samar.toml)
        file: PathBuf,
    },
    /// HTTP server: POST /v1/redact (text/plain or application/x-ndjson), GET /healthz, GET /metrics
    Serve {
        /// Address to listen on
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Require `Authorization: Bearer <token>`; the token is the file's content (trimmed)
        #[arg(long, value_name = "FILE")]
        auth_token_file: Option<PathBuf>,
        /// Largest request body, e.g. 16M
        #[arg(long, value_name = "BYTES", value_parser = parse_size, default_value = "16M")]
        max_body: usize,
        /// Requests redacted at the same time (more get 503)
        #[arg(long, value_name = "N", default_value_t = 64)]
        max_concurrency: usize,
        /// Time allowed to receive a request body, in seconds
        #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
        timeout: f64,
        #[command(flatten)]
        redact: Box<RedactArgs>,
    },
    /// rsyslog mmexternal filter: one JSON reply line per message on stdin ({"msg":"…"} or {})
    Rsyslog {
        /// What rsyslog sends: the message text (msg) or the whole message as JSON (fulljson)
        #[arg(long, value_name = "INPUT", default_value = "msg", value_parser = ["msg", "fulljson"])]
        interface: String,
        #[command(flatten)]
        redact: Box<RedactArgs>,
    },
}

#[derive(Debug, Args)]
struct RedactArgs {
    /// Input files (default: standard input; `-` is standard input)
    files: Vec<PathBuf>,

    /// Write to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Config file (samar.toml; default: the SAMAR_CONFIG environment variable). Command-line
    /// options override it
    #[arg(short, long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Input format: auto (JSON object lines as JSON, other lines as text), text, json, logfmt
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,

    /// Turn the key rules off (values under sensitive keys are then only scanned)
    #[arg(long)]
    no_key_rules: bool,

    /// Flush the output after every line (output is always flushed when the input pauses)
    #[arg(long)]
    line_buffered: bool,

    /// Action for all detectors (`mask`) or one detector (`email=hash`); repeatable.
    /// Actions: label (default), mask, partial, hash, remove
    #[arg(long, value_name = "[DETECTOR=]ACTION")]
    action: Vec<String>,

    /// Add a detector from a pattern file (TOML, same format as patterns/*.toml); repeatable
    #[arg(long = "patterns", value_name = "FILE")]
    pattern_files: Vec<PathBuf>,

    /// Enable only these detectors (comma-separated ids)
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    only: Option<Vec<String>>,

    /// Disable these detectors (comma-separated ids)
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    disable: Vec<String>,

    /// Worker threads (default: all cores)
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,

    /// Batch size, e.g. 1M, 256K, 65536 (default 1M)
    #[arg(long, value_name = "BYTES", value_parser = parse_size, default_value = "1M")]
    batch_size: usize,

    /// Print a JSON report (lines, bytes, findings per detector) to standard error at the end
    #[arg(long)]
    stats: bool,

    /// Key for the hash action (the file's bytes, surrounding whitespace trimmed).
    /// Default: the SAMAR_HASH_KEY environment variable
    #[arg(long, value_name = "FILE")]
    hash_key_file: Option<PathBuf>,
}

fn parse_size(s: &str) -> Result<usize, String> {
    let s = s.trim();
    let (num, mul) = match s.char_indices().last() {
        Some((i, 'k' | 'K')) => (&s[..i], 1 << 10),
        Some((i, 'm' | 'M')) => (&s[..i], 1 << 20),
        Some((i, 'g' | 'G')) => (&s[..i], 1 << 30),
        _ => (s, 1),
    };
    let n: usize = num
        .parse()
        .map_err(|_| format!("`{s}` is not a size (try 1M, 256K or 65536)"))?;
    match n.checked_mul(mul) {
        Some(0) | None => Err(format!("`{s}` is not a usable batch size")),
        Some(v) => Ok(v),
    }
}

/// Run the command line; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            // One line: what is wrong, and where to look.
            let text = e.render().to_string();
            let first = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("invalid arguments");
            eprintln!(
                "samar: {} (see samar --help)",
                first.trim_start_matches("error: ")
            );
            return ExitCode::from(2);
        }
        Err(e) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    let result = match cli.command {
        Some(Command::Detectors) => list_detectors(),
        Some(Command::CheckConfig { file }) => check_config(&file),
        Some(Command::Rsyslog { interface, redact }) => rsyslog(&interface, &redact),
        Some(Command::Serve {
            listen,
            auth_token_file,
            max_body,
            max_concurrency,
            timeout,
            redact,
        }) => serve(
            crate::serve::ServeConfig {
                listen,
                auth_token: None,
                max_body,
                max_concurrency,
                timeout: Duration::try_from_secs_f64(timeout).unwrap_or(Duration::from_secs(30)),
            },
            auth_token_file,
            &redact,
        ),
        None => redact(cli.redact),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("samar: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Read and parse a config file; every mistake is one line of the error.
fn load_config(path: &std::path::Path) -> Result<Config> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read config file {}", path.display()))?;
    let ids: Vec<String> = builtin_specs()?.into_iter().map(|s| s.id).collect();
    parse_config(&text, &ids).map_err(|errors| {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| format!("{}:{}:{}: {}", path.display(), e.line, e.column, e.message))
            .collect();
        anyhow::anyhow!(
            "config file {} has {} mistake(s):\n{}",
            path.display(),
            errors.len(),
            lines.join("\n")
        )
    })
}

fn check_config(path: &std::path::Path) -> Result<ExitCode> {
    match load_config(path) {
        Ok(cfg) => {
            println!(
                "{}: ok ({} custom detector(s), {} key rule(s) added, {} removed, {} allowed value(s))",
                path.display(),
                cfg.detectors.len(),
                cfg.key_rules_add.len(),
                cfg.key_rules_remove.len(),
                cfg.allow.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("samar: {e:#}");
            Ok(ExitCode::from(2))
        }
    }
}

fn build_redactor(args: &RedactArgs) -> Result<Redactor> {
    let mut builder: RedactorBuilder = Redactor::builder();
    let config_path = args
        .config
        .clone()
        .or_else(|| std::env::var_os("SAMAR_CONFIG").map(PathBuf::from));
    let config = match &config_path {
        Some(p) => Some(load_config(p)?),
        None => None,
    };
    let format = match (
        &args.format,
        config.as_ref().and_then(|c| c.format.as_ref()),
    ) {
        (Some(f), _) | (None, Some(f)) => f.parse::<Format>()?,
        (None, None) => Format::Auto,
    };
    builder = builder.format(format);
    let custom = config.as_ref().map_or(0, |c| c.detectors.len());
    if !args.pattern_files.is_empty() || custom > 0 {
        let mut specs = builtin_specs()?;
        if let Some(c) = &config {
            specs.extend(c.detectors.iter().cloned());
        }
        for path in &args.pattern_files {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read pattern file {}", path.display()))?;
            let spec = parse_spec(&path.display().to_string(), &text)?;
            if specs.iter().any(|s| s.id == spec.id) {
                bail!(
                    "pattern file {}: detector id `{}` is already defined",
                    path.display(),
                    spec.id
                );
            }
            specs.push(spec);
        }
        builder = builder.specs(specs);
    }
    if let Some(c) = &config {
        if let Some(a) = c.default_action {
            builder = builder.action(a);
        }
        for (id, a) in &c.actions {
            builder = builder.detector_action(id, *a);
        }
        if let Some(only) = &c.only {
            if args.only.is_none() {
                builder = builder.only(only.iter().cloned());
            }
        }
        for id in &c.disable {
            builder = builder.disable(id);
        }
        builder = builder
            .key_rules(KeyRules::with_changes(
                &c.key_rules_add,
                &c.key_rules_remove,
            ))
            .allow(c.allow.iter().cloned());
    }
    if args.no_key_rules {
        builder = builder.key_rules(KeyRules::none());
    }
    for a in &args.action {
        builder = match a.split_once('=') {
            Some((id, action)) => builder.detector_action(id.trim(), action.trim().parse()?),
            None => builder.action(a.trim().parse::<Action>()?),
        };
    }
    if let Some(only) = &args.only {
        builder = builder.only(only.iter().map(|s| s.trim().to_string()));
    }
    for id in &args.disable {
        builder = builder.disable(id.trim());
    }
    if let Some(path) = &args.hash_key_file {
        let key = std::fs::read(path)
            .with_context(|| format!("cannot read hash key file {}", path.display()))?;
        builder = builder.hash_key(key);
    } else if let Some(key) = std::env::var_os("SAMAR_HASH_KEY") {
        builder = builder.hash_key(key.into_encoded_bytes());
    }
    Ok(builder.build()?)
}

/// How long a run may take to drain after SIGTERM/SIGINT before samar exits anyway (the
/// input may be a pipe that blocks with no data: nothing read is left unwritten then).
const DRAIN_GRACE: Duration = Duration::from_secs(2);

/// Watches SIGTERM and SIGINT: the first one stops reading; the run drains and `redact`
/// exits with 128 + the signal. If the run does not end within [`DRAIN_GRACE`] (blocked on a
/// quiet input), the process exits from here.
struct SignalWatch {
    stop: Arc<AtomicBool>,
    signal: Arc<AtomicI32>,
    finished: Arc<AtomicBool>,
}

impl SignalWatch {
    fn start() -> Option<SignalWatch> {
        let mut signals = Signals::new([SIGTERM, SIGINT]).ok()?;
        let watch = SignalWatch {
            stop: Arc::new(AtomicBool::new(false)),
            signal: Arc::new(AtomicI32::new(0)),
            finished: Arc::new(AtomicBool::new(false)),
        };
        let (stop, signal, finished) = (
            watch.stop.clone(),
            watch.signal.clone(),
            watch.finished.clone(),
        );
        std::thread::spawn(move || {
            let Some(sig) = signals.forever().next() else {
                return;
            };
            signal.store(sig, Ordering::SeqCst);
            stop.store(true, Ordering::SeqCst);
            let start = Instant::now();
            while start.elapsed() < DRAIN_GRACE {
                if finished.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            eprintln!(
                "samar: stopped by {} while waiting for input; every line written is complete and redacted",
                signal_name(sig)
            );
            std::process::exit(128 + sig);
        });
        Some(watch)
    }
}

fn signal_name(sig: i32) -> &'static str {
    match sig {
        SIGTERM => "SIGTERM",
        SIGINT => "SIGINT",
        _ => "a signal",
    }
}

fn redact(args: RedactArgs) -> Result<ExitCode> {
    // The process exits right after this job: freeing the compiled automata and the
    // per-thread caches one allocation at a time only delayed the exit (5 % of the
    // instructions of a run on a one-line input).
    let redactor = std::mem::ManuallyDrop::new(build_redactor(&args)?);
    let watch = SignalWatch::start();
    let cfg = StreamConfig {
        threads: args.threads.unwrap_or(0),
        batch_size: args.batch_size,
        stop: watch.as_ref().map(|w| w.stop.clone()),
        line_buffered: args.line_buffered,
    };
    let output: Box<dyn Write + Send> = match &args.output {
        Some(path) => Box::new(
            File::create(path)
                .with_context(|| format!("cannot create output file {}", path.display()))?,
        ),
        None => Box::new(io::stdout()),
    };
    let files = if args.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.files.clone()
    };
    if files.iter().all(|f| f.as_os_str() == "-") && io::stdin().is_terminal() {
        eprintln!(
            "samar: reading from the terminal; pipe a log in or name files (see samar --help)"
        );
    }
    let sources = files.into_iter().map(|path| {
        if path.as_os_str() == "-" {
            Source {
                name: "<stdin>".to_string(),
                reader: Ok(Box::new(io::stdin()) as Box<dyn Read>),
            }
        } else {
            let reader = File::open(&path).map(|f| Box::new(f) as Box<dyn Read>);
            Source {
                name: path.display().to_string(),
                reader,
            }
        }
    });
    let mut input_errors = 0usize;
    let result = redact_sources(&redactor, sources, output, &cfg, |e| {
        input_errors += 1;
        eprintln!("samar: {e}");
    });
    if let Some(w) = &watch {
        w.finished.store(true, Ordering::SeqCst);
        let sig = w.signal.load(Ordering::SeqCst);
        if sig != 0 {
            if let Err(e) = &result {
                eprintln!("samar: {e}");
            }
            eprintln!(
                "samar: stopped by {}; every line read before it was redacted and written",
                signal_name(sig)
            );
            return Ok(ExitCode::from(u8::try_from(128 + sig).unwrap_or(1)));
        }
    }
    let code = match result {
        Ok(stats) => {
            if args.stats {
                let mut report = stats.to_json();
                report["inputs_failed"] = input_errors.into();
                if let Some(id) = redactor.hash_key_id() {
                    report["hash_key_id"] = id.into();
                }
                eprintln!("{report}");
            }
            if input_errors > 0 {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e @ StreamError::Write(_)) => {
            eprintln!("samar: {e}");
            ExitCode::from(1)
        }
        Err(e) => bail!(e),
    };
    Ok(code)
}

fn serve(
    mut cfg: crate::serve::ServeConfig,
    token_file: Option<PathBuf>,
    args: &RedactArgs,
) -> Result<ExitCode> {
    let redactor = std::sync::Arc::new(build_redactor(args)?);
    if let Some(path) = token_file {
        let token = std::fs::read(&path)
            .with_context(|| format!("cannot read auth token file {}", path.display()))?;
        let token = token.trim_ascii().to_vec();
        if token.is_empty() {
            bail!("auth token file {} is empty", path.display());
        }
        cfg.auth_token = Some(token);
    }
    crate::serve::run(redactor, cfg, |addr| {
        eprintln!("samar: serving on http://{addr}");
    })
    .context("samar serve")?;
    Ok(ExitCode::SUCCESS)
}

fn rsyslog(interface: &str, args: &RedactArgs) -> Result<ExitCode> {
    let redactor = build_redactor(args)?;
    let interface = match interface {
        "fulljson" => crate::rsyslog::Interface::FullJson,
        _ => crate::rsyslog::Interface::Msg,
    };
    let mut stats = redactor.new_stats();
    let result = crate::rsyslog::run(
        &redactor,
        interface,
        io::stdin().lock(),
        io::stdout().lock(),
        &mut stats,
    );
    match result {
        Ok(counts) => {
            if args.stats {
                let mut report = stats.to_json();
                report["messages"] = counts.messages.into();
                report["messages_changed"] = counts.changed.into();
                report["messages_failed"] = counts.failed.into();
                eprintln!("{report}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("samar: rsyslog: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

fn list_detectors() -> Result<ExitCode> {
    let redactor = Redactor::new()?;
    let mut out = io::stdout().lock();
    let mut write = || -> io::Result<()> {
        for d in redactor.detectors() {
            writeln!(out, "{:<6} [{}]  {}", d.id, d.label, d.description)?;
            if let Some((text, redacted)) = &d.example {
                writeln!(out, "       e.g. {text}")?;
                writeln!(out, "         -> {redacted}")?;
            }
        }
        Ok(())
    };
    match write() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}
