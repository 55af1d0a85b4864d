//! What a role knows and computed, message by message: each message it sent or received,
//! inspected with its keys; for R in the distributed mode also the rebuild of the TGK from the
//! shares it opened, and the TEKs it derives from it.

use super::calc::{self, hex, prf_calc, value};
use super::{CalcKind, Calculation, Check, Direction, Inspection, Opened, RoleStep, RoleView};
use crate::cost::Meter;
use crate::crypto::derive;
use crate::crypto::prf::{PrfFunc, prf};
use crate::roles::{MsgKind, Node};
use crate::sharing::{Scheme, Share};
use crate::sim::{Fate, Simulation};
use crate::wire::Message;

pub(super) fn of(sim: &Simulation, node: Node) -> RoleView {
    let mut steps = Vec::new();
    let mut shares: Vec<Share> = Vec::new();
    let mut last_tp_r = None;
    for p in sim.capture() {
        let direction = if p.from == node {
            Direction::Sent
        } else if p.to == node && matches!(p.fate, Fate::Delivered { .. }) {
            Direction::Received
        } else {
            continue;
        };
        let Some(i) = Inspection::of_packet(sim, p.id, node) else { continue };
        if node == Node::Responder && p.kind == MsgKind::TpR && direction == Direction::Received {
            for d in &i.decrypted {
                if let Opened::Open { values, .. } = &d.opened {
                    let index = Message::decode(&p.bytes)
                        .ok()
                        .and_then(|m| m.message.dmikey_ext()?.ok()?.index);
                    for v in values.iter().filter(|v| v.name.starts_with("share ")) {
                        if let Some(index) = index
                            && !shares.iter().any(|s| s.index == index)
                        {
                            shares.push(Share { index, data: v.bytes.clone() });
                        }
                    }
                }
            }
            last_tp_r = Some(steps.len());
        }
        steps.push(RoleStep {
            packet: p.id,
            label: p.label.clone(),
            direction,
            calculations: i.calculations,
            decrypted: i.decrypted,
        });
    }
    // The sensor draws the TGK and derives its TEKs before it sends the first I_TPi.
    if node == Node::Sensor
        && sim.is_distributed()
        && let Some(tgk) = sim.sensor().tgk()
        && let Some(step) = steps.iter_mut().find(|s| s.direction == Direction::Sent)
    {
        step.calculations.extend(teks(sim, tgk, "the sensor's TGK"));
    }
    if node == Node::Responder
        && let Some(at) = last_tp_r
        && let Some(rebuild) = rebuild(sim, &mut shares)
        && let Some(step) = steps.get_mut(at)
    {
        step.calculations.extend(rebuild);
    }
    RoleView { node, knows: sim.node_knowledge(node), steps }
}

