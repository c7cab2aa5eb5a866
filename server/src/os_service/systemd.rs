//! The systemd unit: written to /etc/systemd/system, enabled and started
//! with systemctl.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Installation, NAME, State};

fn unit_path() -> PathBuf {
    PathBuf::from(format!("/etc/systemd/system/{NAME}.service"))
}

/// The unit file's text. `Restart=on-failure` brings a crashed server back;
/// a `systemctl stop` sends SIGTERM, on which the server finishes in-flight
/// requests and closes the database.
pub fn unit_text(installation: &Installation) -> String {
    let exec = [
        quote(&installation.exe),
        "serve".into(),
        "--data-dir".into(),
        quote(&installation.data_dir),
        "--listen".into(),
        installation.listen.to_string(),
    ]
    .join(" ");
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
        dir = quote(&installation.data_dir),
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
            user: Some("crm".into()),
        });
        assert!(text.contains(
            "ExecStart=\"/opt/guanxi/guanxi\" serve --data-dir \"/srv/客户 数据/100%%\" --listen 0.0.0.0:8080\n"
        ), "{text}");
        assert!(text.contains("WorkingDirectory=\"/srv/客户 数据/100%%\"\n"));
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
            user: None,
        });
        assert!(!text.contains("User="));
        assert!(text.contains("--listen 192.168.1.20:80\n"));
    }

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(quote(Path::new("/a\"b\\c")), "\"/a\\\"b\\\\c\"");
    }
}
