//! A MIKEY message — HDR followed by a chain of payloads — and the key-data chain that
//! travels encrypted inside KEMAC.
//!
//! [`Message::encode`] writes every `Next payload` byte from the order of the payloads (the
//! payload before SIGN gets 4, the last one 0). [`Message::decode`] follows the chain strictly
//! and returns the message with its [`Layout`]: MACs and signatures are checked over the
//! received bytes using these ranges, never over a re-encoding.

use core::ops::Range;

use crate::error::Error;

use super::codec::{Codec, Reader};
use super::genext::DmikeyExt;
use super::layout::{Layout, PayloadSpan};
use super::payloads::*;
use super::types::{GenExtType, PayloadKind};

/// Any payload that can follow HDR in the clear.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Payload {
    Kemac(Kemac),
    Pke(Pke),
    Dh(Dh),
    Sign(Sign),
    T(T),
    Id(Id),
    Cert(Cert),
    Chash(Chash),
    V(V),
    Sp(Sp),
    Rand(Rand),
    Err(Err),
    GenExt(GenExt),
}

impl Payload {
    /// Its payload type.
    pub fn kind(&self) -> PayloadKind {
        match self {
            Payload::Kemac(_) => PayloadKind::Kemac,
            Payload::Pke(_) => PayloadKind::Pke,
            Payload::Dh(_) => PayloadKind::Dh,
            Payload::Sign(_) => PayloadKind::Sign,
            Payload::T(_) => PayloadKind::T,
            Payload::Id(_) => PayloadKind::Id,
            Payload::Cert(_) => PayloadKind::Cert,
            Payload::Chash(_) => PayloadKind::Chash,
            Payload::V(_) => PayloadKind::V,
            Payload::Sp(_) => PayloadKind::Sp,
            Payload::Rand(_) => PayloadKind::Rand,
            Payload::Err(_) => PayloadKind::Err,
            Payload::GenExt(_) => PayloadKind::GenExt,
        }
    }

    /// Writes the payload without its `Next payload` byte.
    pub fn encode_body(&self, out: &mut Vec<u8>) {
        match self {
            Payload::Kemac(p) => p.encode(out),
            Payload::Pke(p) => p.encode(out),
            Payload::Dh(p) => p.encode(out),
            Payload::Sign(p) => p.encode(out),
            Payload::T(p) => p.encode(out),
            Payload::Id(p) => p.encode(out),
            Payload::Cert(p) => p.encode(out),
            Payload::Chash(p) => p.encode(out),
            Payload::V(p) => p.encode(out),
            Payload::Sp(p) => p.encode(out),
            Payload::Rand(p) => p.encode(out),
            Payload::Err(p) => p.encode(out),
            Payload::GenExt(p) => p.encode(out),
        }
    }

    fn read(kind: PayloadKind, r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(match kind {
            PayloadKind::Kemac => Payload::Kemac(Kemac::read(r)?),
            PayloadKind::Pke => Payload::Pke(Pke::read(r)?),
            PayloadKind::Dh => Payload::Dh(Dh::read(r)?),
            PayloadKind::Sign => Payload::Sign(Sign::read(r)?),
            PayloadKind::T => Payload::T(T::read(r)?),
            PayloadKind::Id => Payload::Id(Id::read(r)?),
            PayloadKind::Cert => Payload::Cert(Cert::read(r)?),
            PayloadKind::Chash => Payload::Chash(Chash::read(r)?),
            PayloadKind::V => Payload::V(V::read(r)?),
            PayloadKind::Sp => Payload::Sp(Sp::read(r)?),
            PayloadKind::Rand => Payload::Rand(Rand::read(r)?),
            PayloadKind::Err => Payload::Err(Err::read(r)?),
            PayloadKind::GenExt => Payload::GenExt(GenExt::read(r)?),
            PayloadKind::Hdr | PayloadKind::KeyData => {
                return Err(Error::UnexpectedPayload {
                    expected: "a payload allowed in the clear",
                    found: kind.name().to_string(),
                    message: "payload chain",
                });
            }
        })
    }
}

/// A payload struct that can be looked up in a [`Message`].
pub trait PayloadType: 'static {
    /// Its payload type.
    const KIND: PayloadKind;
    /// The struct inside `p` if `p` is of this type.
    fn from_payload(p: &Payload) -> Option<&Self>;
}

