//! The command line: `serve` runs the server (optionally with the demo), `org` manages
//! organisations and their tokens, `migrate` brings the database's schema up to date,
//! `backup` and `restore` copy the SQLite database out and back.

use crate::api::account::issue_invitation;
use crate::config::Settings;
use crate::server::{Server, shutdown_signal};
use crate::store::{self, Store};
use crate::{demo, token};
use clap::{Parser, Subcommand};
use concerto_core::{OrgId, Origin, limits};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Concerto's collection server.
#[derive(Debug, Parser)]
#[command(name = "concerto-server", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server.
    Serve {
        // Boxed: the settings are most of the enum's size, and the other commands need none.
        #[command(flatten)]
        settings: Box<Settings>,
        /// Also create the demo consultation and serve a demo partner page.
        #[arg(long)]
        demo: bool,
        /// Where the demo partner page listens (a second origin).
        #[arg(long, default_value = "127.0.0.1:8081")]
        demo_listen: SocketAddr,
    },
    /// Manage organisations.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
        /// Directory holding the SQLite database.
        #[arg(long, env = "CONCERTO_DATA_DIR", default_value = "data", global = true)]
        data_dir: PathBuf,
        /// PostgreSQL database to use instead of SQLite.
        #[arg(
            long,
            env = "CONCERTO_DATABASE_URL",
            hide_env_values = true,
            global = true
        )]
        database_url: Option<String>,
        /// URL at which organisers reach this server, for invitation links.
        #[arg(
            long,
            env = "CONCERTO_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080",
            global = true
        )]
        public_url: String,
        /// Hours an invitation link stays usable.
        #[arg(
            long,
            env = "CONCERTO_INVITATION_LIFETIME_HOURS",
            default_value_t = 7 * 24,
            global = true
        )]
        invitation_lifetime_hours: u32,
    },
    /// Bring the database's schema up to date, then exit (`serve` does it too when it starts).
    Migrate {
        /// Directory holding the SQLite database.
        #[arg(long, env = "CONCERTO_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
        /// PostgreSQL database to migrate instead of SQLite.
        #[arg(long, env = "CONCERTO_DATABASE_URL", hide_env_values = true)]
        database_url: Option<String>,
    },
    /// Write a consistent copy of the SQLite database to a file, while servers keep running
    /// (PostgreSQL: use pg_dump).
    Backup {
        /// The file to write.
        #[arg(long)]
        to: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
        /// Directory holding the SQLite database.
        #[arg(long, env = "CONCERTO_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
        /// A PostgreSQL database is refused: pg_dump backs it up.
        #[arg(long, env = "CONCERTO_DATABASE_URL", hide_env_values = true)]
        database_url: Option<String>,
    },
    /// Check a backup and make it the SQLite database of a data directory that no server is
    /// using (PostgreSQL: use pg_restore).
    Restore {
        /// The backup file, as `backup` wrote it.
        #[arg(long)]
        from: PathBuf,
        /// Replace the data directory's database if it has one.
        #[arg(long)]
        force: bool,
        /// Directory to hold the SQLite database (created if missing).
        #[arg(long, env = "CONCERTO_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
        /// A PostgreSQL database is refused: pg_restore restores it.
        #[arg(long, env = "CONCERTO_DATABASE_URL", hide_env_values = true)]
        database_url: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum OrgCommand {
    /// Create an organisation and print its id, first token and an invitation link for its
    /// first organiser.
    Create {
        /// Its name, as organisers know it.
        #[arg(long)]
        name: String,
    },
    /// Issue another token for an organisation.
    Token {
        /// The organisation's id.
        #[arg(long)]
        org: String,
    },
    /// Print another invitation link for an organisation (if its first one was lost).
    Invite {
        /// The organisation's id.
        #[arg(long)]
        org: String,
    },
}

/// Where invitation links point and how long they last.
struct InviteSettings {
    public_url: String,
    lifetime: time::Duration,
}

/// Runs one command.
pub async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Serve {
            settings,
            demo,
            demo_listen,
        } => serve(*settings, demo.then_some(demo_listen)).await,
        Command::Org {
            command,
            data_dir,
            database_url,
            public_url,
            invitation_lifetime_hours,
        } => {
            let store = store::open(database_url.as_deref(), &data_dir)
                .await
                .map_err(|e| format!("cannot open the store: {e}"))?;
            let invite = InviteSettings {
                public_url: format!("{}/", public_url.trim_end_matches('/')),
                lifetime: time::Duration::hours(invitation_lifetime_hours.into()),
            };
            org(store.as_ref(), command, &invite).await
        }
        Command::Migrate {
            data_dir,
            database_url,
        } => {
            store::migrate(database_url.as_deref(), &data_dir)
                .await
                .map_err(|e| format!("cannot migrate the store: {e}"))?;
            println!("schema up to date");
            Ok(())
        }
        Command::Backup {
            to,
            force,
            data_dir,
            database_url,
        } => {
            let (summary, to) = off_thread("backup", move || {
                let mut report = ProgressReport::new();
                let mut show = |p| report.show(p);
                store::backup(database_url.as_deref(), &data_dir, &to, force, &mut show)
                    .map(|summary| (summary, to))
            })
            .await?;
            println!(
                "backup written to {}: {}",
                to.display(),
                described(&summary)
            );
            Ok(())
        }
        Command::Restore {
            from,
            force,
            data_dir,
            database_url,
        } => {
            let (summary, data_dir) = off_thread("restore", move || {
                store::restore(database_url.as_deref(), &from, &data_dir, force)
                    .map(|summary| (summary, data_dir))
            })
            .await?;
            println!(
                "restored into {}: {}",
                data_dir.display(),
                described(&summary)
            );
            Ok(())
        }
    }
}

