//! `guanxi service install|uninstall|status`: the server as a service that
//! starts with the machine and comes back after a crash: a systemd unit on
//! Linux, the service manager on Windows. Both run `guanxi serve` with the
//! data folder and address it was installed with, and stop it the graceful
//! way (SIGTERM, or the service manager's stop request).

use std::net::SocketAddr;
use std::path::PathBuf;

#[cfg(target_os = "linux")]
mod systemd;
#[cfg(target_os = "linux")]
pub use systemd::{install, start, state, stop, uninstall};

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub use windows::{install, run_as_service, start, state, stop, uninstall};

/// The service's name for systemd and the Windows service manager.
pub const NAME: &str = "guanxi";

/// What an installed service runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Installation {
    /// The binary, absolute.
    pub exe: PathBuf,
    /// The data folder, absolute: a service's working folder is not the
    /// one it was installed from.
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    /// Certificate chain and key (absolute) when the service serves HTTPS.
    pub tls: Option<(PathBuf, PathBuf)>,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The account the server runs as (Linux); `None` for root / LocalSystem.
    pub user: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    NotInstalled,
    Stopped,
    Running,
    /// Starting, stopping or failed: whatever the service manager says.
    Other,
}

impl Installation {
    /// Resolves the paths the service will need, creating the data folder so
    /// it can be made absolute (and so a typo shows now, not at boot).
    pub fn new(
        data_dir: &std::path::Path,
        serve: &crate::cli::ServeArgs,
        user: Option<String>,
    ) -> Result<Self, String> {
        let exe = std::env::current_exe()
            .map_err(|e| format!("cannot find this program's own path: {e}"))?;
        std::fs::create_dir_all(data_dir)
            .map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
        let data_dir = std::fs::canonicalize(data_dir)
            .map_err(|e| format!("cannot resolve {}: {e}", data_dir.display()))?;
        let absolute = |path: &PathBuf| {
            std::fs::canonicalize(path)
                .map(plain_path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))
        };
        let tls = match (&serve.tls_cert, &serve.tls_key) {
            (Some(cert), Some(key)) => Some((absolute(cert)?, absolute(key)?)),
            _ => None,
        };
        Ok(Installation {
            exe: plain_path(exe),
            data_dir: plain_path(data_dir),
            listen: serve.listen,
            tls,
            trusted_proxies: serve.trusted_proxy.clone(),
            user,
        })
    }

    /// What `serve` (or `service run`) is given: the folder, the address,
    /// and HTTPS and proxy options when installed with them.
    pub fn serve_args(&self) -> Vec<ServeArg> {
        let mut args = vec![
            ServeArg::Flag("--data-dir"),
            ServeArg::Path(self.data_dir.clone()),
            ServeArg::Flag("--listen"),
            ServeArg::Text(self.listen.to_string()),
        ];
        if let Some((cert, key)) = &self.tls {
            args.extend([
                ServeArg::Flag("--tls-cert"),
                ServeArg::Path(cert.clone()),
                ServeArg::Flag("--tls-key"),
                ServeArg::Path(key.clone()),
            ]);
        }
        if !self.trusted_proxies.is_empty() {
            let proxies: Vec<String> = self
                .trusted_proxies
                .iter()
                .map(|ip| ip.to_string())
                .collect();
            args.extend([
                ServeArg::Flag("--trusted-proxy"),
                ServeArg::Text(proxies.join(",")),
            ]);
        }
        args
    }

    #[cfg(windows)]
    pub fn serve_options(&self) -> crate::serve::ServeOptions {
        crate::serve::ServeOptions {
            open_browser: false,
            stop: None,
            tls: self.tls.clone(),
            trusted_proxies: self.trusted_proxies.clone(),
        }
    }
}

/// One word of the service's command line; paths are quoted by each
/// service manager in its own way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServeArg {
    Flag(&'static str),
    Path(PathBuf),
    Text(String),
}

impl ServeArg {
    #[cfg_attr(not(windows), allow(dead_code))]
    pub fn to_os_string(&self) -> std::ffi::OsString {
        match self {
            ServeArg::Flag(flag) => (*flag).into(),
            ServeArg::Path(path) => path.clone().into_os_string(),
            ServeArg::Text(text) => text.into(),
        }
    }
}

/// Windows' canonical paths carry the `\\?\` prefix, which the service
/// manager's command line and people reading it do not need.
fn plain_path(path: PathBuf) -> PathBuf {
    match path.to_str().and_then(|p| p.strip_prefix(r"\\?\")) {
        Some(plain) if !plain.starts_with("UNC\\") => PathBuf::from(plain),
        _ => path,
    }
}

#[cfg(not(any(target_os = "linux", windows)))]
mod unsupported {
    use super::{Installation, State};

    const WHY: &str = "`guanxi service` knows systemd (Linux) and the Windows service manager; on this system start `guanxi serve` from the system's own service facility (launchd on macOS)";

    pub fn install(_: &Installation) -> Result<(), String> {
        Err(WHY.into())
    }
    pub fn uninstall() -> Result<(), String> {
        Err(WHY.into())
    }
    pub fn state() -> Result<State, String> {
        Ok(State::NotInstalled)
    }
    pub fn start() -> Result<(), String> {
        Err(WHY.into())
    }
    pub fn stop() -> Result<(), String> {
        Err(WHY.into())
    }
}
#[cfg(not(any(target_os = "linux", windows)))]
pub use unsupported::{install, start, state, stop, uninstall};
