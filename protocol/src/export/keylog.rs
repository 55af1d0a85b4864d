//! The key log of a run: one JSON object with every secret an independent program needs to
//! open every KEMAC, check every MAC and signature, and recompute every TEK of the capture.
//!
//! Format (`"format": "dmikey-keylog-1"`; byte strings are lowercase hex):
//! ```text
//! {
//!   "format": "dmikey-keylog-1",
//!   "mode": "psk" | "pk" | "dh" | "distributed",
//!   "epoch_unix": <u64>,              // wall-clock second of simulated time 0
//!   "kemac_profile": "aes-cm" | "aes-ccm",
//!   "session": {
//!     "csb_id": <u32>, "rand": hex, "prf": "MIKEY-1",
//!     "tgk": hex | null,              // as drawn by the sensor
//!     "scheme": "rs"|"shamir"|"xor"|"aont-rs"|null, "n": <u8>, "k": <u8>,
//!     "shares": [{"index": <u8>, "data": hex}],
//!     "teks": [{"cs_id": <u8>, "tek": hex, "salt": hex}]   // as derived by the sensor
//!   },
//!   "psks": [{"a": "I", "b": "TP1", "key": hex}],          // and {"a":"I","b":"R"} (PSK mode)
//!   "certificates": [{"node": "CA"|"R"|"TP1"|"I", "der": hex}],  // X.509v3, RSA keys inside
//!   "messages": [{
//!     "id": <n>, "label": "I_TP1", "kind": "ITp", "from": "I", "to": "TP1",
//!     "time_ms": <u64>, "tampered": <bool>, "replay_of": <id>|null, "fate": "delivered"|"dropped"|"in flight",
//!     "bytes": hex,
//!     "protected_by": {"secret": "psk"|"envelope_key"|"tgk"|"signature"|"none",
//!                      "key": hex|null, "auth_key": hex|null, "note": "…"}
//!   }]
//! }
//! ```
//! `protected_by.key` is the secret the message keys derive from (RFC 3830 §4.1.4): the PSK
//! for I_TPi, TPi_I and the PSK-mode messages; the envelope key for TPi_R, R_TPi and the
//! PK-mode messages (recovered from the PKE payload with R's private key, or, for the
//! verification messages, from the message they answer); the TGK for R_I (auth_key_RI, see
//! docs/distributed-mode.md, "The key of R_I"). Signatures are checked with the public key in
//! the signer's certificate. `protected_by.auth_key` is the 160-bit key derived from it with
//! the session's CSB ID and RAND, `PRF(key, 0x2D22AC75 ‖ 0xFF ‖ CSB ID ‖ RAND)` — the key of the
//! KEMAC MAC and the V MAC (§4.1.4; auth_key_RI for R_I) — as the inspector shows it.

use super::json::JsonWriter;
use crate::roles::{MsgKind, Node};
use crate::sim::{Fate, Origin, Simulation};

