//! The `hivewire` command.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hivewire::config::Config;
use hivewire::server;

mod allocator;

/// A HiveQL query server on Apache DataFusion, speaking PostgreSQL and HiveServer2 wire protocols.
#[derive(Parser)]
#[command(name = "hivewire", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the server until SIGINT or SIGTERM.
    ///
    /// Configuration is read from built-in defaults, then FILE, then HIVEWIRE__SECTION__KEY
    /// environment variables (for example HIVEWIRE__POSTGRES__LISTEN=127.0.0.1:0).
    Serve {
        /// A TOML configuration file.
        #[arg(long, short, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Manages the catalog (the metastore) without serving.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
}

#[derive(Subcommand)]
enum CatalogCommand {
    /// Upgrades the configured catalog (SQLite file or PostgreSQL database) to this build's schema,
    /// in place, and finishes any write a crash interrupted. Safe to run more than once.
    Migrate {
        /// A TOML configuration file.
        #[arg(long, short, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HIVEWIRE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { config } => serve(config),
        Command::Catalog { command: CatalogCommand::Migrate { config } } => migrate(config),
    }
}

fn migrate(config_file: Option<PathBuf>) -> ExitCode {
    let config = match Config::load(config_file.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hivewire: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("hivewire: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let before = match hivewire::engine::open_metastore(&config).await {
            Ok((_, _, before)) => before,
            Err(e) => {
                eprintln!("hivewire: {e}");
                return ExitCode::FAILURE;
            }
        };
        // Opening the engine also finishes interrupted writes.
        if let Err(e) = hivewire::engine::Engine::open(&config).await {
            eprintln!("hivewire: {e}");
            return ExitCode::FAILURE;
        }
        let now = match config.catalog.backend.as_str() {
            "sqlite" => hivewire_catalog::sqlite::SCHEMA_VERSION,
            _ => hivewire_catalog::postgres::SCHEMA_VERSION,
        };
        if before == now {
            println!("hivewire: catalog is at schema version {now}; nothing to do");
        } else {
            println!("hivewire: catalog migrated from schema version {before} to {now}");
        }
        ExitCode::SUCCESS
    })
}

fn serve(config_file: Option<PathBuf>) -> ExitCode {
    let config = match Config::load(config_file.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hivewire: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("hivewire: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let running = match server::start(&config).await {
            Ok(r) => r,
            Err(e) => {
                eprintln!("hivewire: {e}");
                return ExitCode::FAILURE;
            }
        };
        if let Some(addr) = running.postgres_addr {
            println!("hivewire: postgres listening on {addr}");
        }
        if let Some(addr) = running.hiveserver2_addr {
            println!("hivewire: hiveserver2 listening on {addr}");
        }
        if let Some(addr) = running.hiveserver2_http_addr {
            println!("hivewire: hiveserver2-http listening on {addr}");
        }
        println!("hivewire: ready");
        wait_for_signal().await;
        tracing::info!("shutting down");
        running.shutdown().await;
        ExitCode::SUCCESS
    })
}

async fn wait_for_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
