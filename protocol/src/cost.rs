//! Operation counters and measured time per role: the numbers behind the paper's claim that
//! the sensor does no public-key crypto.
//!
//! Every crypto primitive in [`crate::crypto`] takes a `&mut Meter` and adds what it did:
//! * `aes_blocks` — AES block-cipher calls (AES-CM keystream blocks; for CCM the CBC-MAC
//!   blocks plus the CTR blocks, counted from the lengths as RFC 3610 processes them);
//! * `hmac_calls` — HMAC computations (each HMAC inside the PRF counts too);
//! * `sha1_compressions` / `sha256_compressions` — the compression-function calls those HMACs
//!   make, counted from the key and message lengths as the hash processes them (FIPS 180-4
//!   padding: message, one `0x80` byte, the 8-byte length, in 64-byte blocks; RFC 2104: a
//!   key longer than a block is hashed first, then one inner pass over `ipad || message` and
//!   one outer pass over `opad || inner digest`). Nothing is assumed precomputed: the code
//!   keys a fresh HMAC for every call, so every call pays its pads;
//! * `prf_calls` — calls of the MIKEY PRF (one per derived key);
//! * `rsa_public` / `rsa_private` — RSA public-key (encrypt, verify) and private-key
//!   (decrypt, sign) operations; `rsa_keygen` — key generations; [`Meter::rsa`] — the same
//!   operations by modulus size and by kind (encrypt, decrypt, sign, verify);
//! * `dh_exp` — modular exponentiations in the DH group;
//! * `bytes_sent` / `bytes_received` — counted by the simulation where it dispatches: what a
//!   role sends and what is delivered to it (not by the roles, not by crypto), with the size
//!   of each message in `sent_sizes` / `received_sizes` (radio frames are counted per message,
//!   see [`crate::energy::frames`]).
//!
//! Besides the counts, [`Meter::time`] measures the wall-clock time of an operation with
//! `web_time::Instant` (which is `performance.now()` in the browser) and adds it to the
//! [`OpTime`] of its [`Op`] kind. Measured time is for display only: no test asserts on it.
//!
//! While a [`Recording`] is active on the thread, [`Meter::record`] also keeps, for every
//! outermost operation, a [`CryptoOp`] with its inputs, so `dmikey bench` can redo each
//! operation alone and compare the session with the sum of those times.

use core::cell::RefCell;
use core::time::Duration;
use web_time::Instant;

use crate::crypto::recorded::CryptoOp;

/// The kinds of operation whose time is measured separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Op {
    /// One PRF evaluation (key derivation).
    Prf,
    /// One HMAC over a message (MAC or V payload), outside the PRF.
    Hmac,
    /// AES-CM or AES-CCM encryption/decryption of a KEMAC.
    Aes,
    /// RSA key generation.
    RsaKeygen,
    /// RSA public-key operation (PKE encrypt, signature verify).
    RsaPublic,
    /// RSA private-key operation (PKE decrypt, sign).
    RsaPrivate,
    /// Diffie-Hellman modular exponentiation.
    DhExp,
    /// X.509 certificate issue or verification (besides the RSA operation in it).
    Certificate,
}

impl Op {
    /// All kinds, in display order.
    pub const ALL: [Op; 8] = [
        Op::Prf,
        Op::Hmac,
        Op::Aes,
        Op::RsaKeygen,
        Op::RsaPublic,
        Op::RsaPrivate,
        Op::DhExp,
        Op::Certificate,
    ];

    /// A short name for tables.
    pub fn name(self) -> &'static str {
        match self {
            Op::Prf => "PRF",
            Op::Hmac => "HMAC",
            Op::Aes => "AES",
            Op::RsaKeygen => "RSA keygen",
            Op::RsaPublic => "RSA public op",
            Op::RsaPrivate => "RSA private op",
            Op::DhExp => "DH exponentiation",
            Op::Certificate => "X.509",
        }
    }

    fn index(self) -> usize {
        match self {
            Op::Prf => 0,
            Op::Hmac => 1,
            Op::Aes => 2,
            Op::RsaKeygen => 3,
            Op::RsaPublic => 4,
            Op::RsaPrivate => 5,
            Op::DhExp => 6,
            Op::Certificate => 7,
        }
    }
}

