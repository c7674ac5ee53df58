//! The archive commands: `ingest` (pipeline + archive writer), and the readers `search`,
//! `stories`, `story`, `entity`, `export`.

use anyhow::Context;
use dossier::Options;
use dossier_archive::query::{self, SearchQuery};
use dossier_archive::{Archive, Outcome, Prepared, SqliteStore};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct StoreArg {
    /// The archive directory (default: $DOSSIER_STORE, else ~/.local/share/dossier/archive).
    #[arg(long)]
    pub store: Option<PathBuf>,
}

impl StoreArg {
    fn dir(&self) -> PathBuf {
        self.store
            .clone()
            .unwrap_or_else(dossier_archive::default_store_dir)
    }
    fn reader(&self) -> anyhow::Result<SqliteStore> {
        Ok(SqliteStore::open_read_only(&self.dir())?)
    }
}

#[derive(clap::Args)]
pub struct IngestArgs {
    /// Files or directories (read recursively), as `analyze` reads them.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub store: StoreArg,
    /// Reports per transaction: a crash loses at most the batch being written.
    #[arg(long, default_value_t = 64)]
    pub batch: usize,
    /// The document date (YYYY-MM-DD) for every input, when you know it.
    #[arg(long)]
    pub dct: Option<String>,
}

/// Files under the inputs, recursively, sorted, hidden ones skipped.
fn walk(inputs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    fn visit(p: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("cannot read directory {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|e| {
                    !e.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with('.'))
                })
                .collect();
            entries.sort();
            for e in entries {
                visit(&e, out)?;
            }
        } else if p.exists() {
            out.push(p.to_path_buf());
        } else {
            anyhow::bail!("{}: no such file or directory", p.display());
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in inputs {
        visit(p, &mut out)?;
    }
    Ok(out)
}

/// One input read and split into records (a JSON Lines file holds many), or why it failed.
fn read(path: &Path) -> Result<Vec<dossier_ingest::RawDocument>, String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    match std::panic::catch_unwind(|| dossier_ingest::read_input(&name, &bytes)) {
        Ok(Ok(raws)) => Ok(raws),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("{name}: internal error while reading")),
    }
}

/// Analyses one record; a panic inside a stage fails this record only.
pub(crate) fn analyse(
    raw: dossier_ingest::RawDocument,
    options: &Options,
) -> Result<Prepared, String> {
    if let Some(e) = raw.error {
        return Err(e);
    }
    let record = raw.name.clone();
    std::panic::catch_unwind(|| {
        let doc = dossier::analyze_raw(raw, options);
        Prepared::from_document(&doc)
    })
    .map_err(|_| format!("{record}: internal error while analysing (please report this input)"))
}

