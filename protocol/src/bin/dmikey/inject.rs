//! `--inject SPEC`: a message the intruder composes from what it knows, in the inject
//! grammar (docs/attacks.md, "The inject grammar"; [`dmikey::sim::ForgeSpec::parse`]).

use dmikey::sim::{Command, ForgeSpec};

/// Help text of the options this file reads.
pub const HELP: &str = "\
FORGING (repeatable; applied after the other attacker options, at the start of the run):
  --inject 'SPEC'                the intruder composes SPEC from what it holds and sends it:
                                 SPEC = KIND FROM>TO [FIELD=VALUE]…, KIND one of
                                 I_TP TP_I TP_R R_TP R_I PSK_I PSK_R PK_I PK_R;
                                 FIELD tgk share kcv rand (hex:HEX | fact:N), index k n csb t
                                 (numbers), idi idr (hex:HEX | text:TEXT). Unset fields are
                                 copied from the captured session or computed from the TGK.
                                 A MAC or signature it cannot compute goes out as garbage.
                                 e.g. --inject 'TP_R TP1>R tgk=hex:58206368…'
  --steal NODE                   the intruder steals NODE's long-term keys (I, R or TPi)
  --steal-after LABEL:NODE       …once LABEL has been delivered (\"steal later\")
  --search-kcv                   search the one missing share (≤ 20 bits) against the KCV
  --kcv on|off                   the key-check value (our addition; off = the paper)
";

/// The command of one `--inject` value.
pub fn command(spec: &str) -> Result<Command, String> {
    ForgeSpec::parse(spec)
        .map(|spec| Command::Inject { spec })
        .map_err(|e| format!("--inject: {e}"))
}

/// `--kcv on|off`.
pub fn key_check(v: &str) -> Result<bool, String> {
    match v {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(format!("--kcv: \"{v}\" is not on or off")),
    }
}
