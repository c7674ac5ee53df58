//! The inputs of `dossier analyze`: named paths and the files under named directories.
//!
//! The walk never blocks and never loops: it looks at each entry with `symlink_metadata`, takes
//! regular files (and links to them), skips what is not a regular file (a FIFO would block the
//! reader, a device would never end) and says so, does not follow links to directories unless
//! asked (and then reads each directory once, by device and inode), and reports a path it
//! cannot read by name and goes on.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One input to read: a file path or standard input.
pub enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    pub fn name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "-".into(),
        }
    }

    /// The whole input, or why not: one larger than `max_bytes` is refused after reading that
    /// much (a device such as `/dev/zero` has no size to check first).
    pub fn read(&self, max_bytes: u64) -> Result<Vec<u8>, String> {
        let name = self.name();
        let mut buf = Vec::new();
        let limit = max_bytes.saturating_add(1);
        let read = match self {
            Input::File(p) => {
                std::fs::File::open(p).and_then(|f| f.take(limit).read_to_end(&mut buf))
            }
            Input::Stdin => std::io::stdin().lock().take(limit).read_to_end(&mut buf),
        };
        if let Err(e) = read {
            return Err(format!("{name}: cannot read: {e}"));
        }
        if buf.len() as u64 > max_bytes {
            return Err(format!(
                "{name}: larger than {} (--max-bytes); not analysed",
                human_bytes(max_bytes)
            ));
        }
        Ok(buf)
    }
}

pub fn human_bytes(n: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (size, unit) in UNITS {
        if n >= size && n.is_multiple_of(size) {
            return format!("{} {unit}", n / size);
        }
    }
    format!("{n} bytes")
}

/// What the walk found.
#[derive(Default)]
pub struct Walk {
    pub inputs: Vec<Input>,
    /// Paths that could not be read (missing, unreadable directory), with the reason.
    pub problems: Vec<String>,
    /// Entries of walked directories that are not regular files, with what they are.
    pub skipped: Vec<String>,
    /// Hidden files and directories (names starting with `.`) left out of walks.
    pub hidden: usize,
    /// Links to directories not followed.
    pub symlinked_dirs: usize,
}

/// Expands directories into their files, recursively, in a stable (sorted) order.
pub fn collect(args: &[String], follow_symlinks: bool) -> Walk {
    let mut walk = Walk::default();
    let mut visited = HashSet::new();
    for arg in args {
        if arg == "-" {
            walk.inputs.push(Input::Stdin);
            continue;
        }
        let path = PathBuf::from(arg);
        // A path named on the command line is followed if it is a link: the user chose it.
        match std::fs::metadata(&path) {
            Err(e) => walk.problems.push(format!("{arg}: {}", reason(&e))),
            Ok(m) if m.is_dir() => {
                visited.insert(dir_key(&m));
                walk_dir(&path, follow_symlinks, &mut visited, &mut walk);
            }
            // A file, or a FIFO or device named on purpose: read, up to --max-bytes.
            Ok(_) => walk.inputs.push(Input::File(path)),
        }
    }
    walk
}

fn reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(unix)]
fn dir_key(m: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn dir_key(_: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

fn kind_of(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    let _ = t;
    "not a regular file"
}

fn walk_dir(dir: &Path, follow_symlinks: bool, visited: &mut HashSet<(u64, u64)>, walk: &mut Walk) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            walk.problems.push(format!(
                "{}: cannot read directory: {}",
                dir.display(),
                reason(&e)
            ));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        match entry {
            Ok(e) => paths.push(e.path()),
            Err(e) => walk.problems.push(format!(
                "{}: cannot read directory: {}",
                dir.display(),
                reason(&e)
            )),
        }
    }
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            walk.hidden += 1;
            continue;
        }
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                walk.problems
                    .push(format!("{}: {}", path.display(), reason(&e)));
                continue;
            }
        };
        let mut ft = meta.file_type();
        let mut target_meta = meta;
        if ft.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(m) => {
                    ft = m.file_type();
                    target_meta = m;
                }
                Err(e) => {
                    walk.problems
                        .push(format!("{}: broken link: {}", path.display(), reason(&e)));
                    continue;
                }
            }
            if ft.is_dir() && !follow_symlinks {
                walk.symlinked_dirs += 1;
                continue;
            }
        }
        if ft.is_dir() {
            if visited.insert(dir_key(&target_meta)) {
                walk_dir(&path, follow_symlinks, visited, walk);
            }
        } else if ft.is_file() {
            walk.inputs.push(Input::File(path));
        } else {
            walk.skipped
                .push(format!("{}: {}", path.display(), kind_of(&ft)));
        }
    }
}
