use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use guanxi_core::service::Guanxi;
use guanxi_core::store::Store;

use crate::http::{AppState, router};

const SWEEP_EVERY: Duration = Duration::from_secs(60 * 60);

/// Threads for store work (every request's reads and writes). Measured
/// with the load run on two cores: 8 served 2,050 mixed requests/s at 50
/// clients with a p95 of 32–47 ms, tokio's default of up to 512 about 1,540/s
/// at 48–72 ms and twice the memory; durable writes still share each fsync
/// eight at a time (2,700 creates/s).
const BLOCKING_THREADS: usize = 8;

pub fn run(data_dir: PathBuf, listen: SocketAddr) -> Result<(), String> {
    let started = Instant::now();
    let store = Store::open_deferred(&data_dir).map_err(|e| e.to_string())?;
    tracing::info!(
        data = %store.path().display(),
        schema = store.schema_version().unwrap_or_default(),
        version = env!("CARGO_PKG_VERSION"),
        "data opened"
    );
    let gx = Arc::new(Guanxi::new(store));
    load_in_background(gx.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(BLOCKING_THREADS)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(serve(gx.clone(), listen, started))?;
    drop(runtime);
    match Arc::try_unwrap(gx) {
        Ok(gx) => {
            drop(gx);
            tracing::info!("database closed");
        }
        Err(_) => tracing::warn!("database still referenced at exit; the OS will close it"),
    }
    Ok(())
}

async fn serve(gx: Arc<Guanxi>, listen: SocketAddr, started: Instant) -> Result<(), String> {
    let state = AppState::new(gx.clone());
    let shutdown = state.shutdown.clone();
    let app = router(state);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(
        address = %local,
        startup_ms = started.elapsed().as_millis() as u64,
        "Guanxi is serving on http://{local}"
    );
    let sweeper = tokio::spawn(sweep_idle_sessions(gx.clone()));
    let pool_return = tokio::spawn(return_idle_customers(gx));
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        shutdown.send_replace(true);
    })
    .await
    .map_err(|e| e.to_string())?;
    sweeper.abort();
    pool_return.abort();
    let _ = sweeper.await;
    let _ = pool_return.await;
    tracing::info!("stopped accepting requests; in-flight requests finished");
    Ok(())
}

/// Reads the customer directory, then the deals for the boards, while the
/// server already answers: sign-in pages and assets at once, lists and
/// search as soon as the directory is in (they wait for it until then).
fn load_in_background(gx: Arc<Guanxi>) {
    std::thread::spawn(move || {
        let started = Instant::now();
        let customers = match gx.load_directory() {
            Ok(customers) => customers,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the customers; stopping");
                std::process::exit(1);
            }
        };
        tracing::info!(
            customers,
            ms = started.elapsed().as_millis() as u64,
            "customer directory loaded"
        );
        // Boards read deals from memory; load them now rather than on the
        // first board anyone opens.
        if let Err(e) = gx.warm_deal_boards() {
            tracing::error!(error = %e, "loading the deals for the boards failed");
        }
    });
}

/// Sessions expire lazily when used; this removes the ones never used again.
async fn sweep_idle_sessions(gx: Arc<Guanxi>) {
    let mut tick = tokio::time::interval(SWEEP_EVERY);
    loop {
        tick.tick().await;
        let gx = gx.clone();
        let result = tokio::task::spawn_blocking(move || gx.end_idle_sessions()).await;
        match result {
            Ok(Ok(n)) if n > 0 => tracing::info!(ended = n, "idle sessions swept"),
            Ok(Err(e)) => tracing::error!(error = %e, "sweeping idle sessions failed"),
            _ => {}
        }
    }
}

/// Customers nobody worked on for the configured days go back to the public
/// pool: once at start, then daily.
async fn return_idle_customers(gx: Arc<Guanxi>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
    loop {
        tick.tick().await;
        let gx = gx.clone();
        let result =
            tokio::task::spawn_blocking(move || gx.return_idle_customers(chrono::Utc::now())).await;
        match result {
            Ok(Ok(n)) if n > 0 => {
                tracing::info!(returned = n, "idle customers returned to the pool")
            }
            Ok(Err(e)) => tracing::error!(error = %e, "returning idle customers failed"),
            _ => {}
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown requested");
}
