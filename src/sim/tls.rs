//! The TLS listener: the same routes as the plain one, over rustls with the
//! embedded loopback certificate, for clients that refuse `http://`
//! authorities (MSAL accepts only `https://`).

use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

use super::keys::{TLS_CERT_PEM, TLS_KEY_PEM};
use super::server;
use super::state::Shared;

/// A client that has not finished its handshake by then is dropped.
const HANDSHAKE_LIMIT: Duration = Duration::from_secs(10);

fn invalid(err: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, err.to_string())
}

fn server_config() -> std::io::Result<ServerConfig> {
    let certs = CertificateDer::pem_slice_iter(TLS_CERT_PEM.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(invalid)?;
    let key = PrivateKeyDer::from_pem_slice(TLS_KEY_PEM.as_bytes()).map_err(invalid)?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(invalid)?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(invalid)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Serves HTTPS on `listener` until shutdown is requested on `shared`;
/// connections in flight then finish their current request.
pub fn spawn(listener: TcpListener, shared: Arc<Shared>) -> std::io::Result<JoinHandle<()>> {
    let acceptor = TlsAcceptor::from(Arc::new(server_config()?));
    let app = server::router(shared.clone());
    Ok(tokio::spawn(async move {
        let mut connections = JoinSet::new();
        loop {
            let accepted = tokio::select! {
                () = shared.shutdown_requested() => break,
                accepted = listener.accept() => accepted,
                Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            };
            let Ok((tcp, _)) = accepted else { continue };
            let (acceptor, app, shared) = (acceptor.clone(), app.clone(), shared.clone());
            connections.spawn(async move {
                let Ok(Ok(stream)) = tokio::time::timeout(HANDSHAKE_LIMIT, acceptor.accept(tcp)).await else {
                    return;
                };
                let connection = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
                tokio::pin!(connection);
                tokio::select! {
                    _ = connection.as_mut() => {}
                    () = shared.shutdown_requested() => {
                        connection.as_mut().graceful_shutdown();
                        let _ = connection.await;
                    }
                }
            });
        }
        while connections.join_next().await.is_some() {}
    }))
}