pub fn ingest(args: IngestArgs) -> anyhow::Result<ExitCode> {
    dossier::pipeline::warm_up_in_background();
    let files = walk(&args.inputs)?;
    let dir = args.store.dir();
    let store = SqliteStore::open(&dir)?;
    eprintln!("dossier: archive {}", dir.display());
    let options = Options {
        dct: args.dct.clone(),
    };
    std::panic::set_hook(Box::new(|_| {}));
    let progress = if files.len() > 1 {
        ProgressBar::new(files.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} inputs ({per_sec}, {eta} left) {msg}")
            .expect("valid progress template"),
    );

    // One writer thread; analysis on all cores meanwhile. A bounded channel keeps memory flat.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Prepared>>(2);
    let writer = std::thread::spawn(move || -> anyhow::Result<(usize, usize, usize)> {
        let mut archive = Archive::new(store);
        let (mut new, mut copies, mut known) = (0, 0, 0);
        for mut batch in rx {
            // Publication order inside a batch (undated last): stories grow in time order.
            batch.sort_by(|a, b| {
                (a.published.is_none(), &a.published).cmp(&(b.published.is_none(), &b.published))
            });
            for outcome in archive.add_batch(&batch)? {
                match outcome {
                    Outcome::New { duplicate_of, .. } => {
                        new += 1;
                        copies += duplicate_of.is_some() as usize;
                    }
                    Outcome::Known => known += 1,
                }
            }
        }
        // Fold the write-ahead log into the database: readers then open it without scanning it.
        let _ = archive
            .store
            .conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
        Ok((new, copies, known))
    });

    let reader = SqliteStore::open_read_only(&dir)?;
    let reader = std::sync::Mutex::new(reader);
    let known = |id: &str| {
        reader
            .lock()
            .map(|r| {
                r.conn
                    .prepare_cached("SELECT 1 FROM documents WHERE id = ?1")
                    .and_then(|mut st| st.exists([id]))
                    .unwrap_or(false)
            })
            .unwrap_or(false)
    };
    let mut failed = 0usize;
    let mut skipped = 0usize;
    let chunk = args.batch.max(1);
    let mut fail = |message: String| {
        failed += 1;
        progress.suspend(|| eprintln!("dossier: {message}"));
    };
    'inputs: for files in files.chunks(chunk) {
        // Read and split in parallel; records already filed are not analysed again (resuming).
        let read: Vec<_> = files.par_iter().map(|f| read(f)).collect();
        let mut raws = Vec::new();
        for r in read {
            match r {
                Ok(rs) => raws.extend(rs),
                Err(e) => fail(e),
            }
        }
        let before = raws.len();
        raws.retain(|raw| raw.error.is_some() || !known(&raw.id));
        skipped += before - raws.len();
        // Analyse on all cores, in batches, while the writer files the previous batch.
        while !raws.is_empty() {
            let rest = raws.split_off(raws.len().min(chunk));
            let batch: Vec<Result<Prepared, String>> = std::mem::replace(&mut raws, rest)
                .into_par_iter()
                .map(|raw| analyse(raw, &options))
                .collect();
            let mut docs = Vec::with_capacity(batch.len());
            for r in batch {
                match r {
                    Ok(d) => docs.push(d),
                    Err(e) => fail(e),
                }
            }
            if tx.send(docs).is_err() {
                break 'inputs; // the writer stopped: its error is reported below
            }
        }
        progress.inc(files.len() as u64);
    }
    drop(tx);
    progress.finish_and_clear();
    let (new, copies, known_in_writer) = writer
        .join()
        .map_err(|_| anyhow::anyhow!("the archive writer panicked"))??;
    let duplicates = skipped + known_in_writer;
    eprintln!(
        "dossier: {new} new ({copies} near-duplicate copies linked), {duplicates} already in the archive, {failed} failed; archive {}",
        dir.display()
    );
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
    Jsonl,
}

#[derive(clap::Args)]
pub struct SearchArgs {
    /// The words to find (all of them, in any inflection).
    pub query: String,
    #[command(flatten)]
    pub store: StoreArg,
    /// Only reports naming this entity (any spelling the archive merges).
    #[arg(long)]
    pub entity: Option<String>,
    /// Only reports published on or after this day (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Only reports published on or before this day.
    #[arg(long)]
    pub to: Option<String>,
    /// Only this outlet (host name, e.g. www.stern.de).
    #[arg(long)]
    pub outlet: Option<String>,
    /// Only this language (de, en, ...).
    #[arg(long)]
    pub lang: Option<String>,
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ListFormat,
}

