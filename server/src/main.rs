//! The `server` binary: `server` (or `server serve`) runs the site;
//! `server create-coordinator --email ADDRESS` creates a coordinator account; `server --version`
//! also names the time-zone database in use.

#![recursion_limit = "512"]

use server::config::Config;
use std::future::IntoFuture;
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

const USAGE: &str = "usage: server [serve]\n       server create-coordinator --email ADDRESS\n       server --version\n\n\
The password is asked for, or read from standard input when that is not a terminal.\n\
Configuration comes from environment variables; see README.md.";

/// Stack of every runtime thread. Rendering a page walks its whole view tree recursively, and
/// the workspace's intake page, built at opt-level 1, went past the 2 MiB tokio gives by
/// default: a stack overflow aborts the process, taking every other request with it. 16 MiB
/// leaves wide room, and is address space until it is touched.
const THREAD_STACK_BYTES: usize = 16 << 20;

fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(THREAD_STACK_BYTES)
        .build();
    match runtime {
        Ok(runtime) => runtime.block_on(run()),
        Err(error) => {
            eprintln!("cannot start the async runtime: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .init();

    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] | ["serve"] => serve().await,
        ["create-coordinator", "--email", email] => create_coordinator(email).await,
        ["--version" | "-V" | "version"] => {
            let (rules, source) = server::zone_rules::choose(&server::zone_rules::system_dir());
            println!("server {}", env!("CARGO_PKG_VERSION"));
            println!("time-zone database {} ({source})", rules.version());
            ExitCode::SUCCESS
        }
        ["--help" | "-h" | "help"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

async fn serve() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("configuration error: {err}");
            return ExitCode::from(2);
        }
    };
    let state = match server::start(&config).await {
        Ok(state) => state,
        Err(err) => {
            eprintln!("cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    let addr = config.leptos.site_addr;
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("cannot listen on {addr}: {err}");
            return ExitCode::FAILURE;
        }
    };
    let (stop_jobs, jobs_stopping) = tokio::sync::watch::channel(false);
    let jobs = match server::jobs::spawn(&state, &config, jobs_stopping) {
        Ok(jobs) => jobs,
        Err(err) => {
            eprintln!("cannot start background jobs: {err}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!("Rounds is listening on http://{addr}");
    let stopping_state = state.clone();
    let open_streams = state.streams.clone();
    let (stopping, stop_requested) = tokio::sync::oneshot::channel::<()>();
    let incoming = server::connections::listen(listener, state.clone());
    let app = server::router(state);
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    // On the signal: stop accepting, end the event streams (their pages reconnect elsewhere
    // and resynchronise), and let the requests in flight finish, for at most SHUTDOWN_GRACE.
    let graceful = async move {
        shutdown_signal().await;
        tracing::info!("stopping");
        stopping_state.stop_streams();
        let _ = stopping.send(());
    };
    let served = axum::serve(incoming, app).with_graceful_shutdown(graceful).into_future();
    // The router's connections are done when `served` is; the streams answered beside it
    // (`server::connections`) each send their end before they count as closed.
    let served = async move {
        let served = served.await;
        open_streams.none_open().await;
        served
    };
    let overdue = async {
        if stop_requested.await.is_ok() {
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    let served = tokio::select! {
        served = served => served,
        () = overdue => {
            tracing::warn!("requests still open {SHUTDOWN_GRACE:?} after the signal; stopping without them");
            Ok(())
        }
    };
    // Let the email sender finish the message in hand; what is left stays in the outbox.
    let _ = stop_jobs.send(true);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, futures::future::join_all(jobs)).await;
    if let Err(err) = served {
        eprintln!("server error: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn read_password() -> std::io::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (at least 12 characters): ")?;
        let again = rpassword::prompt_password("The same password again: ")?;
        if first != again {
            return Err(std::io::Error::other("the two passwords differ"));
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

async fn create_coordinator(email: &str) -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("configuration error: {err}");
            return ExitCode::from(2);
        }
    };
    let password = match read_password() {
        Ok(password) => password,
        Err(err) => {
            eprintln!("cannot read the password: {err}");
            return ExitCode::FAILURE;
        }
    };
    let state = match server::start(&config).await {
        Ok(state) => state,
        Err(err) => {
            eprintln!("cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    match app::server::auth::create_coordinator(&state, email, &password, chrono::Utc::now()).await {
        Ok(()) => {
            println!("Coordinator {email} created. Sign in at {}/en/sign-in", config.public_url);
            ExitCode::SUCCESS
        }
        Err(app::error::AppError::Form(problems)) => {
            for problem in problems {
                eprintln!("{}: {:?}", problem.field.as_str(), problem.problem);
            }
            eprintln!("Addresses must be unused, and passwords 12 to 128 characters long.");
            ExitCode::from(2)
        }
        Err(err) => {
            eprintln!("cannot create the coordinator: {err}");
            ExitCode::FAILURE
        }
    }
}

/// How long requests in flight may take to finish once the server is asked to stop; the jobs
/// (the writer's batch, the mailer's message) get as long again, within a 10-second budget for
/// a rolling deploy's patience.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(4);

/// Finishes the requests in flight on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
