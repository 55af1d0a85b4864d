//! The PKI the page ships with: the default run's (`paper_default`), as `Pki::to_bytes`, in
//! `assets/pki/`. A seed always gives the same keys under one derivation version, so the file
//! holds exactly the bytes the generator would make in the browser; a first visit reads it
//! instead of waiting for RSA key generation. `protocol/tests/shipped_pki.rs` checks the
//! committed file against the generator byte for byte, and its name against the need's cache
//! key (it writes the file when `DMIKEY_UPDATE_PKI=1` is set).
use crate::roles::PkiNeed;

use super::scenario::paper_default;

/// The folder of the site (and of `assets/`) the shipped PKI is in.
pub const SHIPPED_PKI_DIR: &str = "pki";

/// The need whose PKI ships with the page: the default run's.
pub fn shipped_pki_need() -> PkiNeed {
    paper_default().pki_need()
}

/// The file name a PKI kept under `cache_key` ships as: the key with every character other
/// than ASCII letters, digits and `=-_.` replaced by `_`, then `.bin`.
pub fn pki_file_name(cache_key: &str) -> String {
    let safe: String = cache_key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || "=-_.".contains(c) { c } else { '_' })
        .collect();
    format!("{safe}.bin")
}

/// The site-relative path of the PKI shipped for `need`, if `need` is the shipped one.
pub fn shipped_pki_path(need: &PkiNeed) -> Option<String> {
    if *need != shipped_pki_need() {
        return None;
    }
    need.cache_key().map(|k| format!("{SHIPPED_PKI_DIR}/{}", pki_file_name(&k)))
}

/// What the page says while it reads the shipped PKI (true as long as the test above passes).
pub fn shipped_pki_status(need: &PkiNeed) -> String {
    let seed = need.seed.map_or_else(|| "?".to_string(), |s| s.to_string());
    format!(
        "Reading the keys and certificates of seed {seed} shipped with the page (the same bytes \
         the key generator makes for this seed)…"
    )
}
