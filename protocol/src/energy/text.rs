//! What the cost view says about its numbers: sentences computed from the sessions' counts
//! and the model's parameters (each backed by a test in `tests/energy_costs.rs`).

use super::chart::format_mj;
use super::{FrameModel, ModeCost, Param, Prices};
use crate::roles::Mode;

fn of(costs: &[ModeCost], mode: Mode) -> Option<&ModeCost> {
    costs.iter().find(|c| c.mode == mode)
}

fn ratio(a: f64, b: f64) -> String {
    if b <= 0.0 {
        return "—".into();
    }
    let r = a / b;
    if r >= 10.0 { format!("{r:.0}×") } else { format!("{r:.2}×") }
}

/// Where the cost moves, from the four sessions at the same n (an empty list if one is
/// missing).
pub fn findings(costs: &[ModeCost]) -> Vec<String> {
    let (Some(psk), Some(pk), Some(dh), Some(dist)) = (
        of(costs, Mode::Psk),
        of(costs, Mode::Pk),
        of(costs, Mode::Dh),
        of(costs, Mode::Distributed),
    ) else {
        return Vec::new();
    };
    let (Some(ps), Some(pks), Some(dhs), Some(ds)) =
        (psk.sensor(), pk.sensor(), dh.sensor(), dist.sensor())
    else {
        return Vec::new();
    };
    let rsa = |r: &super::RoleCost| r.meter.rsa_public + r.meter.rsa_private;
    let others = dist.others();
    vec![
        format!(
            "In the distributed mode (n = {}, k = {}) the sensor performs {} RSA and {} DH \
             operations, as in the pre-shared-key mode ({} and {}); in the public-key mode it \
             performs {} RSA operations, in the Diffie–Hellman mode {} RSA and {} DH.",
            dist.n,
            dist.k,
            rsa(ds),
            ds.meter.dh_exp,
            rsa(ps),
            ps.meter.dh_exp,
            rsa(pks),
            rsa(dhs),
            dhs.meter.dh_exp
        ),
        format!(
            "The public-key work moves to the third parties and R: in the distributed session \
             they perform {} RSA private-key and {} RSA public-key operations between them.",
            others.rsa_private, others.rsa_public
        ),
        format!(
            "What the sensor pays instead grows with n: it sends {} messages ({} frames, {} \
             bytes) and receives {}, against {} sent and {} received in the pre-shared-key \
             mode.",
            ds.meter.sent_sizes.len(),
            ds.frames_sent,
            ds.meter.bytes_sent,
            ds.meter.received_sizes.len(),
            ps.meter.sent_sizes.len(),
            ps.meter.received_sizes.len()
        ),
        format!(
            "In this model the sensor's energy per key agreement in the distributed mode is {} \
             ({} the public-key mode's {}, {} the pre-shared-key mode's {}).",
            format_mj(ds.energy.total_mj()),
            ratio(ds.energy.total_mj(), pks.energy.total_mj()),
            format_mj(pks.energy.total_mj()),
            ratio(ds.energy.total_mj(), ps.energy.total_mj()),
            format_mj(ps.energy.total_mj())
        ),
        "The standard modes do not depend on n: they have no third party, so their session is \
         run once and drawn flat."
            .to_string(),
    ]
}

/// What the model is and leaves out.
pub fn caveats(prices: &Prices, frames: &FrameModel) -> Vec<String> {
    let t = prices.get(Param::ListenTime);
    let listen = if t > 0.0 {
        format!("{t} ms per key agreement at {} mW", prices.get(Param::ListenPower))
    } else {
        "0 ms per key agreement, which is optimistic".to_string()
    };
    vec![
        "Every energy here is a model, not a measurement: the operation counts are measured in \
         the sessions run here, each multiplied by a figure measured by others on other \
         hardware (source and status beside each figure)."
            .to_string(),
        "The third parties and R are priced with the same figures as the sensor, although \
         they are usually larger, mains-powered devices."
            .to_string(),
        format!(
            "Left out: sleep and sensing current, radio start-up and turnaround, ACKs, \
             retransmissions and back-off; idle listening only as the parameter, here {listen}."
        ),
        frames.assumption(),
        "RSA key generation and certificate issue are not counted: the PKI is provisioned \
         before the sessions."
            .to_string(),
        "The measured times are of this build on this machine, not of a sensor.".to_string(),
    ]
}