/// Writes the key log of `sim`.
pub fn write(sim: &Simulation) -> String {
    let cfg = sim.config();
    let mut w = JsonWriter::new();
    w.begin_object();
    w.field_str("format", "dmikey-keylog-1");
    w.field_str("mode", cfg.mode.name());
    w.field_uint("epoch_unix", crate::roles::EPOCH_UNIX);
    w.field_str("kemac_profile", sim.config().kemac.cli_name());

    let facts = sim.session_facts();
    w.key("session").begin_object();
    match &facts {
        Some(f) => {
            w.field_uint("csb_id", u64::from(f.csb_id));
            w.field_hex("rand", &f.rand);
            w.field_str("prf", "MIKEY-1");
        }
        None => {
            w.key("csb_id").null();
            w.key("rand").null();
        }
    }
    match sim.sensor().tgk() {
        Some(t) => w.field_hex("tgk", t),
        None => w.key("tgk").null(),
    };
    match cfg.scheme {
        Some(s) if sim.is_distributed() => w.field_str("scheme", s.cli_name()),
        _ => w.key("scheme").null(),
    };
    w.field_uint("n", u64::from(cfg.tps()));
    w.field_uint("k", u64::from(if sim.is_distributed() { cfg.k } else { 0 }));
    w.key("shares").begin_array();
    for (index, data) in sim.sent_shares() {
        w.begin_object().field_uint("index", u64::from(index)).field_hex("data", &data);
        w.end_object();
    }
    w.end_array();
    w.key("teks").begin_array();
    for t in sim.sensor().teks() {
        w.begin_object();
        w.field_uint("cs_id", u64::from(t.cs_id))
            .field_hex("tek", &t.tek)
            .field_hex("salt", &t.salt);
        w.end_object();
    }
    w.end_array();
    w.end_object();

    let pki = sim.pki();
    w.key("psks").begin_array();
    for i in 1..=cfg.tps() {
        if let Some(k) = pki.psk_with_tp(i) {
            w.begin_object().field_str("a", "I").field_str("b", &Node::Tp(i).label());
            w.field_hex("key", k).end_object();
        }
    }
    if let Some(k) = pki.psk_with_r().filter(|_| cfg.mode == crate::roles::Mode::Psk) {
        w.begin_object().field_str("a", "I").field_str("b", "R").field_hex("key", k);
        w.end_object();
    }
    w.end_array();

    w.key("certificates").begin_array();
    let mut certs: Vec<(String, &[u8])> =
        vec![("CA".into(), &pki.ca.cert_der), ("R".into(), &pki.responder.cert_der)];
    for (i, c) in pki.tps.iter().enumerate() {
        certs.push((format!("TP{}", i + 1), &c.cert_der));
    }
    if let Some(s) = &pki.sensor {
        certs.push(("I".into(), &s.cert_der));
    }
    for (node, der) in certs {
        w.begin_object().field_str("node", &node).field_hex("der", der).end_object();
    }
    w.end_array();

    w.key("messages").begin_array();
    for p in sim.capture() {
        w.begin_object();
        w.field_uint("id", p.id as u64);
        w.field_str("label", &p.label);
        w.field_str("kind", &format!("{:?}", p.kind));
        w.field_str("from", &p.from.label());
        w.field_str("to", &p.to.label());
        w.field_uint("time_ms", p.sent_at.0);
        w.field_bool("tampered", p.tampered);
        match p.origin {
            Origin::Replay { of } => w.field_uint("replay_of", of as u64),
            Origin::Role => w.key("replay_of").null(),
        };
        w.field_str(
            "fate",
            match p.fate {
                Fate::InFlight => "in flight",
                Fate::Delivered { .. } => "delivered",
                Fate::Dropped { .. } => "dropped",
            },
        );
        w.field_hex("bytes", &p.bytes);
        w.key("protected_by").begin_object();
        let (secret, key, note) = protection(sim, p.id, p.kind, p.from, p.to);
        w.field_str("secret", secret);
        let auth_key = key.as_deref().zip(facts.as_ref()).map(|(k, f)| {
            let label = crate::crypto::derive::message_label(
                crate::crypto::derive::C_AUTH,
                f.csb_id,
                &f.rand,
            );
            let func = crate::crypto::prf::PrfFunc::Mikey1;
            crate::crypto::prf::prf(func, k, &label, 20, &mut crate::cost::Meter::new())
        });
        match &key {
            Some(k) => w.field_hex("key", k),
            None => w.key("key").null(),
        };
        match auth_key {
            Some(a) => w.field_hex("auth_key", &a),
            None => w.key("auth_key").null(),
        };
        w.field_str("note", &note);
        w.end_object();
        w.end_object();
    }
    w.end_array();
    w.end_object();
    w.finish()
}

fn protection(
    sim: &Simulation,
    id: usize,
    kind: MsgKind,
    from: Node,
    to: Node,
) -> (&'static str, Option<Vec<u8>>, String) {
    let pki = sim.pki();
    let tp_of = |a: Node, b: Node| match (a, b) {
        (Node::Tp(i), _) | (_, Node::Tp(i)) => Some(i),
        _ => None,
    };
    match kind {
        MsgKind::ITp | MsgKind::TpI => {
            let i = tp_of(from, to).unwrap_or(0);
            ("psk", pki.psk_with_tp(i).map(|k| k.to_vec()), format!("PSK shared by I and TP{i}"))
        }
        MsgKind::PskInit | MsgKind::PskVerify => {
            ("psk", pki.psk_with_r().map(<[u8]>::to_vec), "PSK shared by I and R".into())
        }
        MsgKind::TpR | MsgKind::PkInit | MsgKind::RTp | MsgKind::PkVerify => (
            "envelope_key",
            sim.envelope_key_of(id).map(|k| k.to_vec()),
            "envelope key of the PK I_MESSAGE (PKE payload, R's RSA key); SIGN checked with the signer's certificate"
                .into(),
        ),
        MsgKind::RI => ("tgk", sim.sensor().tgk().map(|t| t.to_vec()), "auth_key_RI = PRF(TGK, 0x2D22AC75 ‖ 0xFF ‖ CSB ID ‖ RAND)".into()),
        MsgKind::DhInit | MsgKind::DhResp => {
            ("signature", None, "signed with the sender's RSA key; its certificate is in the message".into())
        }
        MsgKind::Error => ("none", None, "ERR message".into()),
    }
}
