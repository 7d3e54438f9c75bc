//! Binding and running the HTTP server, shared by the CLI and the black-box tests.

use crate::app::app;
use crate::config::Settings;
use crate::connections::{self, ConnectionLimits};
use crate::proxy::{ClientAddr, TrustedProxies};
use crate::state::AppState;
use crate::store;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::{TcpListener, TcpSocket};
use tower::ServiceExt;

/// Connections the kernel completes before the server accepts them (capped by the system's
/// `somaxconn`). The standard library asks for 128: a burst of residents arriving at once (a
/// consultation announced on local radio) overflowed it, and each connection dropped waited
/// the second of a SYN retransmission (a quarter of them, for 250 phones arriving together).
const LISTEN_BACKLOG: u32 = 4096;

/// How long a shutdown waits for the requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// A server bound to its address, ready to run.
pub struct Server {
    listener: TcpListener,
    limits: ConnectionLimits,
    header_timeout: Duration,
    proxies: TrustedProxies,
    /// The address actually bound (useful with port 0).
    pub addr: SocketAddr,
    /// The state its handlers share.
    pub state: AppState,
    /// Held while serving, so that a restore into the same data directory refuses.
    data_dir_lock: store::DataDirLock,
}

impl Server {
    /// Opens the store and binds the listener.
    pub async fn bind(settings: &Settings) -> Result<Self, String> {
        let data_dir_lock =
            store::lock_data_dir(settings.database_url.as_deref(), &settings.data_dir)
                .map_err(|e| format!("cannot open the store: {e}"))?;
        let store = store::open(settings.database_url.as_deref(), &settings.data_dir)
            .await
            .map_err(|e| format!("cannot open the store: {e}"))?;
        let listener = listen(settings.listen)
            .map_err(|e| format!("cannot listen on {}: {e}", settings.listen))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let public_url = settings
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"));
        let state = AppState::new(store, settings, &public_url)?;
        let total = connections::cap_for(settings.max_connections, connections::raise_file_limit());
        Ok(Self {
            listener,
            limits: ConnectionLimits::new(total, settings.max_connections_per_address.max(1)),
            header_timeout: Duration::from_secs(settings.header_timeout_seconds.max(1)),
            proxies: TrustedProxies::parse(&settings.trusted_proxy)
                .map_err(|e| format!("--trusted-proxy: {e}"))?,
            addr,
            state,
            data_dir_lock,
        })
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    ///
    /// Connections are accepted here rather than by `axum::serve`, which sets no timer: a
    /// connection that sends no complete request headers within the header timeout (also
    /// between two requests on a kept-alive one) is closed, and connections beyond the
    /// limits are closed at once, so that a client holding many idle connections cannot
    /// exhaust the open files other clients need.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), String> {
        let stop = self.state.shutdown.clone();
        // Held until every request is done (the end of this function).
        let _data_dir_lock = self.data_dir_lock;
        let router = app(self.state.clone());
        let mut http = http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(self.header_timeout)
            .keep_alive(true);
        let graceful = GracefulShutdown::new();
        tokio::pin!(shutdown);
        loop {
            let (stream, peer) = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of file descriptors, most likely: wait for some to close
                        // rather than spin.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
                () = &mut shutdown => break,
            };
            let Some(slot) = self.limits.admit(peer.ip()) else {
                // Not the address: no log line names a client.
                tracing::debug!("connection refused: limit reached");
                continue;
            };
            let _ = stream.set_nodelay(true);
            let (router, proxies) = (router.clone(), self.proxies.clone());
            let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
                // What `into_make_service_with_connect_info` would give the handlers, and the
                // client behind the trusted proxies.
                let client = proxies.client(peer.ip(), req.headers());
                req.extensions_mut().insert(ConnectInfo(peer));
                req.extensions_mut().insert(ClientAddr(client));
                router.clone().oneshot(req.map(Body::new))
            });
            let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
            let counted = self.state.metrics.connection_opened();
            tokio::spawn(async move {
                let _ = conn.await;
                drop((slot, counted));
            });
        }
        // Live event streams end, then the connections close once their requests are done.
        stop.send_replace(true);
        drop(self.listener);
        // A client that stopped reading would hold the shutdown forever: not past a deadline.
        if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
            .await
            .is_err()
        {
            tracing::warn!("connections still open at the end of the shutdown grace: closed");
        }
        Ok(())
    }
}

/// A listener on `addr` with a backlog of [`LISTEN_BACKLOG`], reusing the address as the
/// standard library's `bind` does (a restart does not wait for the old connections' timeouts).
pub fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
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
