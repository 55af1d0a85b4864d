//! The Dolev–Yao intruder: it sees every packet put on the wire and, once it compromises a
//! third party, holds that TP's keys (its PSK with the sensor, its RSA private key) and
//! everything the TP knows. From that it derives what it can, with the same openers and the
//! same crypto as the honest roles: it opens every captured I_TPi whose PSK it holds, collects
//! the shares, rebuilds the TGK once it holds enough of them (checking the result against the
//! KCV that travels in clear in the D-MIKEY extension — the check R does, so the intruder
//! knows when it has succeeded), and derives the TEKs.
//!
//! It never claims a rebuild it did not do: the true TGK is only used by
//! [`Intruder::report`] to *label* what the intruder derived (`tgk_correct`), never to derive.
//! Bits exposed, and the bits still to guess against the public KCV, come from
//! [`crate::sharing::exposure`] for the scheme of the session (under the paper's RS, one share
//! is a literal slice of the TGK; under Shamir and XOR fewer than the threshold reveal
//! nothing); it rebuilds as soon as its shares determine the TGK ([`sharing::determines`]).

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use crate::cost::Meter;
use crate::crypto::derive;
use crate::crypto::kemac::KemacProfile;
use crate::error::Error;
use crate::mikey::distributed;
use crate::sharing::{self, Scheme, Share};
use crate::wire::{Decoded, PrfFunc};

/// Public facts of the distributed session, read from any captured I_TPi (they travel in
/// clear: HDR, RAND and the D-MIKEY extension).
#[derive(Debug, Clone, PartialEq, Eq)]
struct SessionFacts {
    scheme: Scheme,
    n: u8,
    k: u8,
    secret_len: usize,
    kcv: [u8; 8],
    csb_id: u32,
    rand: Vec<u8>,
    prf: PrfFunc,
    cs_count: u8,
}

/// (crypto session, TEK, salt) derived by the intruder.
type DerivedKeys = (u8, Zeroizing<Vec<u8>>, Zeroizing<Vec<u8>>);

/// What the intruder holds and has derived, for the intruder panel and the verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntruderReport {
    /// Everything it holds, in words ("PSK of TP2 with the sensor", "share 2 (16 bytes)", …).
    pub holds: Vec<String>,
    /// Indices of the shares it holds, ascending.
    pub shares: Vec<u8>,
    /// TGK bits determined by what it holds (all of them once rebuilt).
    pub tgk_bits_exposed: usize,
    /// Size of the TGK in bits (0 before any I_TPi was seen).
    pub tgk_bits_total: usize,
    /// TGK bits it must still guess, each guess checked offline against the public KCV (or
    /// R_I's MAC, or the SRTP traffic); 0 once it holds the TGK, 0 before any I_TPi was seen.
    pub tgk_guess_bits: usize,
    /// TGK byte positions it knows in clear (the paper's RS: literal slices).
    pub tgk_bytes_in_clear: Vec<usize>,
    /// Whether it rebuilt a TGK that passed the key-check value.
    pub tgk_rebuilt: bool,
    /// Label only: whether what it rebuilt equals the true TGK (None if nothing rebuilt or
    /// the true TGK is unknown).
    pub tgk_correct: Option<bool>,
    /// Crypto sessions whose TEK it derived.
    pub teks: Vec<u8>,
    /// Third parties it compromised.
    pub compromised: Vec<u8>,
    /// Packets it has seen on the wire.
    pub packets_seen: usize,
}

/// The intruder's knowledge base (see the module docs).
#[derive(Clone, Default)]
pub struct Intruder {
    profile: Option<KemacProfile>,
    /// Every packet seen: its label and its decoded message (`None`: it did not decode).
    captured: Vec<(String, Option<Decoded>)>,
    psks: BTreeMap<u8, Zeroizing<Vec<u8>>>,
    compromised: Vec<u8>,
    other: Vec<String>,
    facts: Option<SessionFacts>,
    shares: BTreeMap<u8, Share>,
    tgk: Option<Zeroizing<Vec<u8>>>,
    rebuilt_from: Vec<u8>,
    /// (crypto session, TEK, salt).
    teks: Vec<DerivedKeys>,
    meter: Meter,
}

