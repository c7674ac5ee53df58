//! `dossier eval attribution`: quotations and reported speech against SpkAtt-2023 (dev),
//! PolNeAR (test) and Redewiedergabe; the scoring lives in `dossier_attribution::eval`.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Folder holding `spkatt2023/`, `polnear/` and `redewiedergabe/`.
    #[arg(long, default_value = "../shared/data/attribution")]
    pub data: PathBuf,
    /// Which corpora to run (spkatt, polnear, redewiedergabe); all by default.
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// SpkAtt-2023 split (train, trial or dev; dev is the one to report).
    #[arg(long, default_value = "dev")]
    pub spkatt_split: String,
    /// PolNeAR split (train, dev or test; test is the one to report and is evaluation only).
    #[arg(long, default_value = "test")]
    pub polnear_split: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    use dossier_attribution::eval;
    let want = |name: &str| args.only.is_empty() || args.only.iter().any(|o| o == name);
    let segment = |doc: &mut dossier_core::Document| {
        dossier::pipeline::segment_document(doc);
    };
    let mut out = String::new();
    let fail = |e: Box<dyn std::error::Error>| anyhow::anyhow!("{e}");
    if want("spkatt") {
        eval::spkatt(&args.data.join("spkatt2023"), &args.spkatt_split, &mut out).map_err(fail)?;
    }
    if want("polnear") {
        eval::polnear(
            &args.data.join("polnear"),
            &args.polnear_split,
            &segment,
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