macro_rules! payload_type {
    ($($t:ident => $v:ident),* $(,)?) => {$(
        impl PayloadType for $t {
            const KIND: PayloadKind = PayloadKind::$v;
            fn from_payload(p: &Payload) -> Option<&Self> {
                if let Payload::$v(x) = p { Some(x) } else { None }
            }
        }
        impl From<$t> for Payload {
            fn from(x: $t) -> Self { Payload::$v(x) }
        }
    )*};
}
payload_type!(Kemac => Kemac, Pke => Pke, Dh => Dh, Sign => Sign, T => T, Id => Id, Cert => Cert,
    Chash => Chash, V => V, Sp => Sp, Rand => Rand, Err => Err, GenExt => GenExt);

/// A MIKEY message: HDR and the payloads in wire order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Common header.
    pub hdr: Hdr,
    /// Payloads after HDR, in order. SIGN, if present, must be last.
    pub payloads: Vec<Payload>,
}

/// A decoded message with the bytes it was decoded from and their layout. Only
/// [`Message::decode`] makes one, so [`Decoded::bytes`] are exactly the bytes received: the
/// openers check MACs and signatures over them and never decode again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The message.
    pub message: Message,
    /// Field spans; `layout.payloads[0]` is HDR, `layout.payloads[i + 1]` is `payloads[i]`.
    pub layout: Layout,
    bytes: Vec<u8>,
}

fn next_byte_for(following: Option<&Payload>) -> u8 {
    following.map_or(0, |p| p.kind().to_u8())
}

impl Message {
    /// The wire bytes. `Next payload` bytes come from the payload order; SIGN has none.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        self.hdr.encode_with_next(next_byte_for(self.payloads.first()), &mut out);
        for (i, p) in self.payloads.iter().enumerate() {
            if p.kind() != PayloadKind::Sign {
                out.push(next_byte_for(self.payloads.get(i + 1)));
            }
            p.encode_body(&mut out);
        }
        out
    }

    /// Decodes one whole message: every byte must belong to the chain (no trailing bytes),
    /// every `Next payload` byte must name a payload this crate knows, and SIGN ends it.
    pub fn decode(bytes: &[u8]) -> Result<Decoded, Error> {
        let mut r = Reader::new(bytes);
        let (hdr, mut next) = Hdr::read_with_next(&mut r)?;
        let mut layout = Layout {
            payloads: vec![PayloadSpan {
                kind: PayloadKind::Hdr,
                range: 0..r.pos(),
                fields: r.drain_spans(0),
            }],
        };
        let mut payloads = Vec::new();
        let mut after: &'static str = Hdr::NAME;
        while next != 0 {
            let kind = PayloadKind::from_next(next)
                .ok_or(Error::UnknownPayloadType { value: next, after })?;
            if kind == PayloadKind::KeyData {
                return Err(Error::UnexpectedPayload {
                    expected: "a payload allowed in the clear",
                    found: "a Key data sub-payload (20), which only travels inside KEMAC".into(),
                    message: "payload chain",
                });
            }
            let start = r.pos();
            let mark = r.span_count();
            let own_next = if kind == PayloadKind::Sign {
                None
            } else {
                let n = r.u8(kind.name(), "Next payload")?;
                r.explain(PayloadKind::next_meaning(n));
                Some(n)
            };
            payloads.push(Payload::read(kind, &mut r)?);
            layout.payloads.push(PayloadSpan {
                kind,
                range: start..r.pos(),
                fields: r.drain_spans(mark),
            });
            after = kind.name();
            match own_next {
                Some(n) => next = n,
                None => break, // SIGN is always last
            }
        }
        r.expect_empty(after)?;
        Ok(Decoded { message: Message { hdr, payloads }, layout, bytes: bytes.to_vec() })
    }

    /// The first payload of type `P`.
    pub fn first<P: PayloadType>(&self) -> Option<&P> {
        self.payloads.iter().find_map(P::from_payload)
    }

    /// All payloads of type `P`, in order.
    pub fn all<P: PayloadType + 'static>(&self) -> impl Iterator<Item = &P> {
        self.payloads.iter().filter_map(P::from_payload)
    }

    /// Index (in `payloads`) of the first payload of type `P`.
    pub fn position<P: PayloadType>(&self) -> Option<usize> {
        self.payloads.iter().position(|p| P::from_payload(p).is_some())
    }

    /// The ID payloads in order (first = IDi, second = IDr where both are present).
    pub fn ids(&self) -> Vec<&Id> {
        self.all::<Id>().collect()
    }

    /// The KEMAC payload, if any.
    pub fn kemac(&self) -> Option<&Kemac> {
        self.first::<Kemac>()
    }

    /// The T payload's timestamp, if any.
    pub fn timestamp(&self) -> Option<Timestamp> {
        self.first::<T>().map(|t| t.0)
    }

    /// The decoded D-MIKEY extension (first General Extension of type 241), if present.
    pub fn dmikey_ext(&self) -> Option<Result<DmikeyExt, Error>> {
        self.all::<GenExt>().find(|g| g.ext_type == GenExtType::Dmikey).map(DmikeyExt::from_genext)
    }

    /// The payload chain as types, HDR excluded.
    pub fn kinds(&self) -> Vec<PayloadKind> {
        self.payloads.iter().map(Payload::kind).collect()
    }
}

