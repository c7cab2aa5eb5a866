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
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("GUANXI_LOG")
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
