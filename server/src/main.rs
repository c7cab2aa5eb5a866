//! `guanxi`: the whole CRM in one binary. `guanxi serve` (the default) runs the
//! web server; the other subcommands administer a stopped server's data folder.
// Leptos view types nest deeply; rendering them needs the higher limit.
#![recursion_limit = "256"]

mod cli;
mod http;
mod lan;
mod memory;
mod os_service;
mod serve;
mod tls;
mod upgrade;

use clap::Parser;

fn main() -> std::process::ExitCode {
    memory::tune_allocator();
    let args = cli::Cli::parse();
    init_logging(args.log_file().as_deref());
    match cli::run(args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// To stderr, or (for a Windows service, which has no console) appended to
/// a file; systemd keeps a service's stderr in its journal.
fn init_logging(file: Option<&std::path::Path>) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("GUANXI_LOG")
        .unwrap_or_else(|_| "info,tower_http=info".into());
    let opened = file.and_then(|path| {
        let _ = path.parent().map(std::fs::create_dir_all);
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .ok()
    });
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match opened {
        Some(file) => builder
            .with_writer(std::sync::Mutex::new(file))
            .with_ansi(false)
            .init(),
        None => builder
            .with_writer(std::io::stderr)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
    }
}
