//! Provisioned PKIs kept across visits, in the browser's Cache API, under the protocol's cache
//! key (`PkiNeed::cache_key`: seed, number of TPs, RSA size, what the mode needs, version of
//! the key derivation). The stored value is `Pki::to_bytes`.
//!
//! The PKI holds private keys. They are generated in this browser from the run's seed, which
//! the page shows and puts in every link anyway: anyone with the seed can make the same keys.
//! This is teaching material, not a key store; keeping it only saves the wait for RSA key
//! generation on the next visit. A missing, unreadable or corrupt entry just means
//! provisioning again.
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

const CACHE: &str = "dmikey-pki";

/// The request URL an entry is stored under (never fetched: the Cache API keys by URL).
fn url(key: &str) -> String {
    let key: String = key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || "=-_.".contains(c) { c } else { '_' })
        .collect();
    format!("/dmikey-pki-cache/{key}")
}

async fn open() -> Option<web_sys::Cache> {
    let caches = web_sys::window()?.caches().ok()?;
    JsFuture::from(caches.open(CACHE)).await.ok()?.dyn_into::<web_sys::Cache>().ok()
}

/// The bytes stored under `key`, if any.
pub async fn load(key: &str) -> Option<Vec<u8>> {
    let cache = open().await?;
    let found = JsFuture::from(cache.match_with_str(&url(key))).await.ok()?;
    let response = found.dyn_into::<web_sys::Response>().ok()?;
    let buf = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    Some(js_sys::Uint8Array::new(&buf).to_vec())
}

/// Stores `bytes` under `key`; a failure (quota, private mode, no Cache API) is only logged.
pub async fn save(key: &str, bytes: &[u8]) {
    let Some(cache) = open().await else { return };
    let mut copy = bytes.to_vec();
    let Ok(response) = web_sys::Response::new_with_opt_u8_array(Some(&mut copy)) else { return };
    if let Err(e) = JsFuture::from(cache.put_with_str(&url(key), &response)).await {
        leptos::logging::warn!("could not keep the PKI for the next visit: {e:?}");
    }
}

/// Forgets the entry under `key` (it could not be read back).
pub async fn forget(key: &str) {
    if let Some(cache) = open().await {
        let _ = JsFuture::from(cache.delete_with_str(&url(key))).await;
    }
}
