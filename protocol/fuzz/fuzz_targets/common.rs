//! What the fuzz targets share: seed files for their corpora.

use std::path::Path;

/// Writes `seeds` as `DIR/<target>/seed-N` when the environment variable
/// `DMIKEY_FUZZ_SEEDS=DIR` is set (run the target once with `-runs=0` to make its corpus).
pub fn write_seeds(target: &str, seeds: &[&[u8]]) {
    let Some(dir) = std::env::var_os("DMIKEY_FUZZ_SEEDS") else { return };
    let dir = Path::new(&dir).join(target);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    for (i, s) in seeds.iter().enumerate() {
        let _ = std::fs::write(dir.join(format!("seed-{i}")), s);
    }
}
