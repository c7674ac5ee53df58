//! `dossier eval attribution`: quotations and reported speech against SpkAtt-2023 (dev),
//! PolNeAR (test) and Redewiedergabe; the scoring lives in `dossier_attribution::eval`.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Folder holding `spkatt2023/`, `polnear/` and `redewiedergabe/`.
    #[arg(long, default_value = "../shared/data/attribution")]
    pub data: PathBuf,
    /// Which corpora to run (quotes-de-news, spkatt, polnear, redewiedergabe); all by default.
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// SpkAtt-2023 split (train, trial or dev; dev is the one to report).
    #[arg(long, default_value = "dev")]
    pub spkatt_split: String,
    /// PolNeAR split (train, dev or test; test is the one to report and is evaluation only).
    #[arg(long, default_value = "test")]
    pub polnear_split: String,
    /// quotes-de-news splits (dev for tuning; test is evaluation only).
    #[arg(long, value_delimiter = ',', default_value = "dev")]
    pub qdn_split: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    use dossier_attribution::eval;
    let want = |name: &str| args.only.is_empty() || args.only.iter().any(|o| o == name);
    let mut out = String::new();
    let fail = |e: Box<dyn std::error::Error>| anyhow::anyhow!("{e}");
    if want("quotes-de-news") {
        let dir = args.data.join("quotes-de-news");
        if !dir.exists() {
            println!("quotes-de-news: skipped, {} is absent", dir.display());
        }
        for split in args.qdn_split.iter().filter(|_| dir.exists()) {
            let articles =
                eval::read_quotes_de_news(&dir, split, &super::train_attribution::prepare)
                    .map_err(fail)?;
            // Decompressed before the clock starts: a batch pays it once.
            let model = dossier_attribution::learned::Model::for_language("de");
            for (title, m) in [("rules only", None), ("analyze (rules and model)", model)] {
                let started = std::time::Instant::now();
                let mut scored = String::new();
                eval::score_quotes_de_news(
                    &articles,
                    &|a| {
                        let (quotes, _) = dossier_attribution::attribute_with(&a.doc, m);
                        eval::predicted_from_quotes(&a.doc, &quotes)
                    },
                    &format!("{split}, {title}"),
                    &mut scored,
                );
                let secs = started.elapsed().as_secs_f64();
                let n: usize = articles.iter().map(|a| a.doc.tokens.len()).sum();
                out.push_str(&scored);
                out.push_str(&format!(
                    "  speed: {:.2} ms per article, {:.0} tokens per second (one core, scoring included)\n",
                    secs * 1000.0 / articles.len().max(1) as f64,
                    n as f64 / secs.max(1e-9)
                ));
            }
        }
    }
    if want("spkatt") {
        eval::spkatt(&args.data.join("spkatt2023"), &args.spkatt_split, &mut out).map_err(fail)?;
    }
    if want("polnear") {
        eval::polnear(
            &args.data.join("polnear"),
            &args.polnear_split,
            &super::train_attribution::prepare,
            &mut out,
        )
        .map_err(fail)?;
    }
    if want("redewiedergabe") {
        eval::redewiedergabe(&args.data.join("redewiedergabe"), &mut out).map_err(fail)?;
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}
