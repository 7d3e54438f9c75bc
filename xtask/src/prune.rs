//! Keeping the shared target directory from filling the disk. Every fresh clone builds the
//! workspace's crates under a new path, and cargo keeps an incremental cache for each path
//! (a gigabyte or more a clone) that no later build ever reads again: those not touched for a
//! day are removed before the tests build. Registry crates' artifacts are shared by every
//! clone and stay.

use std::path::Path;
use std::time::{Duration, SystemTime};

/// Caches untouched for this long belong to clones that are gone.
const STALE: Duration = Duration::from_secs(24 * 60 * 60);

/// Removes the incremental caches under `target_dir` that no build touched for a day; says how
/// much it freed. Anything it cannot read or remove is left as it is.
pub fn stale_incremental(target_dir: &Path) {
    let mut freed = 0u64;
    for profile in ["debug", "release"] {
        let Ok(entries) = std::fs::read_dir(target_dir.join(profile).join("incremental")) else {
            continue;
        };
        for entry in entries.flatten() {
            if untouched_for_a_day(&entry) {
                let size = size_of(&entry.path());
                if std::fs::remove_dir_all(entry.path()).is_ok() {
                    freed += size;
                }
            }
        }
    }
    for profile in ["debug", "release"] {
        let Ok(entries) = std::fs::read_dir(target_dir.join(profile).join("deps")) else {
            continue;
        };
        for entry in entries.flatten() {
            // Test and example executables have no extension; libraries all have one.
            let executable = entry.path().extension().is_none()
                && entry
                    .metadata()
                    .is_ok_and(|m| m.is_file() && is_executable(&m));
            if executable && untouched_for_a_day(&entry) {
                let size = size_of(&entry.path());
                if std::fs::remove_file(entry.path()).is_ok() {
                    freed += size;
                }
            }
        }
    }
    if freed > 0 {
        println!(
            "removed incremental caches and test executables of builds gone for a day: {} MB",
            freed / 1_000_000
        );
    }
}

fn untouched_for_a_day(entry: &std::fs::DirEntry) -> bool {
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|at| SystemTime::now().duration_since(at).ok())
        .is_some_and(|age| age > STALE)
}

fn is_executable(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    m.permissions().mode() & 0o100 != 0
}

fn size_of(path: &Path) -> u64 {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::read_dir(path)
            .map(|entries| entries.flatten().map(|e| size_of(&e.path())).sum())
            .unwrap_or(0),
        Ok(m) => m.len(),
        Err(_) => 0,
    }
}