/// Shows a long backup's progress on stderr, about once a second; a quick one says nothing.
struct ProgressReport {
    last: std::time::Instant,
}

impl ProgressReport {
    fn new() -> Self {
        Self {
            last: std::time::Instant::now(),
        }
    }

    fn show(&mut self, p: store::BackupProgress) {
        if p.copied < p.total && self.last.elapsed() >= std::time::Duration::from_secs(1) {
            self.last = std::time::Instant::now();
            eprintln!(
                "backup: {}% ({} of {} pages)",
                p.copied * 100 / p.total.max(1),
                p.copied,
                p.total
            );
        }
    }
}

/// Runs the file copy `f` of a backup or a restore off the async threads; its error, or the
/// thread's, said as `what` failing.
async fn off_thread<T, E>(
    what: &str,
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, String>
where
    T: Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| format!("{what} failed: {e}"))?
        .map_err(|e| format!("{what} failed: {e}"))
}

fn described(s: &store::BackupSummary) -> String {
    format!(
        "{} consultations, {} answers, schema version {}, {} bytes",
        s.consultations, s.answers, s.schema_version, s.bytes
    )
}

async fn print_invitation(
    store: &dyn Store,
    org: &OrgId,
    settings: &InviteSettings,
) -> Result<(), String> {
    let invitation = issue_invitation(
        store,
        org,
        None,
        &settings.public_url,
        time::OffsetDateTime::now_utc(),
        settings.lifetime,
    )
    .await
    .map_err(|e| e.to_string())?;
    println!("invitation for the first organiser: {}", invitation.url);
    let until = invitation
        .expires_at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    println!("(single use, until {until}; send it to the organiser)");
    Ok(())
}

async fn org(
    store: &dyn Store,
    command: OrgCommand,
    invite: &InviteSettings,
) -> Result<(), String> {
    let (org, token, first) = match command {
        OrgCommand::Create { name } => {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > limits::ORG_NAME_MAX {
                return Err(format!(
                    "--name must have 1 to {} characters",
                    limits::ORG_NAME_MAX
                ));
            }
            let id = OrgId::parse(token::random_id(10)).map_err(|e| e.to_string())?;
            store
                .create_org(&id, name)
                .await
                .map_err(|e| e.to_string())?;
            (id, token::generate(), true)
        }
        OrgCommand::Token { org } => {
            let id = OrgId::parse(org).map_err(|e| format!("--org {e}"))?;
            if !store.org_exists(&id).await.map_err(|e| e.to_string())? {
                return Err(format!("no organisation {id}"));
            }
            (id, token::generate(), false)
        }
        OrgCommand::Invite { org } => {
            let id = OrgId::parse(org).map_err(|e| format!("--org {e}"))?;
            if !store.org_exists(&id).await.map_err(|e| e.to_string())? {
                return Err(format!("no organisation {id}"));
            }
            return print_invitation(store, &id, invite).await;
        }
    };
    store
        .add_token(&org, &token::hash(&token))
        .await
        .map_err(|e| e.to_string())?;
    println!("organisation: {org}");
    println!("token: {token}");
    println!("(the token is shown only now; it is stored hashed)");
    if first {
        print_invitation(store, &org, invite).await?;
    }
    Ok(())
}

async fn serve(settings: Settings, demo_listen: Option<SocketAddr>) -> Result<(), String> {
    let server = Server::bind(&settings).await?;
    let base = server.state.public_url.clone();
    tracing::info!(addr = %server.addr, "Concerto server listening");
    println!("Concerto server: {base}");
    if let Some(demo_addr) = demo_listen {
        let listener = crate::server::listen(demo_addr)
            .map_err(|e| format!("cannot listen on {demo_addr} for the demo page: {e}"))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let origins: Vec<Origin> = [
            format!("http://127.0.0.1:{port}"),
            format!("http://localhost:{port}"),
        ]
        .iter()
        .filter_map(|o| Origin::parse(o).ok())
        .collect();
        let token = demo::seed(server.state.store.as_ref(), &settings.data_dir, &origins).await?;
        let site = demo::host_site(&base);
        tokio::spawn(async move {
            let _ = axum::serve(listener, site).await;
        });
        println!("Demo partner page (another origin): http://localhost:{port}/");
        println!(
            "Standalone page (link / QR code):  {base}p/{}",
            demo::DEMO_POLL
        );
        println!("Organiser token (demo):            {token}");
        println!(
            "Export the answers:                curl -H 'Authorization: Bearer {token}' {base}api/v1/org/polls/{}/export.csv",
            demo::DEMO_POLL
        );
        // A fresh invitation each run, so a dashboard account is always one click away.
        let org = OrgId::parse(demo::DEMO_ORG).map_err(|e| e.to_string())?;
        let invitation = issue_invitation(
            server.state.store.as_ref(),
            &org,
            None,
            &base,
            server.state.clock.now(),
            server.state.invitation_lifetime,
        )
        .await
        .map_err(|e| e.to_string())?;
        println!("Organiser invitation (demo):       {}", invitation.url);
    }
    server.run(shutdown_signal()).await
}