impl core::fmt::Debug for Intruder {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "Intruder {{ packets: {}, shares: {:?}, rebuilt: {} }}",
            self.captured.len(),
            self.shares.keys().collect::<Vec<_>>(),
            self.tgk.is_some()
        )
    }
}

impl Intruder {
    /// An intruder that expects I_TPi KEMACs under `profile`.
    pub fn new(profile: KemacProfile) -> Self {
        Intruder { profile: Some(profile), ..Intruder::default() }
    }

    /// The work the intruder did (PRF calls, AES blocks, …).
    pub fn meter(&self) -> &Meter {
        &self.meter
    }

    /// A packet seen on the wire, as the simulation decoded it (or the decoder's error);
    /// returns what it learned from it, in words.
    pub fn observe(&mut self, label: &str, msg: Result<&Decoded, &Error>) -> Vec<String> {
        let decoded = msg.ok().cloned();
        let mut learned = Vec::new();
        if let Some(d) = &decoded {
            self.try_open(label, d, &mut learned);
        }
        self.captured.push((label.to_string(), decoded));
        self.try_rebuild(&mut learned);
        learned
    }

    /// TPi is compromised: the intruder gets its PSK with the sensor and everything it holds
    /// (`known`: names of the other keys and values, e.g. its RSA private key), then re-reads
    /// every captured packet with the new keys. Returns what it learned.
    pub fn compromise(&mut self, tp: u8, psk: &[u8], known: Vec<String>) -> Vec<String> {
        let mut learned = Vec::new();
        crate::util::insert_sorted(&mut self.compromised, tp);
        if let std::collections::btree_map::Entry::Vacant(e) = self.psks.entry(tp) {
            e.insert(Zeroizing::new(psk.to_vec()));
            learned.push(format!("the PSK of TP{tp} with the sensor"));
        }
        for k in known {
            let entry = format!("{k} (from TP{tp})");
            if !self.other.contains(&entry) {
                learned.push(entry.clone());
                self.other.push(entry);
            }
        }
        let captured = core::mem::take(&mut self.captured);
        for (label, d) in &captured {
            if let Some(d) = d {
                self.try_open(label, d, &mut learned);
            }
        }
        self.captured = captured;
        self.try_rebuild(&mut learned);
        learned
    }

    fn try_open(&mut self, label: &str, d: &Decoded, learned: &mut Vec<String>) {
        let Ok(parsed) = distributed::parse_i_tp(d, label) else { return };
        let hdr = &parsed.init.content.hdr;
        let facts = SessionFacts {
            scheme: parsed.meta.scheme,
            n: parsed.meta.n,
            k: parsed.meta.k,
            secret_len: usize::from(parsed.meta.secret_len),
            kcv: parsed.meta.kcv,
            csb_id: hdr.csb_id,
            rand: parsed.init.content.rand.clone(),
            prf: hdr.prf,
            cs_count: hdr.cs_map.cs_count(),
        };
        if self.facts.is_none() {
            self.facts = Some(facts.clone());
        } else if self.facts.as_ref() != Some(&facts) {
            return; // another session (e.g. a forged packet): not mixed in
        }
        let index = parsed.meta.index;
        if self.shares.contains_key(&index) {
            return;
        }
        let Some(profile) = self.profile else { return };
        // Dolev–Yao: try every PSK it holds.
        let psks: Vec<Zeroizing<Vec<u8>>> = self.psks.values().cloned().collect();
        for psk in psks {
            if let Ok((_keys, share)) =
                distributed::open_i_tp(&parsed, &psk, profile, label, &mut self.meter)
            {
                learned.push(format!("share {index} ({} bytes) by opening {label}", share.len()));
                self.shares.insert(index, Share { index, data: share.to_vec() });
                return;
            }
        }
    }

