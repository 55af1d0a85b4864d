//! The shard bytes of the Reed–Solomon schemes are pinned: seeded splits and seeded runs give
//! the very bytes they gave before the code moved to the `reed-solomon-erasure` crate, so a
//! seed, a preset or a link copied from the browser keeps meaning the same run. The expected
//! digests were recorded from the earlier codec.

use std::sync::Arc;

use dmikey::crypto::rsa::RsaBits;
use dmikey::roles::SessionConfig;
use dmikey::sharing::{self, Scheme};
use dmikey::sim::Simulation;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use sha2::{Digest, Sha256};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// SHA-256 over every (index, length, bytes) of the shares, in order.
fn digest<'a>(shares: impl IntoIterator<Item = (u8, &'a [u8])>) -> String {
    let mut h = Sha256::new();
    for (i, d) in shares {
        h.update([i]);
        h.update((d.len() as u32).to_be_bytes());
        h.update(d);
    }
    hex(&h.finalize())
}

/// A secret that is not all zeros and differs per case.
fn secret(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i as u8).wrapping_mul(37).wrapping_add(seed) ^ 0x5a).collect()
}

const SPLITS: [(Scheme, u8, u8, usize); 12] = [
    (Scheme::PaperRs, 5, 3, 16),
    (Scheme::PaperRs, 5, 5, 16),
    (Scheme::PaperRs, 16, 9, 16),
    (Scheme::PaperRs, 7, 1, 16),
    (Scheme::PaperRs, 255, 17, 32),
    (Scheme::PaperRs, 3, 2, 33),
    (Scheme::AontRs, 5, 3, 16),
    (Scheme::AontRs, 16, 9, 16),
    (Scheme::AontRs, 16, 16, 16),
    (Scheme::AontRs, 4, 1, 16),
    (Scheme::AontRs, 40, 13, 32),
    (Scheme::AontRs, 2, 2, 1),
];

/// Recorded from the earlier codec, in the order of `SPLITS`.
const SPLIT_DIGESTS: [&str; 12] = [
    "698c8247e39bfd826b04efc6eb7f01131fdf3dec55ea51a1e7ffb1dadae60ce2",
    "2d4d79f524fd79c2657ac821407b477a1a60e45db033e77e5bd0165a751fc2f1",
    "5bc7ca2ebdebc19836035131d0d0d99918f6dd0f15d24c14221b17f4b20e82c0",
    "39e9e6a67c33663f2c120a26b0a72d5f1215e069f8dfbec1d410f02d2ba5b914",
    "56f4fc7672da7b9a9e0fa16aa8d1e8063f27c0c47980962d974b86b1c8a22cf1",
    "bfa28091b29bc387b2b13edda4ef7adb26393a72709999d9a71e1618632be690",
    "1cc1e06860f28b5583c5331130320dac8de917fdb08a0d46daeeacd871803d06",
    "171468e84b0bfc3f6975790fb431d2c144c2a34f49e65c6da59b34a65cb40d8e",
    "f958e4f06f55ce0667715bf31a1108b0b0a543f22049c99d8664ddfca7bfab6f",
    "f83d37135b9817dc47bff550aa84f4071a2fd541c7da65af05de83ef40b6fca0",
    "e226a1639812bd395525179f58d6209eb8b4837e8b8e77559db925f42fc7df45",
    "5e467dbe668df4bf6ce0be238490ada3a4b368929212e615e4156548da6a82c1",
];

#[test]
fn seeded_splits_give_the_recorded_shard_bytes() {
    let mut got = Vec::new();
    for (case, &(scheme, n, k, len)) in SPLITS.iter().enumerate() {
        let mut rng = ChaCha20Rng::seed_from_u64(1000 + case as u64);
        let shares = sharing::split(scheme, &secret(len, case as u8), n, k, &mut rng).unwrap();
        got.push(digest(shares.iter().map(|s| (s.index, s.data.as_slice()))));
    }
    assert_eq!(got, SPLIT_DIGESTS.map(String::from).to_vec(), "{got:#?}");
}

/// Recorded from the earlier codec: the shares the sensor sent in seeded runs, (scheme, seed).
const RUNS: [(Scheme, u64, &str); 2] = [
    (Scheme::PaperRs, 42, "fa3d61e5cf000178c165b6cff5b3d30dc1b88c391efdb7a3cad5e60ffbdc70b5"),
    (Scheme::AontRs, 7, "e45fe27f788a0114df7c9259e352308c3f9f6cb6add01e17c48cdb946eb7909f"),
];

#[test]
fn seeded_runs_send_the_recorded_shares() {
    let mut c = SessionConfig::distributed(5, 3, Scheme::PaperRs);
    c.rsa_bits = RsaBits::B1024;
    c.seed = Some(3);
    let pki = Arc::new(Simulation::provision(&c).unwrap());
    let mut got = Vec::new();
    for (scheme, seed, _) in RUNS {
        let mut c = SessionConfig::distributed(5, 3, scheme);
        c.rsa_bits = RsaBits::B1024;
        c.seed = Some(seed);
        let mut sim = Simulation::with_pki(c, pki.clone()).unwrap();
        sim.run_to_end();
        let sent = sim.sent_shares();
        assert_eq!(sent.len(), 5);
        got.push(digest(sent.iter().map(|(i, d)| (*i, d.as_slice()))));
    }
    assert_eq!(got, RUNS.map(|r| r.2.to_string()).to_vec(), "{got:#?}");
}
