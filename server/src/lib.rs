//! The `gatehouse` program: configuration, command line, HTTP server. `main.rs` only calls
//! [`main`]; everything here is a library so that tests can build routers and states.

pub mod admin;
pub mod cli;
pub mod config;
pub mod error;
pub mod housekeeping;
pub mod http;
pub mod logging;
pub mod mail;
pub mod oidc;
pub mod serve;
pub mod sso;

use std::process::ExitCode;

use clap::Parser;

/// Runs the command line. Everything that can go wrong at start-up ends here as one line on
/// standard error and a non-zero exit code.
pub fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    app::i18n::install();
    // At least four workers, whatever the cores: Leptos's streaming SSR can leave a page's
    // resource unresumed when few workers are left to poll it (leptos#4647, seen here as a
    // test that hung on a current-thread runtime). Hashing has its own bounded pool.
    let workers = std::thread::available_parallelism().map_or(4, |n| n.get().max(4));
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(workers).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("gatehouse: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        let config = config::Config::load(cli.config.as_deref())?;
        logging::init(config.log_format);
        match cli.command {
            cli::Command::Serve => serve::run(config).await,
            cli::Command::Admin(command) => admin::run(config, command).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gatehouse: {e}");
            ExitCode::FAILURE
        }
    }
}