/// How often an operation kind was timed and the total time it took.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpTime {
    pub count: u64,
    pub total: Duration,
}

/// The kind of an RSA operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RsaKind {
    /// PKE encryption of an envelope key (public key).
    Encrypt,
    /// PKE decryption (private key).
    Decrypt,
    /// A signature (private key): a SIGN payload or a certificate.
    Sign,
    /// A signature verification (public key): a SIGN payload or a certificate.
    Verify,
}

/// RSA operations with one modulus size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RsaOps {
    /// The modulus size in bits.
    pub bits: usize,
    pub encrypt: u64,
    pub decrypt: u64,
    pub sign: u64,
    pub verify: u64,
}

impl RsaOps {
    /// Public-key operations (encrypt, verify).
    pub fn public(&self) -> u64 {
        self.encrypt + self.verify
    }

    /// Private-key operations (decrypt, sign).
    pub fn private(&self) -> u64 {
        self.decrypt + self.sign
    }

    fn add(&mut self, o: &RsaOps) {
        self.encrypt += o.encrypt;
        self.decrypt += o.decrypt;
        self.sign += o.sign;
        self.verify += o.verify;
    }
}

/// SHA-1 and SHA-256 block size in bytes.
const HASH_BLOCK: usize = 64;

/// Compression-function calls of one SHA-1 or SHA-256 hash of `len` bytes: the message, the
/// `0x80` byte and the 8-byte length field, in 64-byte blocks (FIPS 180-4 §5.1.1).
pub fn hash_compressions(len: usize) -> u64 {
    (len + 1 + 8).div_ceil(HASH_BLOCK) as u64
}

/// Compression-function calls of one HMAC (RFC 2104) over SHA-1 or SHA-256 with a key of
/// `key_len` bytes, a message of `msg_len` bytes and a digest of `digest_len` bytes: the key
/// hashed if longer than a block, the inner hash of `ipad || message`, the outer hash of
/// `opad || inner digest`.
pub fn hmac_compressions(key_len: usize, msg_len: usize, digest_len: usize) -> u64 {
    let key = if key_len > HASH_BLOCK { hash_compressions(key_len) } else { 0 };
    key + hash_compressions(HASH_BLOCK + msg_len) + hash_compressions(HASH_BLOCK + digest_len)
}

/// The hash function under an HMAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HmacHash {
    Sha1,
    Sha256,
}

/// Counters of one role (or of one benchmark run).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meter {
    pub aes_blocks: u64,
    pub hmac_calls: u64,
    pub prf_calls: u64,
    pub rsa_public: u64,
    pub rsa_private: u64,
    pub rsa_keygen: u64,
    pub dh_exp: u64,
    pub bytes_sent: u64,
    pub bytes_received: u64,
    /// SHA-1 compression-function calls of the HMAC-SHA-1 computations (PRF included).
    pub sha1_compressions: u64,
    /// SHA-256 compression-function calls of the HMAC-SHA-256 computations (PRF included).
    pub sha256_compressions: u64,
    /// RSA operations by modulus size, smallest size first.
    pub rsa: Vec<RsaOps>,
    /// The length of every message this role sent, in order.
    pub sent_sizes: Vec<usize>,
    /// The length of every message delivered to this role, in order.
    pub received_sizes: Vec<usize>,
    times: [OpTime; 8],
    /// Nesting depth of [`Meter::time`] calls (an AES-CM KEMAC times its HMAC inside).
    depth: u32,
    /// Time spent in outermost timed operations only: crypto time without double counting.
    outermost: Duration,
}

impl Meter {
    /// A meter with every counter at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one HMAC with `hash`, a key of `key_len` bytes over `msg_len` bytes: the call
    /// and its compression-function calls.
    pub fn count_hmac(&mut self, hash: HmacHash, key_len: usize, msg_len: usize) {
        self.hmac_calls += 1;
        match hash {
            HmacHash::Sha1 => self.sha1_compressions += hmac_compressions(key_len, msg_len, 20),
            HmacHash::Sha256 => self.sha256_compressions += hmac_compressions(key_len, msg_len, 32),
        }
    }