pub fn search(args: SearchArgs) -> anyhow::Result<ExitCode> {
    let store = args.store.reader()?;
    let started = std::time::Instant::now();
    let result = query::search(
        &store.conn,
        &SearchQuery {
            text: args.query.clone(),
            entity: args.entity.clone(),
            from: args.from.clone(),
            to: args.to.clone(),
            outlet: args.outlet.clone(),
            lang: args.lang.clone(),
            limit: args.limit,
        },
    )?;
    let took = started.elapsed();
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &result)?;
            writeln!(out)?;
        }
        ListFormat::Jsonl => {
            for h in &result.hits {
                serde_json::to_writer(&mut out, h)?;
                writeln!(out)?;
            }
        }
        ListFormat::Text => {
            writeln!(
                out,
                "{} hits{} ({:.1} ms)",
                result.total,
                if result.total >= 100 { " or more" } else { "" },
                took.as_secs_f64() * 1000.0
            )?;
            for h in &result.hits {
                writeln!(
                    out,
                    "\n{:.2}  {}  {}  {}  story {}  [{}]\n    {}\n    {}",
                    h.score,
                    h.published.as_deref().unwrap_or("(no date)"),
                    h.outlet.as_deref().unwrap_or("-"),
                    h.lang,
                    h.story,
                    h.id,
                    h.title.as_deref().unwrap_or(""),
                    h.snippet
                )?;
            }
            let facet = |v: &[(String, usize)]| {
                v.iter()
                    .map(|(k, n)| format!("{k} ({n})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if result.total > 0 {
                writeln!(out, "\nentities: {}", facet(&result.facets.entities))?;
                writeln!(out, "outlets:  {}", facet(&result.facets.outlets))?;
                writeln!(out, "days:     {}", facet(&result.facets.days))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct StoriesArgs {
    #[command(flatten)]
    pub store: StoreArg,
    /// Only stories with a report on or after this day (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ListFormat,
}

pub fn stories(args: StoriesArgs) -> anyhow::Result<ExitCode> {
    let store = args.store.reader()?;
    let list = query::stories(&store.conn, args.since.as_deref(), args.limit)?;
    let mut out = std::io::stdout().lock();
    for s in &list {
        match args.format {
            ListFormat::Text => {
                let ents: Vec<String> = s.top_entities.iter().map(|(n, _)| n.clone()).collect();
                writeln!(
                    out,
                    "story {:<6} {:>3} reports  {} – {}  {}  outlets: {}\n    first: {} {}\n    entities: {}",
                    s.id,
                    s.size,
                    s.first.as_deref().unwrap_or("?"),
                    s.last.as_deref().unwrap_or("?"),
                    s.languages.join("+"),
                    s.outlets.len(),
                    s.first_report.as_ref().map_or("", |d| d.id.as_str()),
                    s.first_report
                        .as_ref()
                        .and_then(|d| d.title.as_deref())
                        .unwrap_or(""),
                    ents.join(", ")
                )?;
            }
            _ => {
                serde_json::to_writer(&mut out, s)?;
                writeln!(out)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct StoryArgs {
    pub id: i64,
    #[command(flatten)]
    pub store: StoreArg,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ListFormat,
}

pub fn story(args: StoryArgs) -> anyhow::Result<ExitCode> {
    let store = args.store.reader()?;
    let Some(summary) = query::story_summary(&store.conn, args.id)? else {
        eprintln!("dossier: no story {}", args.id);
        return Ok(ExitCode::from(1));
    };
    let docs = query::story_documents(&store.conn, args.id)?;
    let mut out = std::io::stdout().lock();
    if args.format != ListFormat::Text {
        let mut reports = Vec::new();
        for d in &docs {
            reports.push(serde_json::json!({
                "document": d,
                "claims": query::document_claims(&store.conn, &d.id)?,
            }));
        }
        let v = serde_json::json!({"story": summary, "reports": reports});
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "story {}: {} reports, {} – {}, {}",
        summary.id,
        summary.size,
        summary.first.as_deref().unwrap_or("?"),
        summary.last.as_deref().unwrap_or("?"),
        summary.languages.join("+")
    )?;
    for d in &docs {
        writeln!(
            out,
            "\n{}  {}  {}  [{}]{}\n    {}",
            d.published.as_deref().unwrap_or("(no date)"),
            d.outlet.as_deref().unwrap_or("-"),
            d.lang,
            d.id,
            d.duplicate_of
                .as_ref()
                .map(|o| format!("  copy of {o} ({:.2})", d.similarity.unwrap_or(0.0)))
                .unwrap_or_default(),
            d.title.as_deref().unwrap_or("")
        )?;
        for c in query::document_claims(&store.conn, &d.id)? {
            writeln!(
                out,
                "    – {}: «{}» ({})",
                if c.chain.is_empty() {
                    "(asserted)".to_string()
                } else {
                    c.chain.clone()
                },
                c.text,
                c.stance
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct EntityArgs {
    pub name: String,
    #[command(flatten)]
    pub store: StoreArg,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ListFormat,
}

pub fn entity(args: EntityArgs) -> anyhow::Result<ExitCode> {
    let store = args.store.reader()?;
    let Some(e) = query::resolve_entity(&store.conn, &args.name)? else {
        eprintln!("dossier: no entity {:?} in the archive", args.name);
        return Ok(ExitCode::from(1));
    };
    let timeline = query::entity_timeline(&store.conn, &e.keys)?;
    let claims = query::entity_claims(&store.conn, &e.keys)?;
    let mut out = std::io::stdout().lock();
    if args.format != ListFormat::Text {
        let v = serde_json::json!({"entity": e, "timeline": timeline, "claims": claims});
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} ({}{}), {} reports\naliases: {}",
        e.name,
        e.kind,
        e.geonames
            .map(|g| format!(", GeoNames {g}"))
            .unwrap_or_default(),
        e.documents,
        e.aliases.join(", ")
    )?;
    writeln!(out, "\nreports over time:")?;
    for (day, n) in &timeline {
        writeln!(out, "  {day}  {n}")?;
    }
    writeln!(out, "\nwhat it says (claims it is the source of):")?;
    for c in &claims {
        writeln!(
            out,
            "  {} {} [{}]: «{}» ({})",
            c.published.as_deref().unwrap_or("(no date)"),
            c.outlet.as_deref().unwrap_or("-"),
            c.document,
            c.text,
            c.stance
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportWhat {
    Documents,
    Entities,
    Claims,
    Events,
    Stories,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Jsonl,
    Csv,
    Geojson,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub store: StoreArg,
    #[arg(long, value_enum, default_value = "documents")]
    pub what: ExportWhat,
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: ExportFormat,
}

fn csv_field(v: &serde_json::Value) -> String {
    let s = match v {
        serde_json::Value::Null => return String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a
            .iter()
            .map(|x| match x {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

pub fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let store = args.store.reader()?;
    let conn = &store.conn;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.format == ExportFormat::Geojson {
        // Places, with how many reports name them (documents and entities: the same map).
        let features: Vec<serde_json::Value> = query::places(conn)?
            .into_iter()
            .map(|(id, name, lat, lon, n)| {
                serde_json::json!({
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {"geonames": id, "name": name, "documents": n},
                })
            })
            .collect();
        let fc = serde_json::json!({"type": "FeatureCollection", "features": features});
        serde_json::to_writer_pretty(&mut out, &fc)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (columns, rows): (Vec<&str>, Vec<serde_json::Value>) = match args.what {
        ExportWhat::Documents => (
            vec![
                "id",
                "url",
                "published",
                "story",
                "duplicate_of",
                "similarity",
                "outlet",
                "lang",
                "title",
            ],
            query::documents(conn)?
                .into_iter()
                .map(|d| serde_json::to_value(d).expect("serialisable"))
                .collect(),
        ),
        ExportWhat::Stories => {
            let list = query::stories(conn, None, usize::MAX >> 1)?;
            (
                vec!["id", "size", "first", "last", "languages", "outlets", "first_report"],
                list.into_iter()
                    .map(|s| {
                        serde_json::json!({
                            "id": s.id, "size": s.size, "first": s.first, "last": s.last,
                            "languages": s.languages, "outlets": s.outlets,
                            "first_report": s.first_report.map(|d| d.id),
                            "top_entities": s.top_entities.into_iter().map(|(n, _)| n).collect::<Vec<_>>(),
                        })
                    })
                    .collect(),
            )
        }
        ExportWhat::Entities => (
            vec!["key", "type", "name", "geonames", "documents"],
            query::entities(conn)?
                .into_iter()
                .map(|(key, kind, name, geonames, n)| {
                    serde_json::json!({"key": key, "type": kind, "name": name, "geonames": geonames, "documents": n})
                })
                .collect(),
        ),
        ExportWhat::Claims => (
            vec![
                "key",
                "text",
                "reports",
                "earliest",
                "sources",
                "stances",
                "asserted_by",
                "documents",
            ],
            query::claims(conn, 1)?
                .into_iter()
                .map(|c| serde_json::to_value(c).expect("serialisable"))
                .collect(),
        ),
        ExportWhat::Events => {
            let mut rows = Vec::new();
            for d in query::documents(conn)? {
                if let Some(report) = query::report(conn, &d.id)? {
                    for e in report.events {
                        rows.push(serde_json::json!({
                            "document": d.id, "id": e.id, "type": e.kind, "mode": e.mode,
                            "actors": e.actors, "targets": e.targets, "time": e.time,
                            "place": e.place, "confidence": e.confidence,
                        }));
                    }
                }
            }
            (
                vec![
                    "document", "id", "type", "mode", "actors", "targets", "time", "place",
                    "confidence",
                ],
                rows,
            )
        }
    };
    match args.format {
        ExportFormat::Jsonl => {
            for r in rows {
                serde_json::to_writer(&mut out, &r)?;
                writeln!(out)?;
            }
        }
        ExportFormat::Csv => {
            writeln!(out, "{}", columns.join(","))?;
            for r in rows {
                let fields: Vec<String> = columns
                    .iter()
                    .map(|c| csv_field(r.get(*c).unwrap_or(&serde_json::Value::Null)))
                    .collect();
                writeln!(out, "{}", fields.join(","))?;
            }
        }
        ExportFormat::Geojson => unreachable!("handled above"),
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