/// The TGK rebuilt from the shares R opened, and the TEKs R derives from it.
fn rebuild(sim: &Simulation, shares: &mut [Share]) -> Option<Vec<Calculation>> {
    let cfg = sim.config();
    let scheme = cfg.scheme?;
    let tgk_r = sim.responder().tgk()?;
    let facts = sim.session_facts()?;
    let n = cfg.tps();
    let k = cfg.k;
    let t = usize::from(crate::sharing::threshold(scheme, n, k));
    shares.sort_by_key(|s| s.index);
    let used = shares.get(..t)?;
    let rebuilt = crate::sharing::combine(scheme, used, n, k, tgk_r.len()).ok()?;
    let label = derive::message_label(derive::C_KCV, facts.csb_id, &facts.rand);
    let kcv = prf(PrfFunc::Mikey1, &rebuilt, &label, derive::KCV_LEN, &mut Meter::new());
    let kcv_sensor = prf(PrfFunc::Mikey1, tgk_r, &label, derive::KCV_LEN, &mut Meter::new());
    let indices: Vec<String> = used.iter().map(|s| s.index.to_string()).collect();
    let indexed: Vec<(u8, Vec<u8>)> = used.iter().map(|s| (s.index, s.data.clone())).collect();
    let commands = match scheme {
        Scheme::Xor => {
            calc::xor_snippets(&used.iter().map(|s| s.data.clone()).collect::<Vec<_>>(), &rebuilt)
        }
        Scheme::Shamir => calc::shamir_snippets(&indexed, &rebuilt),
        Scheme::PaperRs => calc::rs_snippets(&indexed, &rebuilt),
        Scheme::AontRs => calc::aont_rs_snippets(&indexed, &crate::sharing::AONT_CANARY, &rebuilt),
    };
    let mut out = vec![Calculation {
        kind: CalcKind::TgkRebuild,
        title: format!("TGK rebuilt from shares {} ({})", indices.join(", "), scheme.name()),
        rfc: "docs/distributed-mode.md",
        inputs: used.iter().map(|s| value(format!("share {}", s.index), &s.data, None)).collect(),
        formula: vec![
            format!("TGK = combine({}, k = {k}, n = {n}) of {t} shares", scheme.name()),
            combine_words(scheme, tgk_r.len()),
            "accepted only if PRF(TGK, 0x444D4B43 ‖ 0xFF ‖ CSB ID ‖ RAND) equals the KCV".into(),
        ],
        output: value("TGK", &rebuilt, None),
        check: if kcv == kcv_sensor {
            Check::Ok(format!("KCV {} matches: the rebuilt TGK is the sensor's", hex(&kcv)))
        } else {
            Check::Failed(format!("KCV {} differs from the extension's", hex(&kcv)))
        },
        commands,
    }];
    out.extend(teks(sim, &rebuilt, "the rebuilt TGK"));
    Some(out)
}

/// How `scheme` combines its shares, in one line (docs/distributed-mode.md).
fn combine_words(scheme: Scheme, len: usize) -> String {
    let rs = "share i is P(i − 1) for the polynomial P of degree < k over GF(2^8) mod 0x11D whose values P(0) … P(k−1) are the data slices (the systematic Reed–Solomon code): Lagrange interpolation at 0 … k−1 gives the slices back, joined";
    match scheme {
        Scheme::Xor => "TGK = share 1 XOR share 2 XOR … XOR share n".into(),
        Scheme::Shamir => "TGK = Σ_j share_j · Π_{m≠j} x_m / (x_m − x_j) over GF(2^8) mod 0x11B (Lagrange interpolation at x = 0, x_j the share's index)".into(),
        Scheme::PaperRs => format!("{rs}; the TGK is their first {len} bytes, the rest must be zero padding"),
        Scheme::AontRs => format!(
            "{rs}: the package C ‖ M, C of {} bytes; K = M XOR SHA-256(C); TGK ‖ canary = AES-256-CTR(K, IV 0)(C), the canary must be \"D-MIKEY AONT-RS1\"",
            len + crate::sharing::AONT_CANARY.len()
        ),
    }
}

/// TEK and SRTP master salt of every crypto session from `tgk` (RFC 3830 §4.1.3).
fn teks(sim: &Simulation, tgk: &[u8], whose: &str) -> Vec<Calculation> {
    let mut out = Vec::new();
    let Some(facts) = sim.session_facts() else { return out };
    let cs_count = sim
        .capture()
        .iter()
        .find_map(|p| Some(p.decoded().ok()?.message.hdr.cs_map.cs_count()))
        .unwrap_or(1);
    for cs in 1..=cs_count {
        for (kind, constant, len, name) in [
            (CalcKind::Tek, derive::C_TEK, 16usize, "TEK"),
            (CalcKind::TekSalt, derive::C_SP_SALT, 14usize, "SRTP master salt"),
        ] {
            let v = prf(
                PrfFunc::Mikey1,
                tgk,
                &derive::session_label(constant, cs, facts.csb_id, &facts.rand),
                len,
                &mut Meter::new(),
            );
            out.push(prf_calc(
                kind,
                format!("{name} of crypto session {cs} from {whose}"),
                "RFC 3830 §4.1.3",
                PrfFunc::Mikey1,
                value("TGK", tgk, None),
                constant,
                cs,
                (facts.csb_id, None),
                (&facts.rand, None),
                name,
                &v,
            ));
        }
    }
    out
}
