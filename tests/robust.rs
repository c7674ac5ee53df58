//! Robustness of `dossier analyze` on what a crawler hands over: FIFOs, devices, link cycles,
//! missing paths, identical documents, `--out` and `--format` together, oversized inputs, JSON
//! Lines order, invalid bytes, deep and attribute-laden HTML. Growth is shown by counting work
//! (see the attribution crate's tests), never by timing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ARTICLE: &str = "Die Regierung in Berlin plant einen neuen Haushalt. Der Kanzler sagte am \
    Montag in Wien, die Minister würden sich einigen. „Wir sind auf einem guten Weg“, sagte er.\n";

/// A fresh directory under the system's temporary directory, removed when the test ends.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = PathBuf;
    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("dossier-robust-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

fn dossier(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("analyze")
        .args(args)
        .output()
        .expect("dossier runs")
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn jsonl_sources(o: &Output) -> Vec<String> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            v["source"]["name"].as_str().unwrap().to_string()
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn fifo_in_a_directory_is_skipped_and_said() {
    let dir = scratch("fifo");
    std::fs::write(dir.join("good.txt"), ARTICLE).unwrap();
    let fifo = std::ffi::CString::new(p(&dir.join("pipe")).as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let out = dossier(&["--format", "jsonl", p(&dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(jsonl_sources(&out).len(), 1);
    let err = stderr(&out);
    assert!(err.contains("pipe: a FIFO"), "{err}");
    assert!(
        err.contains("1 entry skipped (not a regular file)"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_cycles_give_one_report() {
    let dir = scratch("cycle");
    std::fs::write(dir.join("good.txt"), ARTICLE).unwrap();
    std::os::unix::fs::symlink(".", dir.join("s1")).unwrap();
    std::os::unix::fs::symlink(".", dir.join("s2")).unwrap();
    let out = dossier(&["--format", "jsonl", p(&dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(jsonl_sources(&out).len(), 1);
    assert!(stderr(&out).contains("2 links to directories not followed"));
    // Followed on request, each directory is still read once.
    let out = dossier(&["--format", "jsonl", "--follow-symlinks", p(&dir)]);
    assert_eq!(jsonl_sources(&out).len(), 1, "{}", stderr(&out));
}

#[test]
fn a_missing_path_does_not_stop_the_batch() {
    let dir = scratch("missing");
    std::fs::write(dir.join("good.txt"), ARTICLE).unwrap();
    std::fs::write(dir.join(".hidden.txt"), ARTICLE).unwrap();
    let missing = dir.join("nowhere.txt");
    let out = dossier(&["--format", "jsonl", p(&missing), p(&dir)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(jsonl_sources(&out).len(), 1);
    let err = stderr(&out);
    assert!(
        err.contains("nowhere.txt: no such file or directory"),
        "{err}"
    );
    assert!(err.contains("1 hidden file or directory skipped"), "{err}");
}

#[test]
fn identical_documents_get_a_report_each_and_no_temporary_remains() {
    let dir = scratch("ident");
    for sub in ["a", "b", "c"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        std::fs::write(dir.join(sub).join("x.txt"), ARTICLE).unwrap();
    }
    let out_dir = dir.join("out");
    let out = dossier(&[
        "--out",
        p(&out_dir),
        p(&dir.join("a")),
        p(&dir.join("b")),
        p(&dir.join("c")),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    let id = dossier::analyze_bytes("x", ARTICLE.as_bytes(), &Default::default()).unwrap()[0]
        .id
        .clone();
    // In input order: the first keeps `<id>.json`, the others are suffixed.
    for (suffix, folder) in [("", "/a/"), ("-2", "/b/"), ("-3", "/c/")] {
        let path = out_dir.join(format!("{id}{suffix}.json"));
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let source = v["source"]["name"].as_str().unwrap();
        assert!(source.contains(folder), "{source} in {}", path.display());
    }
    assert!(
        stderr(&out).contains("3 reports written"),
        "{}",
        stderr(&out)
    );
    // A temporary of a killed run is removed by the next.
    std::fs::write(out_dir.join(".dead.json.4000000000.tmp"), "{").unwrap();
    let out = dossier(&["--out", p(&out_dir), p(&dir.join("a"))]);
    assert!(out.status.success());
    assert!(!out_dir.join(".dead.json.4000000000.tmp").exists());
}

#[test]
fn format_and_out_agree_or_are_refused() {
    let dir = scratch("formats");
    let input = dir.join("in.txt");
    std::fs::write(&input, ARTICLE).unwrap();
    for format in ["text", "jsonl"] {
        let out = dossier(&["--format", format, "--out", p(&dir.join("o")), p(&input)]);
        assert_eq!(out.status.code(), Some(2), "--format {format} --out");
        assert!(stderr(&out).contains("cannot go with it"));
    }
    let geo = dir.join("geo");
    let out = dossier(&["--format", "geojson", "--out", p(&geo), p(&input)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(geo.join("places.geojson").exists());
    assert_eq!(std::fs::read_dir(&geo).unwrap().count(), 2);
}

#[test]
fn an_input_over_max_bytes_is_refused_by_name() {
    let dir = scratch("max");
    let input = dir.join("big.txt");
    std::fs::write(&input, ARTICLE.repeat(20)).unwrap();
    let out = dossier(&["--max-bytes", "1KiB", p(&input)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("big.txt: larger than 1 KiB (--max-bytes)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn json_lines_records_keep_their_order() {
    let dir = scratch("jsonl");
    let input = dir.join("r.jsonl");
    let lines: Vec<String> = (1..=24)
        .map(|i| serde_json::json!({ "text": format!("Bericht {i}. {ARTICLE}") }).to_string())
        .collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    let out = dossier(&["--format", "jsonl", p(&input)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let expected: Vec<String> = (1..=24).map(|i| format!("{}:{i}", p(&input))).collect();
    assert_eq!(jsonl_sources(&out), expected);
}

#[test]
fn one_invalid_byte_leaves_the_umlauts() {
    let mut bytes = ARTICLE.as_bytes().to_vec();
    bytes.extend_from_slice(b"Kaputt: \xff. F\xc3\xbcr alle.\n");
    let docs = dossier::analyze_bytes("x.txt", &bytes, &Default::default()).unwrap();
    assert_eq!(docs[0].source.encoding.as_deref(), Some("UTF-8"));
    assert!(docs[0].text.contains("würden"), "{}", docs[0].text);
    assert!(docs[0].text.contains("Für alle."));
}

#[test]
fn deep_html_keeps_its_paragraph_with_a_warning() {
    let html = format!(
        "<html><body>{}<p>{}</p>{}</body></html>",
        "<div>".repeat(400),
        ARTICLE.trim(),
        "</div>".repeat(400)
    );
    let docs = dossier::analyze_bytes("deep.html", html.as_bytes(), &Default::default()).unwrap();
    assert!(
        docs[0].text.contains("Die Regierung in Berlin plant"),
        "{}",
        docs[0].text
    );
    assert!(
        docs[0]
            .meta
            .warnings
            .iter()
            .any(|w| w.contains("flattened")),
        "{:?}",
        docs[0].meta.warnings
    );
}

#[test]
fn a_tag_with_many_attributes_is_cut_not_parsed_whole() {
    let attrs: String = (0..20_000).map(|i| format!(" a{i}=x")).collect();
    let html = format!("<html><body><p{attrs}>{}</p></body></html>", ARTICLE.trim());
    let docs = dossier::analyze_bytes("attrs.html", html.as_bytes(), &Default::default()).unwrap();
    assert!(docs[0].text.contains("Die Regierung in Berlin plant"));
    assert!(
        docs[0]
            .meta
            .warnings
            .iter()
            .any(|w| w.contains("19744 attributes dropped")),
        "{:?}",
        docs[0].meta.warnings
    );
}
