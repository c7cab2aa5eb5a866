//! The systemd unit: written to /etc/systemd/system, enabled and started
//! with systemctl.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Installation, NAME, ServeArg, State};

fn unit_path() -> PathBuf {
    PathBuf::from(format!("/etc/systemd/system/{NAME}.service"))
}

/// The unit file's text. `Restart=on-failure` brings a crashed server back;
/// a `systemctl stop` sends SIGTERM, on which the server finishes in-flight
/// requests and closes the database.
pub fn unit_text(installation: &Installation) -> String {
    let mut exec = vec![quote(&installation.exe), "serve".to_string()];
    exec.extend(installation.serve_args().iter().map(|arg| match arg {
        ServeArg::Flag(flag) => flag.to_string(),
        ServeArg::Path(path) => quote(path),
        ServeArg::Text(text) => text.clone(),
    }));
    let exec = exec.join(" ");
    let user = installation
        .user
        .as_deref()
        .map(|user| format!("User={user}\n"))
        .unwrap_or_default();
    format!(
        "[Unit]\n\
         Description=Guanxi CRM\n\
         After=network-online.target\n\
         Wants=network-online.target\n\
         \n\
         [Service]\n\
         Type=simple\n\
         {user}\
         WorkingDirectory={dir}\n\
         ExecStart={exec}\n\
         Restart=on-failure\n\
         RestartSec=3\n\
         KillSignal=SIGTERM\n\
         TimeoutStopSec=60\n\
         \n\
         [Install]\n\
         WantedBy=multi-user.target\n",
        // WorkingDirectory= takes the rest of the line as the path, quotes
        // included, so only the specifier character is escaped there.
        dir = installation.data_dir.to_string_lossy().replace('%', "%%"),
    )
}

