//! The command line: `serve` runs the server (optionally with the demo), `org` manages
//! organisations and their tokens.

use crate::config::Settings;
use crate::server::{Server, shutdown_signal};
use crate::store::{SqliteStore, Store};
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
        #[command(flatten)]
        settings: Settings,
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
    },
}

#[derive(Debug, Subcommand)]
enum OrgCommand {
    /// Create an organisation and print its id and first token.
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
}

/// Runs one command.
pub async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Serve {
            settings,
            demo,
            demo_listen,
        } => serve(settings, demo.then_some(demo_listen)).await,
        Command::Org { command, data_dir } => {
            let store = SqliteStore::open(&data_dir).map_err(|e| e.to_string())?;
            org(&store, command).await
        }
    }
}

async fn org(store: &dyn Store, command: OrgCommand) -> Result<(), String> {
    let (org, token) = match command {
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
            (id, token::generate())
        }
        OrgCommand::Token { org } => {
            let id = OrgId::parse(org).map_err(|e| format!("--org {e}"))?;
            if !store.org_exists(&id).await.map_err(|e| e.to_string())? {
                return Err(format!("no organisation {id}"));
            }
            (id, token::generate())
        }
    };
    store
        .add_token(&org, &token::hash(&token))
        .await
        .map_err(|e| e.to_string())?;
    println!("organisation: {org}");
    println!("token: {token}");
    println!("(the token is shown only now; it is stored hashed)");
    Ok(())
}

async fn serve(settings: Settings, demo_listen: Option<SocketAddr>) -> Result<(), String> {
    let server = Server::bind(&settings).await?;
    let base = server.state.public_url.clone();
    tracing::info!(addr = %server.addr, "Concerto server listening");
    println!("Concerto server: {base}");
    if let Some(demo_addr) = demo_listen {
        let listener = tokio::net::TcpListener::bind(demo_addr)
            .await
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
    }
    server.run(shutdown_signal()).await
}