    /// Counts one RSA operation of `kind` with a modulus of `bits` bits (in `rsa_public` or
    /// `rsa_private` and by size in [`Meter::rsa`]).
    pub fn count_rsa(&mut self, kind: RsaKind, bits: usize) {
        match kind {
            RsaKind::Encrypt | RsaKind::Verify => self.rsa_public += 1,
            RsaKind::Decrypt | RsaKind::Sign => self.rsa_private += 1,
        }
        let mut one = RsaOps { bits, ..RsaOps::default() };
        match kind {
            RsaKind::Encrypt => one.encrypt = 1,
            RsaKind::Decrypt => one.decrypt = 1,
            RsaKind::Sign => one.sign = 1,
            RsaKind::Verify => one.verify = 1,
        }
        self.add_rsa(&one);
    }

    fn add_rsa(&mut self, ops: &RsaOps) {
        match self.rsa.iter_mut().find(|r| r.bits == ops.bits) {
            Some(mine) => mine.add(ops),
            None => {
                self.rsa.push(*ops);
                self.rsa.sort_by_key(|r| r.bits);
            }
        }
    }

    /// The RSA operations with a modulus of `bits` bits (zero if none).
    pub fn rsa_at(&self, bits: usize) -> RsaOps {
        self.rsa
            .iter()
            .find(|r| r.bits == bits)
            .copied()
            .unwrap_or(RsaOps { bits, ..RsaOps::default() })
    }

    /// Counts a message of `len` bytes sent by this role.
    pub fn count_sent(&mut self, len: usize) {
        self.bytes_sent += len as u64;
        self.sent_sizes.push(len);
    }

    /// Counts a message of `len` bytes delivered to this role.
    pub fn count_received(&mut self, len: usize) {
        self.bytes_received += len as u64;
        self.received_sizes.push(len);
    }

    /// Runs `f`, adding its wall-clock time to `op`.
    pub fn time<T>(&mut self, op: Op, f: impl FnOnce(&mut Self) -> T) -> T {
        let start = self.enter();
        let out = f(self);
        self.leave(op, start);
        out
    }

    // The non-generic halves of `time` and `record`: one copy in the binary instead of one
    // per call site (the browser build is size-bound).
    #[inline(never)]
    fn enter(&mut self) -> Instant {
        self.depth += 1;
        Instant::now()
    }

    #[inline(never)]
    fn leave(&mut self, op: Op, start: Instant) {
        self.depth -= 1;
        let spent = start.elapsed();
        if self.depth == 0 {
            self.outermost += spent;
        }
        if let Some(slot) = self.times.get_mut(op.index()) {
            slot.count += 1;
            slot.total += spent;
        }
    }

    /// Called by each crypto primitive right before it runs: if a [`Recording`] is active on
    /// this thread and the operation is not nested in another timed one, keeps the
    /// description `op` builds (otherwise `op` is not called).
    pub fn record(&self, op: impl FnOnce() -> CryptoOp) {
        if self.recording() {
            keep(op());
        }
    }

    #[inline(never)]
    fn recording(&self) -> bool {
        self.depth == 0 && RECORDING.with(|r| r.borrow().is_some())
    }

    /// Wall-clock time of all timed operations, nested ones counted once (what the session's
    /// own meters measured of its crypto).
    pub fn crypto_time(&self) -> Duration {
        self.outermost
    }

    /// The measured time of one operation kind.
    pub fn op_time(&self, op: Op) -> OpTime {
        self.times.get(op.index()).copied().unwrap_or_default()
    }

    /// Adds another meter's counts and times to this one (e.g. a role's total).
    pub fn absorb(&mut self, other: &Meter) {
        self.aes_blocks += other.aes_blocks;
        self.hmac_calls += other.hmac_calls;
        self.prf_calls += other.prf_calls;
        self.rsa_public += other.rsa_public;
        self.rsa_private += other.rsa_private;
        self.rsa_keygen += other.rsa_keygen;
        self.dh_exp += other.dh_exp;
        self.bytes_sent += other.bytes_sent;
        self.bytes_received += other.bytes_received;
        self.sha1_compressions += other.sha1_compressions;
        self.sha256_compressions += other.sha256_compressions;
        for ops in &other.rsa {
            self.add_rsa(ops);
        }
        self.sent_sizes.extend_from_slice(&other.sent_sizes);
        self.received_sizes.extend_from_slice(&other.received_sizes);
        self.outermost += other.outermost;
        for (mine, theirs) in self.times.iter_mut().zip(other.times.iter()) {
            mine.count += theirs.count;
            mine.total += theirs.total;
        }
    }