/// A path as one systemd command-line word: in double quotes, with the
/// quote, backslash and systemd's own specifier character escaped.
fn quote(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '%' => out.push_str("%%"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn install(installation: &Installation) -> Result<(), String> {
    if let Some(user) = &installation.user {
        give_folder_to(user, &installation.data_dir)?;
    }
    let path = unit_path();
    std::fs::write(&path, unit_text(installation)).map_err(|e| {
        format!(
            "cannot write {}: {e} (installing a service needs root: run it with sudo)",
            path.display()
        )
    })?;
    systemctl(&["daemon-reload"])?;
    systemctl(&["enable", "--now", &format!("{NAME}.service")])?;
    println!(
        "installed {}: Guanxi now starts with this machine (data {}, listening on {})",
        path.display(),
        installation.data_dir.display(),
        installation.listen
    );
    Ok(())
}

/// `sudo guanxi service install` creates the data folder as root, but the
/// service runs as the user: without this it could not open its own file.
fn give_folder_to(user: &str, folder: &Path) -> Result<(), String> {
    let status = Command::new("chown")
        .arg("-R")
        .arg(format!("{user}:"))
        .arg(folder)
        .status()
        .map_err(|e| format!("cannot run chown: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "cannot give {} to the user {user} ({status}); is that a user of this machine?",
            folder.display()
        ))
    }
}

pub fn uninstall() -> Result<(), String> {
    let path = unit_path();
    if !path.exists() {
        return Err(format!(
            "no Guanxi service is installed ({} does not exist)",
            path.display()
        ));
    }
    systemctl(&["disable", "--now", &format!("{NAME}.service")])?;
    std::fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
    systemctl(&["daemon-reload"])?;
    println!("removed {}; the data folder is untouched", path.display());
    Ok(())
}

pub fn state() -> Result<State, String> {
    if !unit_path().exists() {
        return Ok(State::NotInstalled);
    }
    let out = Command::new("systemctl")
        .args(["is-active", &format!("{NAME}.service")])
        .output()
        .map_err(|e| format!("cannot run systemctl: {e}"))?;
    Ok(match String::from_utf8_lossy(&out.stdout).trim() {
        "active" => State::Running,
        "inactive" => State::Stopped,
        _ => State::Other,
    })
}

pub fn start() -> Result<(), String> {
    systemctl(&["start", &format!("{NAME}.service")])
}

pub fn stop() -> Result<(), String> {
    systemctl(&["stop", &format!("{NAME}.service")])
}

fn systemctl(args: &[&str]) -> Result<(), String> {
    let status = Command::new("systemctl")
        .args(args)
        .status()
        .map_err(|e| format!("cannot run systemctl (is this a systemd system?): {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`systemctl {}` failed ({status})", args.join(" ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_runs_serve_with_the_installed_folder_and_address() {
        let text = unit_text(&Installation {
            exe: "/opt/guanxi/guanxi".into(),
            data_dir: "/srv/客户 数据/100%".into(),
            listen: "0.0.0.0:8080".parse().unwrap(),
            tls: None,
            trusted_proxies: vec![],
            user: Some("crm".into()),
        });
        assert!(text.contains(
            "ExecStart=\"/opt/guanxi/guanxi\" serve --data-dir \"/srv/客户 数据/100%%\" --listen 0.0.0.0:8080\n"
        ), "{text}");
        assert!(text.contains("WorkingDirectory=/srv/客户 数据/100%%\n"));
        assert!(text.contains("User=crm\n"));
        assert!(text.contains("Restart=on-failure\n"));
        assert!(text.contains("KillSignal=SIGTERM\n"));
        assert!(text.contains("WantedBy=multi-user.target\n"));
    }

    #[test]
    fn without_a_user_the_unit_names_none() {
        let text = unit_text(&Installation {
            exe: "/usr/local/bin/guanxi".into(),
            data_dir: "/var/lib/guanxi".into(),
            listen: "192.168.1.20:80".parse().unwrap(),
            tls: None,
            trusted_proxies: vec![],
            user: None,
        });
        assert!(!text.contains("User="));
        assert!(text.contains("--listen 192.168.1.20:80\n"));
    }

    /// systemd's own parser is the judge: `systemd-analyze verify` loads
    /// the unit offline (no running systemd needed) and fails on a setting
    /// it would refuse at install time, such as a quoted WorkingDirectory.
    #[test]
    fn systemd_accepts_the_unit_for_a_folder_with_spaces_chinese_and_percent() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("客户 数据").join("100%");
        std::fs::create_dir_all(&data_dir).unwrap();
        let exe = dir.path().join("guanxi app");
        std::fs::copy("/bin/true", &exe).unwrap();
        let unit = dir.path().join(format!("{NAME}.service"));
        std::fs::write(
            &unit,
            unit_text(&Installation {
                exe,
                data_dir,
                listen: "0.0.0.0:8443".parse().unwrap(),
                tls: Some((dir.path().join("证书 1.pem"), dir.path().join("key.pem"))),
                trusted_proxies: vec!["10.0.0.1".parse().unwrap()],
                user: None,
            }),
        )
        .unwrap();
        let out = Command::new("systemd-analyze")
            .args(["verify", "--man=no"])
            .arg(&unit)
            .output()
            .expect(
                "systemd-analyze (Debian: apt-get install systemd; `cargo xtask test` installs it)",
            );
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn an_https_service_gets_its_certificate_key_and_proxies() {
        let text = unit_text(&Installation {
            exe: "/opt/guanxi/guanxi".into(),
            data_dir: "/var/lib/guanxi".into(),
            listen: "0.0.0.0:443".parse().unwrap(),
            tls: Some(("/etc/guanxi/cert.pem".into(), "/etc/guanxi/key.pem".into())),
            trusted_proxies: vec!["10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap()],
            user: None,
        });
        assert!(
            text.contains(
                "--listen 0.0.0.0:443 --tls-cert \"/etc/guanxi/cert.pem\" --tls-key \"/etc/guanxi/key.pem\" --trusted-proxy 10.0.0.1,10.0.0.2\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(quote(Path::new("/a\"b\\c")), "\"/a\\\"b\\\\c\"");
    }
}