    fn try_rebuild(&mut self, learned: &mut Vec<String>) {
        if self.tgk.is_some() {
            return;
        }
        let Some(f) = self.facts.clone() else { return };
        // The one rule: it holds the TGK as soon as its shares determine it.
        let held: Vec<u8> = self.shares.keys().copied().collect();
        if !sharing::determines(f.scheme, f.n, f.k, f.secret_len, &held) {
            return;
        }
        let shares: Vec<Share> = self.shares.values().cloned().collect();
        let meter = core::cell::RefCell::new(Meter::new());
        let got = sharing::recover_with_check(f.scheme, &shares, f.n, f.k, f.secret_len, |tgk| {
            derive::kcv_matches(
                crate::mikey::core::crypto_prf(f.prf),
                tgk,
                f.csb_id,
                &f.rand,
                &f.kcv,
                &mut meter.borrow_mut(),
            )
        });
        self.meter.absorb(&meter.into_inner());
        let Ok(rec) = got else { return };
        learned.push(format!("the TGK, rebuilt from shares {:?} (its key check passes)", rec.used));
        for cs in 1..=f.cs_count.max(1) {
            let tek = derive::tek(
                crate::mikey::core::crypto_prf(f.prf),
                &rec.secret,
                cs,
                f.csb_id,
                &f.rand,
                16,
                &mut self.meter,
            );
            let salt = derive::salt(
                crate::mikey::core::crypto_prf(f.prf),
                &rec.secret,
                cs,
                f.csb_id,
                &f.rand,
                14,
                &mut self.meter,
            );
            learned.push(format!("the TEK and salt of crypto session {cs}"));
            self.teks.push((cs, tek, salt));
        }
        self.rebuilt_from = rec.used.clone();
        self.tgk = Some(rec.secret);
    }

    /// Shares it holds, ascending.
    pub fn share_indices(&self) -> Vec<u8> {
        self.shares.keys().copied().collect()
    }

    /// The TGK it rebuilt, if any.
    pub fn tgk(&self) -> Option<&[u8]> {
        self.tgk.as_ref().map(|t| t.as_slice())
    }

    /// Shares used for its rebuild.
    pub fn rebuilt_from(&self) -> &[u8] {
        &self.rebuilt_from
    }

    /// The TEK it derived for crypto session `cs_id`.
    pub fn tek(&self, cs_id: u8) -> Option<&[u8]> {
        self.teks.iter().find(|(c, _, _)| *c == cs_id).map(|(_, t, _)| t.as_slice())
    }

    /// Its report; `true_tgk` is used only to label `tgk_correct`.
    pub fn report(&self, true_tgk: Option<&[u8]>) -> IntruderReport {
        let shares = self.share_indices();
        let mut holds: Vec<String> = Vec::new();
        if !self.captured.is_empty() {
            holds.push(format!("{} packets captured on the wire", self.captured.len()));
        }
        for tp in self.psks.keys() {
            holds.push(format!("PSK of TP{tp} with the sensor"));
        }
        holds.extend(self.other.iter().cloned());
        for s in self.shares.values() {
            holds.push(format!("share {} ({} bytes)", s.index, s.data.len()));
        }
        if self.tgk.is_some() {
            holds.push("the TGK".into());
        }
        for (cs, _, _) in &self.teks {
            holds.push(format!("TEK and salt of crypto session {cs}"));
        }
        let (bits, total, clear, guess) = match &self.facts {
            Some(f) => {
                let e = sharing::exposure(f.scheme, f.n, f.k, f.secret_len, &shares);
                let total = 8 * f.secret_len;
                if self.tgk.is_some() {
                    (total, total, (0..f.secret_len).collect(), 0)
                } else {
                    (e.bits, total, e.bytes_in_clear, e.guess_bits)
                }
            }
            None => (0, 0, Vec::new(), 0),
        };
        let tgk_correct = match (&self.tgk, true_tgk) {
            (Some(mine), Some(truth)) => {
                use subtle::ConstantTimeEq;
                Some(bool::from(mine.as_slice().ct_eq(truth)))
            }
            _ => None,
        };
        IntruderReport {
            holds,
            shares,
            tgk_bits_exposed: bits,
            tgk_bits_total: total,
            tgk_guess_bits: guess,
            tgk_bytes_in_clear: clear,
            tgk_rebuilt: self.tgk.is_some(),
            tgk_correct,
            teks: self.teks.iter().map(|(c, _, _)| *c).collect(),
            compromised: self.compromised.clone(),
            packets_seen: self.captured.len(),
        }
    }
}
