use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use guanxi_core::service::Guanxi;
use guanxi_core::store::Store;

use app::i18n::{Msg, fill};
use guanxi_core::model::Locale;

use crate::http::{AppState, router};
use crate::lan;

const SWEEP_EVERY: Duration = Duration::from_secs(60 * 60);

/// Threads for store work (every request's reads and writes). Measured
/// with the load run on two cores: 8 served 2,050 mixed requests/s at 50
/// clients with a p95 of 32–47 ms, tokio's default of up to 512 about 1,540/s
/// at 48–72 ms and twice the memory; durable writes still share each fsync
/// eight at a time (2,700 creates/s).
const BLOCKING_THREADS: usize = 8;

/// How a server was started, beyond its data folder and address.
#[derive(Default)]
pub struct ServeOptions {
    /// Open the default browser on the local address once serving (a
    /// double-clicked `guanxi.exe` has no console anyone reads).
    pub open_browser: bool,
    /// Stops the server like Ctrl+C does; the Windows service manager's stop
    /// request arrives through it.
    pub stop: Option<Arc<tokio::sync::Notify>>,
    /// Certificate chain and key (PEM files) to serve HTTPS with.
    pub tls: Option<(PathBuf, PathBuf)>,
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

pub fn run(data_dir: PathBuf, listen: SocketAddr, options: ServeOptions) -> Result<(), String> {
    let started = Instant::now();
    // A certificate that cannot be read stops the start, before the data
    // is opened: serving plain HTTP instead would send passwords in the clear.
    let tls = match &options.tls {
        Some((cert, key)) => Some(
            crate::tls::load_config(cert, key)
                .map_err(|e| fill(Msg::ServeTlsUnreadable.text(Locale::En), &[("error", &e)]))?,
        ),
        None => None,
    };
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
    runtime.block_on(serve(gx.clone(), listen, started, options, tls))?;
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

async fn serve(
    gx: Arc<Guanxi>,
    listen: SocketAddr,
    started: Instant,
    options: ServeOptions,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> Result<(), String> {
    let locale = company_locale(&gx);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| cannot_listen(listen, &e, locale))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let scheme = |url: String| match tls {
        Some(_) => url.replacen("http://", "https://", 1),
        None => url,
    };
    let local_url = scheme(lan::local_url(local));
    // The socket address itself, not the friendlier localhost URL: scripts
    // and tests read it to connect.
    let serving = scheme(format!("http://{local}"));
    tracing::info!(
        address = %local,
        startup_ms = started.elapsed().as_millis() as u64,
        "Guanxi is serving on {serving}"
    );
    let staff_urls: Vec<String> = lan::staff_urls(local, &lan::interface_addresses())
        .into_iter()
        .map(scheme)
        .collect();
    for line in address_lines(&staff_urls, &local_url, locale) {
        println!("{line}");
    }
    if options.open_browser {
        open_browser(&local_url);
    }
    let state = AppState::new(gx.clone())
        .with_staff_urls(staff_urls)
        .with_transport(tls.is_some(), options.trusted_proxies.clone());
    let shutdown = state.shutdown.clone();
    let app = router(state);
    let sweeper = tokio::spawn(sweep_idle_sessions(gx.clone()));
    let pool_return = tokio::spawn(return_idle_customers(gx.clone()));
    let snapshots = tokio::spawn(take_scheduled_snapshots(gx));
    let stopped = async move {
        shutdown_signal(options.stop).await;
        shutdown.send_replace(true);
    };
    match tls {
        Some(config) => {
            use axum::serve::ListenerExt;
            let listener = crate::tls::TlsListener::new(listener, config)
                .map_err(|e| e.to_string())?
                // Through `tap_io`, axum hands handlers the peer's address.
                .tap_io(|_| {});
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(stopped)
            .await
        }
        None => {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(stopped)
            .await
        }
    }
    .map_err(|e| e.to_string())?;
    sweeper.abort();
    pool_return.abort();
    snapshots.abort();
    let _ = sweeper.await;
    let _ = pool_return.await;
    let _ = snapshots.await;
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
        let tallying = Instant::now();
        match gx.warm_deal_tallies() {
            Ok(()) => tracing::info!(
                ms = tallying.elapsed().as_millis() as u64,
                "deal tallies for the reports counted"
            ),
            Err(e) => tracing::error!(error = %e, "counting the deal tallies failed"),
        }
        let counting = Instant::now();
        match gx.warm_activity_counts() {
            Ok(()) => tracing::info!(
                ms = counting.elapsed().as_millis() as u64,
                "activity counts for the dashboards loaded"
            ),
            Err(e) => tracing::error!(error = %e, "counting the activities failed"),
        }
        let contracts = Instant::now();
        match gx.warm_contracts() {
            Ok(()) => tracing::info!(
                ms = contracts.elapsed().as_millis() as u64,
                "contracts for the lists and receivables loaded"
            ),
            Err(e) => tracing::error!(error = %e, "loading the contracts failed"),
        }
        let stock = Instant::now();
        match gx.warm_stock_figures() {
            Ok(()) => tracing::info!(
                ms = stock.elapsed().as_millis() as u64,
                "stock costings and deliveries worked out"
            ),
            Err(e) => tracing::error!(error = %e, "working out the stock figures failed"),
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

/// Looks hourly whether a day has passed since the last scheduled snapshot
/// and takes one if so (the first look a minute after start, so start-up
/// and the directory load do not share the disk with it). A failure is
/// logged and shown on the backups page by the service; the next look
/// tries again.
async fn take_scheduled_snapshots(gx: Arc<Guanxi>) {
    tokio::time::sleep(Duration::from_secs(60)).await;
    let mut tick = tokio::time::interval(Duration::from_secs(60 * 60));
    loop {
        tick.tick().await;
        let gx = gx.clone();
        let result = tokio::task::spawn_blocking(move || {
            let now = chrono::Utc::now();
            if gx.snapshot_due(now)? {
                gx.take_scheduled_snapshot(now).map(Some)
            } else {
                Ok(None)
            }
        })
        .await;
        if let Ok(Err(e)) = result {
            tracing::error!(error = %e, "scheduled snapshot not taken");
        }
    }
}

async fn shutdown_signal(stop: Option<Arc<tokio::sync::Notify>>) {
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
    // Closing the console window of a double-clicked guanxi.exe; Windows
    // waits a few seconds for the handler before ending the process.
    #[cfg(windows)]
    let terminate = async {
        match tokio::signal::windows::ctrl_close() {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(any(unix, windows)))]
    let terminate = std::future::pending::<()>();
    let stopped = async {
        match stop {
            Some(stop) => stop.notified().await,
            None => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
        _ = stopped => {},
    }
    tracing::info!("shutdown requested");
}

/// The company's language for what the console says; before first-run setup
/// nobody has chosen one, so Chinese, the language of most offices using it.
fn company_locale(gx: &Guanxi) -> Locale {
    match gx.company_if_set_up() {
        Ok(Some(company)) => company.default_locale,
        _ => Locale::ZhCn,
    }
}

/// What the console tells whoever started the server: where colleagues point
/// their browsers, or that only this machine can.
fn address_lines(staff_urls: &[String], local_url: &str, locale: Locale) -> Vec<String> {
    if staff_urls.is_empty() {
        return vec![fill(
            Msg::ServeOnlyThisMachine.text(locale),
            &[("url", local_url)],
        )];
    }
    staff_urls
        .iter()
        .map(|url| fill(Msg::ServeStaffCanOpen.text(locale), &[("url", url)]))
        .collect()
}

fn cannot_listen(listen: SocketAddr, error: &std::io::Error, locale: Locale) -> String {
    let port = listen.port().to_string();
    let address = listen.to_string();
    let template = match error.kind() {
        std::io::ErrorKind::AddrInUse => Msg::ServePortInUse,
        std::io::ErrorKind::PermissionDenied => Msg::ServePortDenied,
        _ => {
            return fill(
                Msg::ServeCannotListen.text(locale),
                &[("address", &address), ("error", &error.to_string())],
            );
        }
    };
    fill(
        template.text(locale),
        &[("address", &address), ("port", &port)],
    )
}

/// Best effort: a server without a desktop has nothing to open.
fn open_browser(url: &str) {
    #[cfg(windows)]
    let opened = std::process::Command::new("cmd")
        .args(["/C", "start", "", url])
        .spawn();
    #[cfg(target_os = "macos")]
    let opened = std::process::Command::new("open").arg(url).spawn();
    #[cfg(not(any(windows, target_os = "macos")))]
    let opened = std::process::Command::new("xdg-open").arg(url).spawn();
    if let Err(e) = opened {
        tracing::info!(error = %e, "could not open a browser");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colleagues_get_one_line_per_address_in_the_company_language() {
        let urls = vec!["http://192.168.1.20:8080".to_string()];
        assert_eq!(
            address_lines(&urls, "http://localhost:8080", Locale::ZhCn),
            ["同事可以在浏览器中打开 http://192.168.1.20:8080"]
        );
        assert_eq!(
            address_lines(&[], "http://localhost:8080", Locale::En),
            [
                "Only this computer can open http://localhost:8080: colleagues cannot reach it (listen on 0.0.0.0 with --listen to let them in)"
            ]
        );
    }

    #[test]
    fn a_port_in_use_names_the_listen_option() {
        let error = std::io::Error::from(std::io::ErrorKind::AddrInUse);
        let text = cannot_listen("0.0.0.0:8080".parse().unwrap(), &error, Locale::En);
        assert!(text.contains("--listen"), "{text}");
        assert!(text.contains("8080"), "{text}");
        assert!(!text.contains('\n'));
    }
}
