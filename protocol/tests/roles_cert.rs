//! Certificates not issued by the session's CA are refused before any RSA decryption: a PK-mode
//! I_MESSAGE and a TPi_R signed by parties of another PKI. A certificate the CA did issue for
//! the right name but another role (OU) is refused in the PK and DH modes, by R and by the
//! sensor. Seeded provisioning is byte for byte reproducible.

mod roles_support;

use dmikey::Error;
use dmikey::cost::Meter;
use dmikey::crypto::x509::{CertRole, CertificateAuthority, ValidityWindow};
use dmikey::roles::{Mode, Node, Pki, RoleEvent};
use dmikey::sharing::Scheme;
use roles_support::{Net, config, distributed, provision};
use x509_cert::Certificate;
use x509_cert::der::Decode;

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

/// The PKI of `seed` in which `who`'s certificate is re-issued by the same CA key for the
/// same key, name (CN) and validity, but with the OU of `role`: a certificate the CA really
/// signed, for the right name, in the wrong role.
fn with_role(cfg: &dmikey::roles::SessionConfig, seed: u64, who: Node, role: CertRole) -> Pki {
    let mut pki = provision(cfg, seed);
    let mut m = Meter::new();
    let cert = Certificate::from_der(&pki.ca.cert_der).unwrap();
    let v = cert.tbs_certificate().validity();
    let window = ValidityWindow {
        not_before: v.not_before.to_unix_duration().as_secs(),
        not_after: v.not_after.to_unix_duration().as_secs(),
    };
    let ca_name = String::from_utf8_lossy(&pki.ids.ca).into_owned();
    let ca = CertificateAuthority::new(&ca_name, pki.ca.key.clone(), window, &mut m).unwrap();
    assert_eq!(ca.cert_der(), pki.ca.cert_der, "the same CA certificate, byte for byte");
    let (id, cred) = match who {
        Node::Sensor => (pki.ids.sensor.clone(), pki.sensor.as_mut().unwrap()),
        Node::Responder => (pki.ids.responder.clone(), &mut pki.responder),
        _ => unreachable!(),
    };
    let cn = String::from_utf8_lossy(&id).into_owned();
    cred.cert_der = ca.issue(&cn, role, &cred.key.public_key(), window, 99, &mut m).unwrap();
    pki
}

fn role_rejections(net: &Net, at: Node) -> Vec<Error> {
    net.events
        .iter()
        .filter(|(n, _)| *n == at)
        .filter_map(|(_, e)| match e {
            RoleEvent::Rejected { error, .. } | RoleEvent::SessionFailed { error } => {
                Some(error.clone())
            }
            _ => None,
        })
        .collect()
}

fn wrong_role_is_refused(mode: Mode, who: Node, role: CertRole, checker: Node, seed: u64) {
    let cfg = config(mode);
    let mut net = Net::with_pki(cfg.clone(), with_role(&cfg, seed, who, role), seed);
    net.start();
    net.run();
    let errors = role_rejections(&net, checker);
    assert!(
        errors.iter().any(|e| matches!(e, Error::CertificateRoleMismatch { .. })),
        "{mode:?}: {checker:?} must refuse {who:?}'s certificate in role {role:?}: {errors:?} \
         / all events {:?}",
        net.events
    );
    assert!(net.r.tgk().is_none() || checker == Node::Sensor, "R accepted a key");
    assert!(
        !net.events
            .iter()
            .any(|(n, e)| *n == Node::Sensor && matches!(e, RoleEvent::TekDerived { .. })),
        "the sensor derived keys"
    );
}

#[test]
fn pk_mode_sensor_certificate_with_the_right_cn_but_a_tp_role_is_refused_by_r() {
    wrong_role_is_refused(Mode::Pk, Node::Sensor, CertRole::ThirdParty, Node::Responder, 51);
}

#[test]
fn dh_mode_sensor_certificate_with_the_right_cn_but_a_tp_role_is_refused_by_r() {
    wrong_role_is_refused(Mode::Dh, Node::Sensor, CertRole::ThirdParty, Node::Responder, 52);
}

#[test]
fn pk_mode_r_certificate_with_the_right_cn_but_the_sensor_role_is_refused_by_the_sensor() {
    wrong_role_is_refused(Mode::Pk, Node::Responder, CertRole::Sensor, Node::Sensor, 53);
}

#[test]
fn dh_mode_r_certificate_with_the_right_cn_but_the_sensor_role_is_refused_by_the_sensor() {
    wrong_role_is_refused(Mode::Dh, Node::Responder, CertRole::Sensor, Node::Sensor, 54);
}

#[test]
fn seeded_provisioning_gives_the_same_certificate_and_key_bytes() {
    let cfg = distributed(3, 2, Scheme::Shamir);
    let (a, b) = (provision(&cfg, 61), provision(&cfg, 61));
    assert_eq!(a.to_bytes(), b.to_bytes());
    assert_eq!(a.ca.cert_der, b.ca.cert_der);
    for (x, y) in a.tps.iter().zip(&b.tps) {
        assert_eq!(x.cert_der, y.cert_der);
        assert_eq!(*x.key.to_pkcs8_der().unwrap(), *y.key.to_pkcs8_der().unwrap());
    }
    assert_ne!(provision(&cfg, 62).ca.cert_der, a.ca.cert_der, "another seed, another CA");
}
