//! `dossier serve`: the archive in a browser. The HTTP layer is `crates/serve`; this file only
//! parses the options and passes in the analysis `dossier ingest` runs, for ingest over HTTP.

use dossier::Options;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub store: super::archive::StoreArg,
    /// The address to listen on (loopback by default; port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:8484")]
    pub bind: SocketAddr,
    /// Accept ingest (POST /api/ingest) from requests bearing this token
    /// (`Authorization: Bearer TOKEN`); without it the server is read-only. Also from
    /// $DOSSIER_TOKEN.
    #[arg(long, env = "DOSSIER_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// The largest request body (ingest), in MiB.
    #[arg(long, default_value_t = 16)]
    pub max_body_mib: usize,
    /// The longest a request may take, in seconds.
    #[arg(long, default_value_t = 30)]
    pub timeout_s: u64,
    /// Search results kept in memory (0: none); an ingest empties it.
    #[arg(long, default_value_t = 4096)]
    pub cache_entries: usize,
}

/// One posted input through the same steps as `dossier ingest`: read and split into records,
/// each analysed by the pipeline (a panic fails that record only).
fn analyser() -> dossier_serve::Analyser {
    Arc::new(|name: &str, bytes: &[u8]| {
        let options = Options::default();
        let raws = match std::panic::catch_unwind(|| dossier_ingest::read_input(name, bytes)) {
            Ok(Ok(raws)) => raws,
            Ok(Err(e)) => return vec![Err(e.to_string())],
            Err(_) => return vec![Err(format!("{name}: internal error while reading"))],
        };
        raws.into_iter()
            .map(|raw| super::archive::analyse(raw, &options))
            .collect()
    })
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dir = args
        .store
        .store
        .clone()
        .unwrap_or_else(dossier_archive::default_store_dir);
    let mut config = dossier_serve::Config::new(dir.clone());
    config.max_body = args.max_body_mib.max(1) << 20;
    config.timeout = std::time::Duration::from_secs(args.timeout_s.max(1));
    config.cache_entries = args.cache_entries;
    if let Some(t) = args.token {
        dossier::pipeline::warm_up_in_background();
        config.token = Some(t);
        config.analyser = Some(analyser());
    }
    if !args.bind.ip().is_loopback() {
        eprintln!(
            "dossier: warning: listening on {} — not loopback: anyone who reaches it reads the archive",
            args.bind
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.bind).await?;
        let addr = listener.local_addr()?;
        eprintln!(
            "dossier: serving {} {} at http://{addr}/ (Ctrl-C stops)",
            dir.display(),
            if config.token.is_some() {
                "(ingest with the token)"
            } else {
                "(read-only)"
            }
        );
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        dossier_serve::serve(config, listener, shutdown)
            .await
            .map_err(|e| anyhow::anyhow!(e))?;
        Ok(ExitCode::SUCCESS)
    })
}