    /// True if this meter counted any public-key operation (RSA or DH).
    pub fn used_public_key_crypto(&self) -> bool {
        self.rsa_public + self.rsa_private + self.rsa_keygen + self.dh_exp > 0
    }
}

// ---- recording of crypto operations (sim bench) ----

/// Appends `op` to the active recording of this thread, if any.
#[inline(never)]
fn keep(op: CryptoOp) {
    RECORDING.with(|r| {
        if let Some(ops) = r.borrow_mut().as_mut() {
            ops.push(op);
        }
    });
}

thread_local! {
    static RECORDING: RefCell<Option<Vec<CryptoOp>>> = const { RefCell::new(None) };
}

/// While alive, records every outermost crypto operation run on this thread (see
/// [`Meter::record`]). Recordings do not nest: starting one discards an unfinished one.
#[derive(Debug)]
pub struct Recording {
    _not_send: core::marker::PhantomData<*const ()>,
}

impl Recording {
    /// Starts recording on this thread.
    pub fn start() -> Recording {
        RECORDING.with(|r| *r.borrow_mut() = Some(Vec::new()));
        Recording { _not_send: core::marker::PhantomData }
    }

    /// Stops recording and returns the operations, in the order they ran.
    pub fn finish(self) -> Vec<CryptoOp> {
        RECORDING.with(|r| r.borrow_mut().take()).unwrap_or_default()
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        RECORDING.with(|r| *r.borrow_mut() = None);
    }
}

// ---- end recording ----

// ---- per-role and per-mode aggregation (sim) ----

/// The meters of one run, one row per role, for one MIKEY mode: the table the UI and
/// `dmikey bench` show next to the paper's energy claim.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CostTable {
    /// "psk", "pk", "dh" or "distributed".
    pub mode: &'static str,
    /// (role label "I", "TP1", …, "R", meter).
    pub rows: Vec<(String, Meter)>,
}

impl CostTable {
    /// The meter of one role.
    pub fn role(&self, label: &str) -> Option<&Meter> {
        self.rows.iter().find(|(l, _)| l == label).map(|(_, m)| m)
    }

    /// The sum over every role.
    pub fn total(&self) -> Meter {
        let mut t = Meter::new();
        for (_, m) in &self.rows {
            t.absorb(m);
        }
        t
    }

    /// The sum over the third parties only.
    pub fn third_parties(&self) -> Meter {
        let mut t = Meter::new();
        for (l, m) in &self.rows {
            if l.starts_with("TP") {
                t.absorb(m);
            }
        }
        t
    }

    /// Measured time of all crypto operations of every role (nested timings counted once).
    pub fn crypto_time(&self) -> Duration {
        self.total().crypto_time()
    }

    /// A plain-text table (one line per role) for the command line.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "{:<6} {:>8} {:>6} {:>6} {:>7} {:>8} {:>6} {:>8} {:>8}\n",
            "role", "AES blk", "HMAC", "PRF", "RSA pub", "RSA priv", "DH exp", "sent B", "recv B"
        );
        let total = self.total();
        let rows = self.rows.iter().map(|(l, m)| (l.as_str(), m)).chain([("total", &total)]);
        for (l, m) in rows {
            s.push_str(&format!(
                "{:<6} {:>8} {:>6} {:>6} {:>7} {:>8} {:>6} {:>8} {:>8}\n",
                l,
                m.aes_blocks,
                m.hmac_calls,
                m.prf_calls,
                m.rsa_public,
                m.rsa_private,
                m.dh_exp,
                m.bytes_sent,
                m.bytes_received
            ));
        }
        s
    }
}

