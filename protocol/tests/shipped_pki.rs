//! The PKI the page ships with (`assets/pki/`) is the generator's output for the default run's
//! need, byte for byte, under a name that is the need's cache key; the page preloads it.
//! Run with `DMIKEY_UPDATE_PKI=1` to (re)write the file after a change of the derivation.
use std::path::PathBuf;

use dmikey::cost::Meter;
use dmikey::roles::{Pki, Provisioner};
use dmikey::sim::{
    SHIPPED_PKI_DIR, paper_default, pki_file_name, shipped_pki_need, shipped_pki_path,
};

const REGENERATE: &str = "DMIKEY_UPDATE_PKI=1 cargo test -p dmikey --test shipped_pki";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn the_shipped_pki_is_the_generators_for_the_default_run() {
    let need = shipped_pki_need();
    assert_eq!(need, paper_default().pki_need(), "the page starts with paper_default()");
    let key = need.cache_key().expect("the default run has a seed");
    let rel = shipped_pki_path(&need).expect("the default need is shipped");
    assert_eq!(rel, format!("{SHIPPED_PKI_DIR}/{}", pki_file_name(&key)));
    let path = repo().join("assets").join(&rel);
    let made = Provisioner::run(&need, &mut Meter::new()).unwrap().to_bytes();
    if std::env::var_os("DMIKEY_UPDATE_PKI").is_some_and(|v| v == "1") {
        let dir = repo().join("assets").join(SHIPPED_PKI_DIR);
        std::fs::create_dir_all(&dir).unwrap();
        for old in std::fs::read_dir(&dir).unwrap() {
            std::fs::remove_file(old.unwrap().path()).unwrap();
        }
        std::fs::write(&path, &made).unwrap();
    }
    let shipped = std::fs::read(&path).unwrap_or_else(|e| {
        panic!("no shipped PKI at {} ({e}) for {key}; run: {REGENERATE}", path.display())
    });
    assert!(shipped == made, "{} is not the generator's PKI for {key}; run: {REGENERATE}", rel);
    let pki = Pki::from_bytes(&shipped).unwrap();
    pki.covers(&need).unwrap();
    // Only that file is shipped (an old one would be copied into the site for nothing).
    let files: Vec<_> = std::fs::read_dir(repo().join("assets").join(SHIPPED_PKI_DIR))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, vec![pki_file_name(&key)], "run: {REGENERATE}");
    // The page copies the folder into the site and preloads the file with the wasm.
    let html = std::fs::read_to_string(repo().join("index.html")).unwrap();
    assert!(
        html.contains(&format!(r#"rel="copy-dir" href="assets/{SHIPPED_PKI_DIR}""#)),
        "index.html copies assets/{SHIPPED_PKI_DIR}"
    );
    assert!(
        html.contains(&format!(r#"<link rel="preload" as="fetch" crossorigin href="{rel}""#)),
        "index.html preloads {rel}: update its preload link"
    );
}

#[test]
fn only_the_default_need_is_shipped_and_names_are_safe() {
    let need = shipped_pki_need();
    let other = dmikey::roles::PkiNeed { seed: Some(2), ..need };
    assert_eq!(shipped_pki_path(&other), None);
    assert_eq!(shipped_pki_path(&dmikey::roles::PkiNeed { seed: None, ..need }), None);
    assert_eq!(pki_file_name("pki3/seed=1/n=3"), "pki3_seed=1_n=3.bin");
    assert_eq!(pki_file_name("a b/../c?"), "a_b_.._c_.bin");
}
