//! `--inject SPEC`: a message the intruder composes from what it knows, in the inject
//! grammar (docs/attacks.md, "The inject grammar"; [`dmikey::sim::ForgeSpec::parse`]).

use dmikey::sim::{Command, ForgeField, ForgeSpec, Knowledge};

/// Help text of the options this file reads.
pub const HELP: &str = "\
FORGING (repeatable; applied after the other attacker options, at the start of the run):
  --inject 'SPEC'                the intruder composes SPEC from what it holds and sends it:
                                 SPEC = KIND FROM>TO [FIELD=VALUE]…, KIND one of
                                 I_TP TP_I TP_R R_TP R_I PSK_I PSK_R PK_I PK_R DH_I DH_R;
                                 FIELD tgk share kcv rand (hex:HEX), index k n csb t
                                 (numbers), idi idr (hex:HEX | text:TEXT), each also fact:N
                                 (read from fact N: a captured message's field, a share, a
                                 TGK; --facts lists them). Unset fields are copied from the
                                 captured session or computed from the TGK.
                                 A MAC or signature it cannot compute goes out as garbage.
                                 e.g. --inject 'TP_R TP1>R tgk=hex:58206368…'
  --steal NODE                   the intruder steals NODE's long-term keys (I, R or TPi)
  --steal-after LABEL:NODE       …once LABEL has been delivered (\"steal later\")
  --search-kcv                   search the one missing share (≤ 20 bits) against the KCV
  --kcv on|off                   the key-check value (our addition; off = the paper)
  --facts                        print the intruder's facts at the end: id, provenance
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

/// The intruder's facts, one a line: `fact:N`, what it is and how it was obtained, and the
/// fields of a spec it can fill (the ids stay the same through a run: a fact listed at the
/// end of a run was fact N at every step after it was learned).
pub fn facts_text(k: &Knowledge) -> String {
    let mut out = String::from("The intruder's facts (use fact:N in --inject):\n");
    for f in k.facts() {
        let fields: Vec<&str> =
            ForgeField::ALL.iter().filter(|x| x.read(f).is_some()).map(|x| x.key()).collect();
        out.push_str(&format!("  fact:{:<3} {} ⇐ {}\n", f.id, f.sentence, k.chain(f.id)));
        if !fields.is_empty() {
            out.push_str(&format!("            fills: {}\n", fields.join(", ")));
        }
    }
    out
}
