use std::io::{BufRead, IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use guanxi_core::demo;
use guanxi_core::model::{Role, UserInput};
use guanxi_core::service::{Actor, Guanxi};
use guanxi_core::store::Store;

#[derive(Parser, Debug)]
#[command(
    name = "guanxi",
    version,
    about = "Guanxi CRM: one binary, one data folder",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// The folder holding the database, backups and uploads.
    #[arg(
        long,
        global = true,
        env = "GUANXI_DATA_DIR",
        default_value = "./guanxi-data"
    )]
    pub data_dir: PathBuf,
    /// With no subcommand, `guanxi` serves, and takes `serve`'s options.
    #[command(flatten)]
    pub serve: ServeArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// Where the log goes instead of stderr: a Windows service has no
    /// console, so it writes `guanxi.log` in its data folder.
    pub fn log_file(&self) -> Option<PathBuf> {
        match &self.command {
            Some(Command::Service(ServiceCommand::Run(_))) if cfg!(windows) => {
                Some(self.data_dir.join("guanxi.log"))
            }
            _ => None,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (the default).
    Serve(ServeArgs),
    /// Manage user accounts of a stopped server.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens of a stopped server.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Create the company and its first admin without the browser (the
    /// first-run page's alternative, for scripted installs); the password
    /// is read from standard input.
    Setup(SetupArgs),
    /// Check a stopped server's data: the file's integrity, every index
    /// against its records, and how many records there are. Exits non-zero
    /// on any problem.
    Check,
    /// Replace a stopped server's data with a snapshot (from `backups/` or
    /// downloaded from the admin pages), after checking the snapshot; the
    /// data it replaces is kept in `backups/`.
    Restore {
        /// The snapshot file (`.redb`).
        file: PathBuf,
    },
    /// Fill a new or empty data folder with realistic demo data.
    DemoData(DemoDataArgs),
    /// Run Guanxi as a service that starts with the machine (systemd on
    /// Linux, the service manager on Windows; needs root / administrator).
    #[command(subcommand)]
    Service(ServiceCommand),
    /// Replace this binary with a newer one; an installed service is stopped
    /// and started again around it.
    Upgrade {
        /// The new `guanxi` (or `guanxi.exe`) binary.
        new_binary: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum ServiceCommand {
    /// Register and start the service with this data folder and address.
    Install {
        #[command(flatten)]
        serve: ServeArgs,
        /// The account the server runs as (Linux; default: the one that ran
        /// sudo, else root).
        #[arg(long)]
        user: Option<String>,
    },
    /// Stop and remove the service; the data folder stays.
    Uninstall,
    /// Whether the service is installed and running.
    Status,
    /// What the Windows service manager starts; not for use by hand.
    #[command(hide = true)]
    Run(ServeArgs),
}

#[derive(Args, Debug, Clone)]
pub struct DemoDataArgs {
    /// `small` to try the product (5 users, 500 customers); `large` to
    /// measure it (50 users, 100,000 customers, a million activities).
    #[arg(long, value_parser = ["small", "large"])]
    pub size: String,
    /// The same seed on the same day gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Args, Debug, Clone)]
pub struct SetupArgs {
    #[arg(long)]
    pub company: String,
    #[arg(long)]
    pub admin_email: String,
    /// The admin's name as colleagues see it (default: the email's name).
    #[arg(long)]
    pub admin_name: Option<String>,
    /// ISO 4217 code.
    #[arg(long, default_value = "CNY")]
    pub currency: String,
    /// IANA name.
    #[arg(long, default_value = "Asia/Shanghai")]
    pub time_zone: String,
    #[arg(long, value_parser = ["zh-CN", "en"], default_value = "zh-CN")]
    pub language: String,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "GUANXI_LISTEN", default_value = "0.0.0.0:8080")]
    pub listen: SocketAddr,
    /// Serve HTTPS with this certificate chain (PEM); needs --tls-key.
    #[arg(long, env = "GUANXI_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, env = "GUANXI_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// A reverse proxy's address whose X-Forwarded-Proto and X-Forwarded-For
    /// are believed (repeat for several).
    #[arg(long, env = "GUANXI_TRUSTED_PROXY", value_delimiter = ',')]
    pub trusted_proxy: Vec<std::net::IpAddr>,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a user; the password is read from standard input.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = ["admin", "manager", "rep"])]
        role: String,
        #[arg(long)]
        team: Option<String>,
    },
    /// Set a new password, read from standard input; the user's sessions end.
    ResetPassword {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a personal API token for a user and print it.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

pub fn run(cli: Cli) -> Result<(), String> {
    // A double-clicked guanxi.exe has a console window but nobody who
    // typed a command: show them the page.
    let double_clicked = cfg!(windows) && cli.command.is_none() && std::env::args_os().len() == 1;
    let command = cli.command.unwrap_or(Command::Serve(cli.serve));
    match command {
        Command::Serve(args) => crate::serve::run(
            cli.data_dir,
            args.listen,
            crate::serve::ServeOptions {
                open_browser: double_clicked,
                stop: None,
                tls: match (&args.tls_cert, &args.tls_key) {
                    (Some(cert), Some(key)) => Some((cert.clone(), key.clone())),
                    _ => None,
                },
                trusted_proxies: args.trusted_proxy.clone(),
            },
        ),
        Command::Service(command) => service(&cli.data_dir, command),
        Command::Upgrade { new_binary } => crate::upgrade::upgrade(&new_binary),
        Command::User(UserCommand::Add {
            email,
            name,
            role,
            team,
        }) => {
            let gx = open(&cli.data_dir)?;
            let password = read_password("Password for the new user: ")?;
            let role = Role::parse(&role).ok_or("unknown role")?;
            let user = gx
                .create_user(
                    Actor::Console,
                    UserInput {
                        email,
                        name,
                        role,
                        team,
                    },
                    &password,
                )
                .map_err(describe)?;
            println!("added {} ({}) as {}", user.name, user.email, role.code());
            Ok(())
        }
        Command::User(UserCommand::ResetPassword { email }) => {
            let gx = open(&cli.data_dir)?;
            let user = gx.user_by_email(Actor::Console, &email).map_err(describe)?;
            let password = read_password("New password: ")?;
            gx.reset_password(Actor::Console, user.id, &password)
                .map_err(describe)?;
            println!(
                "password of {} reset; their sessions have ended",
                user.email
            );
            Ok(())
        }
        Command::DemoData(args) => demo_data(&cli.data_dir, &args),
        Command::Setup(args) => setup(&cli.data_dir, args),
        Command::Check => check(&cli.data_dir),
        Command::Restore { file } => restore(&cli.data_dir, &file),
        Command::Token(TokenCommand::Create { email, name }) => {
            let gx = open(&cli.data_dir)?;
            let user = gx.user_by_email(Actor::Console, &email).map_err(describe)?;
            let token = gx.create_token(&user, &name).map_err(describe)?;
            println!("{}", token.secret);
            Ok(())
        }
    }
}

fn service(data_dir: &std::path::Path, command: ServiceCommand) -> Result<(), String> {
    use crate::os_service::{self, Installation, State};
    match command {
        ServiceCommand::Install { serve, user } => {
            let user = user.or_else(|| std::env::var("SUDO_USER").ok().filter(|u| u != "root"));
            os_service::install(&Installation::new(data_dir, &serve, user)?)
        }
        ServiceCommand::Uninstall => os_service::uninstall(),
        ServiceCommand::Status => {
            let state = os_service::state()?;
            println!(
                "{}",
                match state {
                    State::NotInstalled => "not installed",
                    State::Stopped => "installed, stopped",
                    State::Running => "installed, running",
                    State::Other => "installed, starting, stopping or failed",
                }
            );
            Ok(())
        }
        #[cfg(windows)]
        ServiceCommand::Run(serve) => {
            os_service::run_as_service(Installation::new(data_dir, &serve, None)?)
        }
        #[cfg(not(windows))]
        ServiceCommand::Run(_) => Err(
            "`guanxi service run` is for the Windows service manager; use `guanxi serve`".into(),
        ),
    }
}

/// Generates demo data and says how to sign in to it.
fn demo_data(data_dir: &std::path::Path, args: &DemoDataArgs) -> Result<(), String> {
    let size = demo::Size::parse(&args.size).ok_or("unknown size")?;
    let options = demo::Options {
        size,
        seed: args.seed,
        today: demo::today_at(chrono::Utc::now()),
    };
    eprintln!(
        "writing {} demo data (seed {}) to {}",
        args.size,
        args.seed,
        data_dir.display()
    );
    let mut reported = std::time::Instant::now();
    let summary = demo::fill(data_dir, &options, &mut |done, total| {
        if done == total || reported.elapsed().as_secs() >= 5 {
            eprintln!("  {done} of {total} customers");
            reported = std::time::Instant::now();
        }
    })
    .map_err(|e| match e {
        demo::DemoError::Store(e) => describe(e),
        other => other.to_string(),
    })?;
    let c = &summary.counts;
    let d = &summary.deals;
    let of_role = |role| summary.users.iter().filter(|u| u.role == role).count();
    println!(
        "Demo data written to {} in {:.1} s:",
        data_dir.display(),
        summary.elapsed.as_secs_f64()
    );
    println!(
        "  users          {} (admins {}, managers {}, reps {})",
        c.users,
        of_role(Role::Admin),
        of_role(Role::Manager),
        of_role(Role::Rep)
    );
    println!("  customers      {}", c.customers);
    println!("  contacts       {}", c.contacts);
    println!(
        "  deals          {} ({} open, {} of them suspended and {} stalled; {} won, {} lost)",
        c.deals, d.open, d.suspended, d.stalled, d.won, d.lost
    );
    println!("  stage changes  {}", c.stage_changes);
    println!("  activities     {}", c.activities);
    println!("  tasks          {}", c.tasks);
    println!("  products       {}", c.products);
    println!("  contracts      {} ({} payments)", c.contracts, c.payments);
    println!("  stock moves    {}", c.stock_moves);
    println!("  expenses       {}", c.expenses);
    println!(
        "  data file      {:.1} MB ({})",
        summary.file_bytes as f64 / 1e6,
        summary.database.display()
    );
    println!();
    println!(
        "Start it with `guanxi serve --data-dir {}` and sign in as {} with the password {}.",
        data_dir.display(),
        demo::ADMIN_EMAIL,
        demo::PASSWORD
    );
    let example = |role| demo::first_of_role(&summary.users, role).map(|u| u.email.clone());
    println!(
        "Every demo user has the same password (a manager: {}; a rep: {}).",
        example(Role::Manager).unwrap_or_default(),
        example(Role::Rep).unwrap_or_default()
    );
    Ok(())
}

fn setup(data_dir: &std::path::Path, args: SetupArgs) -> Result<(), String> {
    let gx = Guanxi::new(Store::open(data_dir).map_err(|e| e.to_string())?);
    if gx.is_set_up().map_err(describe)? {
        return Err(describe(guanxi_core::Error::AlreadySetUp));
    }
    let password = read_password("Password for the admin: ")?;
    let admin_name = args.admin_name.unwrap_or_else(|| {
        args.admin_email
            .split('@')
            .next()
            .unwrap_or_default()
            .to_string()
    });
    let admin = gx
        .set_up(guanxi_core::model::SetupInput {
            company_name: args.company,
            currency: args.currency,
            time_zone: args.time_zone,
            default_locale: guanxi_core::model::Locale::parse(&args.language)
                .ok_or("unknown language")?,
            admin_name,
            admin_email: args.admin_email,
            admin_password: password,
        })
        .map_err(|e| describe_invalid(&e))?;
    println!(
        "set up; sign in as {} once `guanxi serve --data-dir {}` runs",
        admin.email,
        data_dir.display()
    );
    Ok(())
}

fn check(data_dir: &std::path::Path) -> Result<(), String> {
    let report = guanxi_core::store::check(data_dir).map_err(|e| e.to_string())?;
    print_summary(&report.summary);
    println!(
        "  file integrity {}",
        if report.file_intact { "ok" } else { "FAILED" }
    );
    if report.consistency.is_consistent() {
        println!("  indexes        consistent");
    } else {
        println!(
            "  indexes        {} problems:",
            report.consistency.problems.len()
        );
        for p in &report.consistency.problems {
            println!("    {}: {}", p.table, p.detail);
        }
    }
    if report.is_healthy() {
        Ok(())
    } else {
        Err(format!(
            "{} has problems; restore the newest good snapshot from its backups folder with `guanxi restore`",
            data_dir.display()
        ))
    }
}

fn restore(data_dir: &std::path::Path, file: &std::path::Path) -> Result<(), String> {
    let report = guanxi_core::store::restore(data_dir, file).map_err(|e| e.to_string())?;
    println!("restored {} into {}:", file.display(), data_dir.display());
    print_summary(&report.check.summary);
    if report.attachments > 0 {
        println!(
            "  {} attached files written back into {}",
            report.attachments,
            data_dir.join(guanxi_core::store::FILES_DIR).display()
        );
    }
    if let Some(aside) = report.kept_aside {
        println!("the data it replaced is kept as {}", aside.display());
    }
    Ok(())
}

fn print_summary(summary: &guanxi_core::store::SnapshotSummary) {
    let c = &summary.counts;
    println!("  schema version {}", summary.schema_version);
    println!("  users          {}", c.users);
    println!("  customers      {}", c.customers);
    println!("  contacts       {}", c.contacts);
    println!("  deals          {}", c.deals);
    println!("  activities     {}", c.activities);
    println!("  tasks          {}", c.tasks);
    if summary.attachments > 0 {
        println!(
            "  attached files {} (with their bytes)",
            summary.attachments
        );
    }
}

/// An input error names its field, so the admin knows which option to fix.
fn describe_invalid(e: &guanxi_core::Error) -> String {
    match e {
        guanxi_core::Error::Invalid { field, .. } => format!("{field:?}: {}", describe(e.clone())),
        other => describe(other.clone()),
    }
}

/// Opens the data folder for an admin command; fails clearly while a server
/// holds it, and before first-run setup.
fn open(data_dir: &std::path::Path) -> Result<Guanxi, String> {
    let store = Store::open(data_dir).map_err(|e| e.to_string())?;
    let gx = Guanxi::new(store);
    if !gx.is_set_up().map_err(describe)? {
        return Err(format!(
            "{} has not been set up yet: start `guanxi serve` and finish first-run setup in the browser first",
            data_dir.display()
        ));
    }
    Ok(gx)
}

fn describe(e: guanxi_core::Error) -> String {
    app::i18n::error_text(&e, guanxi_core::model::Locale::En)
}

/// A prompt without echo on a terminal; one line from a pipe otherwise.
fn read_password(prompt: &str) -> Result<String, String> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt).map_err(|e| e.to_string());
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let _ = std::io::stderr().flush();
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