// ---- end per-role aggregation ----

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_counts_calls_and_absorb_adds() {
        let mut m = Meter::new();
        let v = m.time(Op::Prf, |m| {
            m.prf_calls += 1;
            7
        });
        assert_eq!(v, 7);
        assert_eq!(m.op_time(Op::Prf).count, 1);
        let mut total = Meter::new();
        total.absorb(&m);
        total.absorb(&m);
        assert_eq!(total.prf_calls, 2);
        assert_eq!(total.op_time(Op::Prf).count, 2);
        assert!(!total.used_public_key_crypto());
    }
}

#[cfg(test)]
mod compression_tests {
    use super::*;

    #[test]
    fn hmac_compressions_by_hand() {
        // Key of 20 bytes, message of 55: inner 64 + 55 + 9 = 128 bytes = 2 blocks, outer
        // 64 + 20 + 9 = 93 bytes = 2 blocks.
        assert_eq!(hmac_compressions(20, 55, 20), 4);
        // One byte more and the inner pass needs a third block (129 bytes).
        assert_eq!(hmac_compressions(20, 56, 20), 5);
        // A 65-byte key is hashed first: 65 + 9 = 74 bytes = 2 blocks.
        assert_eq!(hmac_compressions(65, 0, 20), 2 + 2 + 2);
        // SHA-256's 32-byte digest still fits the outer pass in 2 blocks (64 + 32 + 9 = 105).
        assert_eq!(hmac_compressions(32, 10, 32), 4);
        let mut m = Meter::new();
        m.count_hmac(HmacHash::Sha1, 20, 56);
        m.count_rsa(RsaKind::Verify, 2048);
        m.count_rsa(RsaKind::Sign, 1024);
        m.count_rsa(RsaKind::Sign, 2048);
        assert_eq!((m.hmac_calls, m.sha1_compressions), (1, 5));
        assert_eq!((m.rsa_public, m.rsa_private), (1, 2));
        assert_eq!(m.rsa.iter().map(|r| r.bits).collect::<Vec<_>>(), [1024, 2048]);
        assert_eq!((m.rsa_at(2048).public(), m.rsa_at(2048).private()), (1, 1));
        assert_eq!(m.rsa_at(3072), RsaOps { bits: 3072, ..RsaOps::default() });
    }
}

#[cfg(test)]
mod recording_tests {
    use super::*;
    use crate::crypto::mac::{self, MacAlg};

    #[test]
    fn records_outermost_operations_only_while_recording() {
        let mut m = Meter::new();
        let key = [1u8; 20];
        // No recording: the description is never built.
        m.record(|| unreachable!("no recording is active"));
        let rec = Recording::start();
        mac::compute(MacAlg::HmacSha1_160, &key, &[b"V"], &mut m);
        // An HMAC nested in a timed operation belongs to that operation.
        m.time(Op::Aes, |m| mac::compute(MacAlg::HmacSha1_160, &key, &[b"x"], m));
        let ops = rec.finish();
        assert_eq!(ops.len(), 1);
        assert_eq!(ops.first().map(|o| o.kind()), Some("HMAC (V payload)"));
        mac::compute(MacAlg::HmacSha1_160, &key, &[b"after"], &mut m);
        assert!(Recording::start().finish().is_empty());
    }
}

#[cfg(test)]
mod aggregation_tests {
    use super::*;

    #[test]
    fn nested_timings_count_once_and_tables_add_up() {
        let mut m = Meter::new();
        m.time(Op::Aes, |m| {
            m.aes_blocks += 2;
            m.time(Op::Hmac, |m| m.hmac_calls += 1);
        });
        assert_eq!(m.op_time(Op::Aes).count, 1);
        assert_eq!(m.op_time(Op::Hmac).count, 1);
        // the outermost time covers the nested one: never more than the AES time
        assert!(m.crypto_time() <= m.op_time(Op::Aes).total);
        let table = CostTable {
            mode: "distributed",
            rows: vec![
                ("I".into(), m.clone()),
                ("TP1".into(), m.clone()),
                ("R".into(), Meter::new()),
            ],
        };
        assert_eq!(table.total().aes_blocks, 4);
        assert_eq!(table.third_parties().hmac_calls, 1);
        assert_eq!(table.role("I").map(|m| m.aes_blocks), Some(2));
        assert!(table.to_text().lines().count() == 5);
    }
}
