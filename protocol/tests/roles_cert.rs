//! Certificates not issued by the session's CA are refused before any RSA decryption: a PK-mode
//! I_MESSAGE and a TPi_R signed by parties of another PKI.

mod roles_support;

use dmikey::roles::{Mode, Node, RoleEvent};
use dmikey::sharing::Scheme;
use roles_support::{Net, config, distributed, provision};

#[test]
fn pk_mode_message_with_a_certificate_from_another_ca_is_rejected() {
    let cfg = config(Mode::Pk);
    let mut real = Net::new(cfg.clone(), 41);
    let mut rogue = Net::with_pki(cfg.clone(), provision(&cfg, 42), 42);
    rogue.start();
    let forged = rogue.sensor_first_message();
    let rsa_private_before = real.meters.get(&Node::Responder).map_or(0, |m| m.rsa_private);
    let out = real.deliver(Node::Sensor, Node::Responder, &forged);
    assert!(
        matches!(
            &out.events[..],
            [RoleEvent::Rejected { error: dmikey::Error::CertificateNotFromCa { .. }, .. }]
        ),
        "{:?}",
        out.events
    );
    assert_eq!(
        real.meters[&Node::Responder].rsa_private,
        rsa_private_before,
        "no RSA decryption for a stranger"
    );
    assert!(real.r.tgk().is_none());
}

#[test]
fn tp_r_from_a_tp_of_another_pki_is_rejected() {
    let cfg = distributed(2, 2, Scheme::Shamir);
    let mut real = Net::new(cfg.clone(), 43);
    let mut rogue = Net::with_pki(cfg.clone(), provision(&cfg, 44), 44);
    rogue.start();
    rogue.run();
    let tp_r = rogue
        .deliveries
        .iter()
        .find(|d| d.out.label == "TP1_R")
        .expect("rogue TP1_R")
        .out
        .bytes
        .clone();
    let out = real.deliver(Node::Tp(1), Node::Responder, &tp_r);
    assert!(
        matches!(
            &out.events[..],
            [RoleEvent::Rejected { error: dmikey::Error::CertificateNotFromCa { .. }, .. }]
        ),
        "{:?}",
        out.events
    );
}