impl Decoded {
    /// The bytes this message was decoded from, exactly as received.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Byte range of `payloads[idx]` (empty range if there is no such payload).
    pub fn range_of(&self, idx: usize) -> Range<usize> {
        self.layout.payloads.get(idx + 1).map_or(0..0, |p| p.range.clone())
    }

    /// Byte range of HDR.
    pub fn hdr_range(&self) -> Range<usize> {
        self.layout.payloads.first().map_or(0..0, |p| p.range.clone())
    }

    /// Byte range of the field labelled `label` in `payloads[payload_idx]`.
    pub fn field_range(&self, payload_idx: usize, label: &str) -> Option<Range<usize>> {
        self.layout.payloads.get(payload_idx + 1).and_then(|p| p.field(label))
    }

    /// Index and byte range of the first payload of type `P`.
    pub fn find<P: PayloadType>(&self) -> Option<(usize, Range<usize>)> {
        let i = self.message.position::<P>()?;
        Some((i, self.range_of(i)))
    }
}

/// The plaintext of a KEMAC: an optional ID payload (public-key mode: IDi, whose `Next
/// payload` is 20) followed by Key data sub-payloads, the last with `Next payload` 0.
pub fn encode_key_data_chain(first_id: Option<&Id>, keys: &[KeyData]) -> Vec<u8> {
    let mut out = Vec::new();
    let key_next = |i: usize| if i < keys.len() { PayloadKind::KeyData.to_u8() } else { 0 };
    if let Some(id) = first_id {
        out.push(key_next(0));
        id.encode(&mut out);
    }
    for (i, k) in keys.iter().enumerate() {
        out.push(key_next(i + 1));
        k.encode(&mut out);
    }
    out
}

const CHAIN: &str = "the key data chain inside KEMAC";

/// Decodes a KEMAC plaintext (see [`encode_key_data_chain`]) with its own layout (offsets in
/// the plaintext). With `id_first` the chain must start with an ID payload (PK mode).
pub fn decode_key_data_chain(
    plain: &[u8],
    id_first: bool,
) -> Result<(Option<Id>, Vec<KeyData>, Layout), Error> {
    let mut r = Reader::new(plain);
    let mut layout = Layout::default();
    let mut keys = Vec::new();
    let read_next = |r: &mut Reader<'_>, payload: &'static str| -> Result<u8, Error> {
        let n = r.u8(payload, "Next payload")?;
        r.explain(PayloadKind::next_meaning(n));
        Ok(n)
    };
    let mut id = None;
    let mut next = PayloadKind::KeyData.to_u8();
    if id_first {
        let start = r.pos();
        next = read_next(&mut r, "ID")?;
        id = Some(Id::read(&mut r)?);
        layout.payloads.push(PayloadSpan {
            kind: PayloadKind::Id,
            range: start..r.pos(),
            fields: r.drain_spans(0),
        });
        if next == 0 {
            return Err(Error::MissingPayload { payload: "Key data", message: CHAIN });
        }
    }
    loop {
        if next != PayloadKind::KeyData.to_u8() {
            return Err(Error::UnexpectedPayload {
                expected: "a Key data sub-payload (20) or the end (0)",
                found: format!("Next payload {next} ({})", PayloadKind::next_meaning(next)),
                message: CHAIN,
            });
        }
        let start = r.pos();
        let mark = r.span_count();
        next = read_next(&mut r, "Key data")?;
        keys.push(KeyData::read(&mut r)?);
        layout.payloads.push(PayloadSpan {
            kind: PayloadKind::KeyData,
            range: start..r.pos(),
            fields: r.drain_spans(mark),
        });
        if next == 0 {
            break;
        }
    }
    r.expect_empty("the last Key data sub-payload")?;
    Ok((id, keys, layout))
}

