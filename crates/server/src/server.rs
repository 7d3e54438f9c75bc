//! Binding and running the HTTP server, shared by the CLI and the black-box tests.

use crate::app::app;
use crate::config::Settings;
use crate::state::AppState;
use crate::store;
use std::future::Future;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// A server bound to its address, ready to run.
pub struct Server {
    listener: TcpListener,
    /// The address actually bound (useful with port 0).
    pub addr: SocketAddr,
    /// The state its handlers share.
    pub state: AppState,
}

impl Server {
    /// Opens the store and binds the listener.
    pub async fn bind(settings: &Settings) -> Result<Self, String> {
        let store = store::open(settings.database_url.as_deref(), &settings.data_dir)
            .await
            .map_err(|e| format!("cannot open the store: {e}"))?;
        let listener = TcpListener::bind(settings.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", settings.listen))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let public_url = settings
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"));
        let state = AppState::new(store, settings, &public_url)?;
        Ok(Self {
            listener,
            addr,
            state,
        })
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), String> {
        let stop = self.state.shutdown.clone();
        let shutdown = async move {
            shutdown.await;
            stop.send_replace(true);
        };
        let service = app(self.state).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(|e| e.to_string())
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
