//! A hivewire server started in-process on a free port, for the integration tests.

#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use std::net::SocketAddr;

use hivewire::config::Config;
use hivewire::server::RunningServer;
use tempfile::TempDir;

/// A running server on its own data directory.
pub struct TestServer {
    pub server: Option<RunningServer>,
    pub addr: SocketAddr,
    pub data: TempDir,
}

impl TestServer {
    /// Starts a server with PostgreSQL on 127.0.0.1:0 and HiveServer2 off.
    pub async fn start() -> TestServer {
        let data = tempfile::tempdir().expect("temp dir");
        Self::start_in(data).await
    }

    /// Starts a server on an existing data directory (to test restarts).
    pub async fn start_in(data: TempDir) -> TestServer {
        Self::start_configured(data, |_| {}).await
    }

    /// Starts a server with settings of the test's own on top of the defaults above.
    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> TestServer {
        let data = tempfile::tempdir().expect("temp dir");
        Self::start_configured(data, adjust).await
    }

    async fn start_configured(data: TempDir, adjust: impl FnOnce(&mut Config)) -> TestServer {
        let mut config = Config::default();
        config.server.data_dir = data.path().to_path_buf();
        config.server.shutdown_timeout_secs = 5;
        config.postgres.listen = "127.0.0.1:0".into();
        config.hiveserver2.enabled = false;
        adjust(&mut config);
        let server = hivewire::server::start(&config).await.expect("server starts");
        let addr = server.postgres_addr.expect("postgres listens");
        TestServer { server: Some(server), addr, data }
    }

    /// A connection string for the catalog database.
    pub fn conninfo(&self) -> String {
        format!("host={} port={} user=tester dbname=hivewire", self.addr.ip(), self.addr.port())
    }

    /// Connects tokio-postgres and drives the connection in the background.
    pub async fn connect(&self) -> tokio_postgres::Client {
        let (client, connection) =
            tokio_postgres::connect(&self.conninfo(), tokio_postgres::NoTls).await.expect("connects");
        tokio::spawn(async move {
            let _ = connection.await;
        });
        client
    }

    /// Stops the server and hands back its data directory.
    pub async fn stop(mut self) -> TempDir {
        if let Some(s) = self.server.take() {
            s.shutdown().await;
        }
        self.data
    }
}
