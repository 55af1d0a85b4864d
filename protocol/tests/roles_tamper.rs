//! Every single-byte flip of every message of a distributed session with n = 3 (all five
//! message kinds, optional ones switched on) is rejected by its receiver with a named error:
//! zero accepted, zero panics. Each flipped copy is delivered to a clone of the receiver as it
//! was just before the original arrived.

mod roles_support;

use std::collections::BTreeMap;

use dmikey::cost::Meter;
use dmikey::crypto::rng::SimRng;
use dmikey::roles::{Ctx, RoleEvent};
use dmikey::sharing::Scheme;
use roles_support::{Net, accepted, distributed};

fn full_session(seed: u64) -> Net {
    let mut cfg = distributed(3, 2, Scheme::Shamir);
    cfg.optional.tp_i = true;
    cfg.optional.r_tp = true;
    cfg.optional.r_i = true;
    let mut net = Net::new(cfg, seed);
    net.start();
    net.run();
    assert!(net.rejections().is_empty(), "{:?}", net.rejections());
    assert_eq!(net.sensor.tgk(), net.r.tgk());
    net
}

#[test]
fn every_single_byte_flip_of_every_message_is_rejected_with_a_named_error() {
    let net = full_session(11);
    let kinds: Vec<String> = net.deliveries.iter().map(|d| d.out.label.clone()).collect();
    assert_eq!(net.deliveries.len(), 13, "3 I_TPi + 3 TPi_I + 3 TPi_R + 3 R_TPi + R_I: {kinds:?}");
    let mut rng = SimRng::from_seed(99);
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    let mut flips = 0usize;
    for d in &net.deliveries {
        // The original is accepted by this snapshot (so a rejection below is due to the flip).
        let mut meter = Meter::new();
        let mut ok = d.before.clone();
        let out = ok.deliver(
            d.from,
            &d.out.bytes,
            &mut Ctx { now: d.at, rng: &mut rng, meter: &mut meter },
        );
        assert!(accepted(&out), "{} original not accepted: {:?}", d.out.label, out.events);
        for pos in 0..d.out.bytes.len() {
            for mask in [0x01u8, 0xFF] {
                let mut bytes = d.out.bytes.clone();
                bytes[pos] ^= mask;
                let mut role = d.before.clone();
                let out = role.deliver(
                    d.from,
                    &bytes,
                    &mut Ctx { now: d.at, rng: &mut rng, meter: &mut meter },
                );
                flips += 1;
                assert!(
                    !accepted(&out),
                    "{} byte {pos} ^ {mask:#04x} accepted: {:?}",
                    d.out.label,
                    out.events
                );
                let rejected: Vec<_> = out
                    .events
                    .iter()
                    .filter_map(|e| match e {
                        RoleEvent::Rejected { error, .. } => Some(error),
                        _ => None,
                    })
                    .collect();
                assert_eq!(rejected.len(), 1, "{} byte {pos}: {:?}", d.out.label, out.events);
                let name = format!("{:?}", rejected[0]);
                let variant = name.split([' ', '(', '{']).next().unwrap_or_default().to_string();
                *errors.entry(variant).or_default() += 1;
            }
        }
    }
    assert!(flips > 2000, "{flips} flips");
    eprintln!("{flips} flips rejected; errors by kind: {errors:?}");
}