/// What [`Message::decode_partial`] could read: the payloads decoded before the first error,
/// their layout (the failing payload's fields read so far included), and the error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partial {
    /// HDR, if it decoded.
    pub hdr: Option<Hdr>,
    /// The payloads decoded whole, in wire order.
    pub payloads: Vec<Payload>,
    /// Layout of everything read, HDR first; the last payload may be cut short.
    pub layout: Layout,
    /// The first error, if the bytes are not a whole message.
    pub error: Option<Error>,
    /// Where the lenient reading departed from [`Message::decode`] (e.g. a DH group outside
    /// RFC 3830 whose value length was taken from the implementation known to use it).
    pub lenient: Vec<String>,
}

/// The DH group mykey (crates.io) uses for X25519, outside RFC 3830's table (§6.4).
pub const DH_GROUP_X25519_PRIVATE: u8 = 255;

impl Message {
    /// Decodes as far as the bytes allow, for the inspector: never fails, the roles never use
    /// it. It departs from [`Message::decode`] in one place: a DH payload whose group is
    /// 255 (not an RFC 3830 group; mykey's X25519) is read with a 32-byte value.
    pub fn decode_partial(bytes: &[u8]) -> Partial {
        let mut r = Reader::new(bytes);
        let mut out = Partial {
            hdr: None,
            payloads: Vec::new(),
            layout: Layout::default(),
            error: None,
            lenient: Vec::new(),
        };
        let mut next = match Hdr::read_with_next(&mut r) {
            Ok((hdr, next)) => {
                out.hdr = Some(hdr);
                next
            }
            Err(e) => {
                out.layout.payloads.push(PayloadSpan {
                    kind: PayloadKind::Hdr,
                    range: 0..r.pos(),
                    fields: r.drain_spans(0),
                });
                out.error = Some(e);
                return out;
            }
        };
        out.layout.payloads.push(PayloadSpan {
            kind: PayloadKind::Hdr,
            range: 0..r.pos(),
            fields: r.drain_spans(0),
        });
        let mut after: &'static str = Hdr::NAME;
        while next != 0 {
            let Some(kind) = PayloadKind::from_next(next)
                .filter(|k| !matches!(k, PayloadKind::KeyData | PayloadKind::Hdr))
            else {
                out.error = Some(Error::UnknownPayloadType { value: next, after });
                return out;
            };
            let start = r.pos();
            let mark = r.span_count();
            let read = (|| -> Result<(Payload, Option<u8>), Error> {
                let own_next = if kind == PayloadKind::Sign {
                    None
                } else {
                    let n = r.u8(kind.name(), "Next payload")?;
                    r.explain(PayloadKind::next_meaning(n));
                    Some(n)
                };
                let p = if kind == PayloadKind::Dh
                    && r.slice(r.pos()..r.pos() + 1) == Some(&[DH_GROUP_X25519_PRIVATE][..])
                {
                    out.lenient.push(
                        "DH-Group 255 is not in RFC 3830 (§6.4); read as mykey's X25519 with a 32-byte value"
                            .into(),
                    );
                    Payload::Dh(Dh::read_x25519_private(&mut r)?)
                } else {
                    Payload::read(kind, &mut r)?
                };
                Ok((p, own_next))
            })();
            let end = r.pos();
            out.layout.payloads.push(PayloadSpan {
                kind,
                range: start..end,
                fields: r.drain_spans(mark),
            });
            match read {
                Ok((p, own_next)) => {
                    out.payloads.push(p);
                    after = kind.name();
                    match own_next {
                        Some(n) => next = n,
                        None => break,
                    }
                }
                Err(e) => {
                    out.error = Some(e);
                    return out;
                }
            }
        }
        if let Err(e) = r.expect_empty(after) {
            out.error = Some(e);
        }
        out
    }
}
