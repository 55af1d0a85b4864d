//! A small, strict DER (ITU-T X.690 §10) writer and reader: just what the X.509 certificates
//! ([`super::x509`]) and the RSA key encodings ([`super::rsa`]) need, as plain functions over
//! byte slices (no per-type generics, to keep the browser build small).
//!
//! * Writing: [`begin`]/[`end`] wrap a constructed value (the length is patched in once the
//!   content is written, so no length is ever counted by hand), and one function per
//!   primitive type ([`uint`], [`oid`], [`time`], …).
//! * Reading: a [`DerReader`] over a slice; every read names what it reads ("the serial
//!   number"), and every problem is a [`DerError`] whose message says what is wrong in words.
//!   The reader accepts DER only: definite, minimal lengths; minimal INTEGERs; BOOLEAN as
//!   0x00/0xFF; BIT STRINGs with zero padding; no trailing bytes. It never panics.
//!
//! Only low tag numbers (one tag byte) occur in our structures; a tag byte of the
//! high-tag-number form is simply a wrong tag.

use core::fmt;

/// Universal and context-specific tags used here (one byte each).
pub mod tag {
    pub const BOOLEAN: u8 = 0x01;
    pub const INTEGER: u8 = 0x02;
    pub const BIT_STRING: u8 = 0x03;
    pub const OCTET_STRING: u8 = 0x04;
    pub const NULL: u8 = 0x05;
    pub const OID: u8 = 0x06;
    pub const UTF8_STRING: u8 = 0x0C;
    pub const PRINTABLE_STRING: u8 = 0x13;
    pub const UTC_TIME: u8 = 0x17;
    pub const GENERALIZED_TIME: u8 = 0x18;
    pub const SEQUENCE: u8 = 0x30;
    pub const SET: u8 = 0x31;

    /// `[n]` EXPLICIT (context-specific, constructed), n < 31.
    pub const fn explicit(n: u8) -> u8 {
        0xA0 | (n & 0x1F)
    }
}

/// What is wrong with a DER encoding. `what` names the value being read ("the serial
/// number", "the public key").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DerError {
    /// The input ends before the value does.
    Truncated { what: &'static str, needed: usize, left: usize },
    /// A value of another type than expected (tags are the type of a DER value).
    WrongTag { what: &'static str, expected: u8, found: u8 },
    /// The indefinite-length form (0x80), allowed in BER but not in DER.
    IndefiniteLength { what: &'static str },
    /// A length written with more bytes than needed (DER wants the shortest form).
    NonMinimalLength { what: &'static str },
    /// A length of more than four bytes (nothing here comes near 4 GB).
    LengthTooLong { what: &'static str },
    /// Bytes left over after a value that should have ended the input or its container.
    TrailingBytes { after: &'static str, count: usize },
    /// An INTEGER with a redundant leading 0x00 or 0xFF byte (or with no byte at all).
    NonMinimalInteger { what: &'static str },
    /// A negative INTEGER where only positive values make sense.
    NegativeInteger { what: &'static str },
    /// A value that is well-formed DER but not a valid value of its type here.
    Invalid { what: &'static str, why: &'static str },
}

fn tag_name(t: u8) -> &'static str {
    match t {
        tag::BOOLEAN => "a BOOLEAN",
        tag::INTEGER => "an INTEGER",
        tag::BIT_STRING => "a BIT STRING",
        tag::OCTET_STRING => "an OCTET STRING",
        tag::NULL => "a NULL",
        tag::OID => "an OBJECT IDENTIFIER",
        tag::UTF8_STRING => "a UTF8String",
        tag::PRINTABLE_STRING => "a PrintableString",
        tag::UTC_TIME => "a UTCTime",
        tag::GENERALIZED_TIME => "a GeneralizedTime",
        tag::SEQUENCE => "a SEQUENCE",
        tag::SET => "a SET",
        0xA0..=0xBE => "a context-specific [n] value",
        _ => "a value",
    }
}

impl fmt::Display for DerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DerError::Truncated { what, needed, left } => write!(
                f,
                "{what} is cut short: it needs {needed} more byte(s) but only {left} are left"
            ),
            DerError::WrongTag { what, expected, found } => write!(
                f,
                "{what} should be {} (tag 0x{expected:02X}) but is {} (tag 0x{found:02X})",
                tag_name(*expected),
                tag_name(*found)
            ),
            DerError::IndefiniteLength { what } => {
                write!(f, "{what} has an indefinite length, which DER forbids")
            }
            DerError::NonMinimalLength { what } => write!(
                f,
                "the length of {what} is written with more bytes than needed, which DER forbids"
            ),
            DerError::LengthTooLong { what } => {
                write!(f, "the length of {what} takes more than 4 bytes")
            }
            DerError::TrailingBytes { after, count } => {
                write!(f, "{count} unexpected byte(s) follow {after}")
            }
            DerError::NonMinimalInteger { what } => write!(
                f,
                "{what} is an INTEGER not written in the fewest bytes (a redundant leading byte, or none at all), which DER forbids"
            ),
            DerError::NegativeInteger { what } => {
                write!(f, "{what} is a negative INTEGER, a positive one was expected")
            }
            DerError::Invalid { what, why } => write!(f, "{what} is invalid: {why}"),
        }
    }
}

type Result<T> = core::result::Result<T, DerError>;

// ---- writer ------------------------------------------------------------------------------

/// Starts a constructed value with `tag`; returns the mark to give to [`end`].
pub fn begin(out: &mut Vec<u8>, tag: u8) -> usize {
    out.push(tag);
    out.len()
}

/// Ends the value started at `mark`: inserts its definite, minimal length.
pub fn end(out: &mut Vec<u8>, mark: usize) {
    let n = out.len().saturating_sub(mark);
    let mut hdr = [0u8; 9];
    let k = length_bytes(n, &mut hdr);
    let at = mark.min(out.len());
    out.splice(at..at, hdr.iter().take(k).copied());
}

/// Writes the DER length octets of `n` into `hdr`, returns how many.
fn length_bytes(n: usize, hdr: &mut [u8; 9]) -> usize {
    if n < 0x80 {
        hdr[0] = n as u8;
        return 1;
    }
    let be = (n as u64).to_be_bytes();
    let skip = be.iter().take_while(|b| **b == 0).count();
    let len = 8 - skip;
    hdr[0] = 0x80 | len as u8;
    for (d, s) in hdr.iter_mut().skip(1).zip(be.iter().skip(skip)) {
        *d = *s;
    }
    1 + len
}

/// A primitive value: tag, length, content.
pub fn tlv(out: &mut Vec<u8>, tag: u8, content: &[u8]) {
    let mut hdr = [0u8; 9];
    let k = length_bytes(content.len(), &mut hdr);
    out.push(tag);
    out.extend_from_slice(hdr.get(..k).unwrap_or(&[]));
    out.extend_from_slice(content);
}

/// A non-negative INTEGER from its big-endian magnitude (leading zeros allowed; written in
/// the fewest bytes, with a 0x00 in front when the top bit is set).
pub fn uint(out: &mut Vec<u8>, magnitude: &[u8]) {
    let skip = magnitude.iter().take_while(|b| **b == 0).count();
    let m = magnitude.get(skip..).unwrap_or(&[]);
    let pad = m.first().is_none_or(|b| b & 0x80 != 0);
    let mark = begin(out, tag::INTEGER);
    if pad {
        out.push(0);
    }
    out.extend_from_slice(m);
    end(out, mark);
}

/// A non-negative INTEGER from a `u64`.
pub fn u64(out: &mut Vec<u8>, v: u64) {
    uint(out, &v.to_be_bytes());
}

/// An OBJECT IDENTIFIER from its content bytes (the constants in [`super::x509`]).
pub fn oid(out: &mut Vec<u8>, encoded: &[u8]) {
    tlv(out, tag::OID, encoded);
}

/// NULL.
pub fn null(out: &mut Vec<u8>) {
    tlv(out, tag::NULL, &[]);
}

/// BOOLEAN (DER: 0xFF for TRUE).
pub fn boolean(out: &mut Vec<u8>, v: bool) {
    tlv(out, tag::BOOLEAN, &[if v { 0xFF } else { 0x00 }]);
}

/// A BIT STRING of whole bytes (0 unused bits): keys and signatures.
pub fn bit_string(out: &mut Vec<u8>, bytes: &[u8]) {
    let mark = begin(out, tag::BIT_STRING);
    out.push(0);
    out.extend_from_slice(bytes);
    end(out, mark);
}

/// A BIT STRING for a named bit list (X.680 §22.7, DER: trailing zero bits removed): bit 0
/// is the most significant bit of `bits`.
pub fn named_bits(out: &mut Vec<u8>, bits: u16) {
    let mark = begin(out, tag::BIT_STRING);
    if bits == 0 {
        out.push(0);
    } else {
        let last = 15 - bits.trailing_zeros() as usize; // index of the last bit set
        let nbytes = last / 8 + 1;
        out.push((nbytes * 8 - 1 - last) as u8);
        out.extend_from_slice(bits.to_be_bytes().get(..nbytes).unwrap_or(&[]));
    }
    end(out, mark);
}

/// OCTET STRING.
pub fn octet_string(out: &mut Vec<u8>, bytes: &[u8]) {
    tlv(out, tag::OCTET_STRING, bytes);
}

/// UTF8String.
pub fn utf8(out: &mut Vec<u8>, s: &str) {
    tlv(out, tag::UTF8_STRING, s.as_bytes());
}

/// PrintableString (the caller checks the character set, see [`is_printable`]).
pub fn printable(out: &mut Vec<u8>, s: &str) {
    tlv(out, tag::PRINTABLE_STRING, s.as_bytes());
}

/// Whether `s` fits a PrintableString (X.680 §41.4).
pub fn is_printable(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&b))
}

/// A time as RFC 5280 §4.1.2.5 wants it: UTCTime `YYMMDDHHMMSSZ` through 2049,
/// GeneralizedTime `YYYYMMDDHHMMSSZ` from 2050. `None` past the year 9999.
pub fn time(out: &mut Vec<u8>, unix: u64) -> Option<()> {
    let days = unix / 86_400;
    let secs = unix % 86_400;
    let (y, m, d) = crate::wire::time::civil_from_days(i64::try_from(days).ok()?);
    let y = u64::try_from(y).ok().filter(|y| *y <= 9999)?;
    let (m, d) = (u64::from(m), u64::from(d));
    let mut s = String::with_capacity(15);
    let two = |s: &mut String, v: u64| {
        s.push(char::from(b'0' + (v / 10 % 10) as u8));
        s.push(char::from(b'0' + (v % 10) as u8));
    };
    let t = if y < 2050 {
        two(&mut s, y % 100);
        tag::UTC_TIME
    } else {
        two(&mut s, y / 100);
        two(&mut s, y % 100);
        tag::GENERALIZED_TIME
    };
    for v in [m, d, secs / 3600, secs / 60 % 60, secs % 60] {
        two(&mut s, v);
    }
    s.push('Z');
    tlv(out, t, s.as_bytes());
    Some(())
}

/// (year ≥ 1970, month, day) → days since 1970-01-01; the inverse of
/// [`crate::wire::time::civil_from_days`].
fn days_from_civil(y: u64, m: u64, d: u64) -> u64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y / 400;
    let yoe = y % 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe).saturating_sub(719_468)
}

// ---- reader ------------------------------------------------------------------------------

/// One value read: its tag, its content, and all of its bytes (tag and length included —
/// what a signature covers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    pub tag: u8,
    pub content: &'a [u8],
    pub whole: &'a [u8],
}

/// A cursor over DER values (the content of a SEQUENCE, or a whole input).
#[derive(Debug, Clone)]
pub struct DerReader<'a> {
    rest: &'a [u8],
}

/// Reads `input` as exactly one value with `tag` (no bytes after it).
pub fn parse_one<'a>(input: &'a [u8], tag: u8, what: &'static str) -> Result<Tlv<'a>> {
    let mut r = DerReader::new(input);
    let v = r.read(tag, what)?;
    r.finish(what)?;
    Ok(v)
}

impl<'a> DerReader<'a> {
    /// A reader over `input`.
    pub fn new(input: &'a [u8]) -> Self {
        DerReader { rest: input }
    }

    /// Whether everything was read.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The tag of the next value, if any.
    pub fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Fails with [`DerError::TrailingBytes`] unless everything was read.
    pub fn finish(&self, after: &'static str) -> Result<()> {
        match self.rest.len() {
            0 => Ok(()),
            count => Err(DerError::TrailingBytes { after, count }),
        }
    }

    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8]> {
        let left = self.rest.len();
        if n > left {
            return Err(DerError::Truncated { what, needed: n, left });
        }
        let (a, b) = self.rest.split_at(n);
        self.rest = b;
        Ok(a)
    }

    /// Reads the next value, which must have `tag`.
    pub fn read(&mut self, tag: u8, what: &'static str) -> Result<Tlv<'a>> {
        let start = self.rest;
        let [found] = self.take(1, what)? else {
            return Err(DerError::Truncated { what, needed: 1, left: 0 });
        };
        let found = *found;
        if found != tag {
            return Err(DerError::WrongTag { what, expected: tag, found });
        }
        let [first] = self.take(1, what)? else {
            return Err(DerError::Truncated { what, needed: 1, left: 0 });
        };
        let len = match *first {
            n @ 0..=0x7F => usize::from(n),
            0x80 => return Err(DerError::IndefiniteLength { what }),
            b => {
                let k = usize::from(b & 0x7F);
                if k > 4 {
                    return Err(DerError::LengthTooLong { what });
                }
                let bytes = self.take(k, what)?;
                if bytes.first() == Some(&0) {
                    return Err(DerError::NonMinimalLength { what });
                }
                let n = bytes.iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
                if n < 0x80 {
                    return Err(DerError::NonMinimalLength { what });
                }
                n
            }
        };
        let content = self.take(len, what)?;
        let used = start.len() - self.rest.len();
        Ok(Tlv { tag, content, whole: start.get(..used).unwrap_or(&[]) })
    }

    /// Reads a constructed value with `tag` (SEQUENCE, SET, `[n]`) and returns a reader
    /// over its content.
    pub fn nested(&mut self, tag: u8, what: &'static str) -> Result<DerReader<'a>> {
        self.read(tag, what).map(|t| DerReader::new(t.content))
    }

    /// A SEQUENCE, as a reader over its content.
    pub fn sequence(&mut self, what: &'static str) -> Result<DerReader<'a>> {
        self.nested(tag::SEQUENCE, what)
    }

    /// An INTEGER's content bytes (two's complement, checked minimal).
    pub fn integer(&mut self, what: &'static str) -> Result<&'a [u8]> {
        let c = self.read(tag::INTEGER, what)?.content;
        match c {
            [] => Err(DerError::NonMinimalInteger { what }),
            [0x00, b, ..] if b & 0x80 == 0 => Err(DerError::NonMinimalInteger { what }),
            [0xFF, b, ..] if b & 0x80 != 0 => Err(DerError::NonMinimalInteger { what }),
            _ => Ok(c),
        }
    }

    /// A non-negative INTEGER's big-endian magnitude, without the sign byte (empty for 0).
    pub fn uint(&mut self, what: &'static str) -> Result<&'a [u8]> {
        match self.integer(what)? {
            [b, ..] if b & 0x80 != 0 => Err(DerError::NegativeInteger { what }),
            [0x00, rest @ ..] => Ok(rest),
            c => Ok(c),
        }
    }

    /// A non-negative INTEGER that fits a `u64`.
    pub fn small_uint(&mut self, what: &'static str) -> Result<u64> {
        let m = self.uint(what)?;
        if m.len() > 8 {
            return Err(DerError::Invalid { what, why: "the number is too large" });
        }
        Ok(m.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    }

    /// An OBJECT IDENTIFIER's content bytes (checked: not empty, minimal base-128 arcs).
    pub fn oid(&mut self, what: &'static str) -> Result<&'a [u8]> {
        let c = self.read(tag::OID, what)?.content;
        let mut arc_start = true;
        for b in c {
            if arc_start && *b == 0x80 {
                return Err(DerError::Invalid { what, why: "an arc has a redundant leading byte" });
            }
            arc_start = b & 0x80 == 0;
        }
        if c.is_empty() || !arc_start {
            return Err(DerError::Invalid { what, why: "the object identifier is incomplete" });
        }
        Ok(c)
    }

    /// NULL.
    pub fn null(&mut self, what: &'static str) -> Result<()> {
        match self.read(tag::NULL, what)?.content {
            [] => Ok(()),
            _ => Err(DerError::Invalid { what, why: "a NULL has no content" }),
        }
    }

    /// BOOLEAN (DER: exactly one byte, 0x00 or 0xFF).
    pub fn boolean(&mut self, what: &'static str) -> Result<bool> {
        match self.read(tag::BOOLEAN, what)?.content {
            [0x00] => Ok(false),
            [0xFF] => Ok(true),
            _ => Err(DerError::Invalid { what, why: "a DER BOOLEAN is the one byte 00 or FF" }),
        }
    }

    /// A BIT STRING of whole bytes (0 unused bits): a key or a signature.
    pub fn bit_string(&mut self, what: &'static str) -> Result<&'a [u8]> {
        match self.read(tag::BIT_STRING, what)?.content {
            [0, rest @ ..] => Ok(rest),
            _ => Err(DerError::Invalid { what, why: "it must be a whole number of bytes" }),
        }
    }

    /// A named-bit-list BIT STRING of at most 16 bits (bit 0 = most significant bit of the
    /// result); DER: zero padding and no trailing zero bits.
    pub fn named_bits(&mut self, what: &'static str) -> Result<u16> {
        let c = self.read(tag::BIT_STRING, what)?.content;
        let (unused, bytes) = match c {
            [0] => return Ok(0),
            [u, b @ ..] if *u < 8 && !b.is_empty() && b.len() <= 2 => (*u, b),
            _ => return Err(DerError::Invalid { what, why: "not a bit list of at most 16 bits" }),
        };
        let mut v = 0u16;
        for (i, b) in bytes.iter().enumerate() {
            v |= u16::from(*b) << (8 * (1 - i));
        }
        let last = bytes.last().copied().unwrap_or(0);
        if last & ((1u8 << unused) - 1) != 0 {
            return Err(DerError::Invalid { what, why: "the unused bits are not zero" });
        }
        if (last >> unused) & 1 == 0 {
            return Err(DerError::Invalid { what, why: "DER drops trailing zero bits" });
        }
        Ok(v)
    }

    /// OCTET STRING.
    pub fn octet_string(&mut self, what: &'static str) -> Result<&'a [u8]> {
        self.read(tag::OCTET_STRING, what).map(|t| t.content)
    }

    /// A UTF8String or PrintableString.
    pub fn string(&mut self, what: &'static str) -> Result<&'a str> {
        let t = match self.peek_tag() {
            Some(tag::PRINTABLE_STRING) => tag::PRINTABLE_STRING,
            _ => tag::UTF8_STRING,
        };
        let c = self.read(t, what)?.content;
        let s = core::str::from_utf8(c)
            .map_err(|_| DerError::Invalid { what, why: "the text is not valid UTF-8" })?;
        if t == tag::PRINTABLE_STRING && !is_printable(s) {
            return Err(DerError::Invalid {
                what,
                why: "a PrintableString holds a character outside its set",
            });
        }
        Ok(s)
    }

    /// A UTCTime (`YYMMDDHHMMSSZ`, 1950–2049) or GeneralizedTime (`YYYYMMDDHHMMSSZ`), as
    /// unix seconds (RFC 5280 §4.1.2.5: seconds present, no fraction, always Zulu).
    pub fn time(&mut self, what: &'static str) -> Result<u64> {
        let t = match self.peek_tag() {
            Some(tag::GENERALIZED_TIME) => tag::GENERALIZED_TIME,
            _ => tag::UTC_TIME,
        };
        let c = self.read(t, what)?.content;
        let bad = DerError::Invalid { what, why: "not a time of the form (YY)YYMMDDHHMMSSZ" };
        let (digits, zulu) = match c.split_last() {
            Some((z, d)) => (d, *z == b'Z'),
            None => return Err(bad),
        };
        let want = if t == tag::UTC_TIME { 12 } else { 14 };
        if !zulu || digits.len() != want || !digits.iter().all(u8::is_ascii_digit) {
            return Err(bad);
        }
        let mut f =
            digits.chunks(2).map(|p| p.iter().fold(0u64, |a, d| a * 10 + u64::from(d - b'0')));
        let mut next = || f.next().unwrap_or(0);
        let year = if t == tag::UTC_TIME {
            let yy = next();
            if yy < 50 { 2000 + yy } else { 1900 + yy }
        } else {
            next() * 100 + next()
        };
        let (mo, d, h, mi, s) = (next(), next(), next(), next(), next());
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let mdays = match mo {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => 0,
        };
        if d == 0 || d > mdays || h > 23 || mi > 59 || s > 59 {
            return Err(DerError::Invalid { what, why: "the date or time of day does not exist" });
        }
        if year < 1970 {
            return Err(DerError::Invalid { what, why: "dates before 1970 are not supported" });
        }
        Ok(days_from_civil(year, mo, d) * 86_400 + h * 3600 + mi * 60 + s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_uint(bytes: &[u8]) -> Result<Vec<u8>> {
        let mut r = DerReader::new(bytes);
        let v = r.uint("the number")?.to_vec();
        r.finish("the number")?;
        Ok(v)
    }

    #[test]
    fn integers_are_minimal_and_round_trip() {
        for (mag, der) in [
            (&[][..], &[2, 1, 0][..]),
            (&[0, 0, 5], &[2, 1, 5]),
            (&[0x80], &[2, 2, 0, 0x80]),
            (&[1, 0], &[2, 2, 1, 0]),
        ] {
            let mut out = Vec::new();
            uint(&mut out, mag);
            assert_eq!(out, der);
            let back = read_uint(der).unwrap();
            let stripped: Vec<u8> = mag.iter().copied().skip_while(|b| *b == 0).collect();
            assert_eq!(back, stripped);
        }
    }

    #[test]
    fn long_lengths_are_written_and_read_minimally() {
        for n in [0usize, 127, 128, 255, 256, 70_000] {
            let mut out = Vec::new();
            octet_string(&mut out, &vec![7u8; n]);
            let v = parse_one(&out, tag::OCTET_STRING, "the blob").unwrap();
            assert_eq!(v.content.len(), n);
            assert_eq!(v.whole, &out[..]);
        }
        let mut out = Vec::new();
        let m = begin(&mut out, tag::SEQUENCE);
        octet_string(&mut out, &[1u8; 200]);
        end(&mut out, m);
        assert_eq!(&out[..3], &[0x30, 0x81, 203]);
    }

    #[test]
    fn named_bits_drop_trailing_zeros() {
        for (bits, der) in [
            (0x0600u16, &[3, 2, 1, 0x06][..]), // keyCertSign, cRLSign
            (0xA000, &[3, 2, 5, 0xA0]),        // digitalSignature, keyEncipherment
            (0x0080, &[3, 3, 7, 0x00, 0x80]),  // decipherOnly (bit 8)
        ] {
            let mut out = Vec::new();
            named_bits(&mut out, bits);
            assert_eq!(out, der);
            assert_eq!(DerReader::new(der).named_bits("keyUsage").unwrap(), bits);
        }
        // Same bits, a trailing zero bit kept: not DER.
        assert!(matches!(
            DerReader::new(&[3, 2, 4, 0xA0]).named_bits("keyUsage"),
            Err(DerError::Invalid { .. })
        ));
    }

    #[test]
    fn times_are_utc_until_2049_then_generalized() {
        for (unix, text, t) in [
            (0u64, &b"700101000000Z"[..], tag::UTC_TIME),
            (1_795_000_000, b"261118110640Z", tag::UTC_TIME),
            (2_524_607_999, b"491231235959Z", tag::UTC_TIME),
            (2_524_608_000, b"20500101000000Z", tag::GENERALIZED_TIME),
            (951_782_400, b"000229000000Z", tag::UTC_TIME), // 2000 is a leap year
        ] {
            let mut out = Vec::new();
            time(&mut out, unix).unwrap();
            assert_eq!(out[0], t);
            assert_eq!(&out[2..], text, "{unix}");
            assert_eq!(DerReader::new(&out).time("the date").unwrap(), unix);
        }
        for bad in [
            &b"\x17\x0d261318102640Z"[..], // month 13
            b"\x17\x0d260229000000Z",      // 2026 is not a leap year
            b"\x17\x0b2611181026Z",        // no seconds
            b"\x17\x0d261118102640+",      // not Zulu
            b"\x18\x0f19690101000000Z",    // before 1970
        ] {
            assert!(
                matches!(DerReader::new(bad).time("the date"), Err(DerError::Invalid { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn malformed_encodings_are_typed_errors() {
        let what = "the number";
        let cases: [(&[u8], DerError); 9] = [
            (&[2, 2, 1], DerError::Truncated { what, needed: 2, left: 1 }),
            (&[2], DerError::Truncated { what, needed: 1, left: 0 }),
            (&[4, 1, 0], DerError::WrongTag { what, expected: 2, found: 4 }),
            (&[2, 0x80, 1, 0, 0], DerError::IndefiniteLength { what }),
            (&[2, 0x81, 1, 5], DerError::NonMinimalLength { what }),
            (&[2, 0x82, 0, 1, 5], DerError::NonMinimalLength { what }),
            (&[2, 0x85, 1, 1, 1, 1, 1], DerError::LengthTooLong { what }),
            (&[2, 2, 0, 5], DerError::NonMinimalInteger { what }),
            (&[2, 1, 0x85], DerError::NegativeInteger { what }),
        ];
        for (bytes, want) in cases {
            assert_eq!(read_uint(bytes), Err(want.clone()), "{bytes:?}");
            assert!(!want.to_string().is_empty());
        }
        assert_eq!(
            read_uint(&[2, 1, 5, 0]),
            Err(DerError::TrailingBytes { after: what, count: 1 })
        );
        assert_eq!(read_uint(&[2, 0]), Err(DerError::NonMinimalInteger { what }));
        assert_eq!(read_uint(&[2, 2, 0xFF, 0x85]), Err(DerError::NonMinimalInteger { what }));
        assert!(matches!(DerReader::new(&[1, 1, 1]).boolean("b"), Err(DerError::Invalid { .. })));
        assert!(matches!(DerReader::new(&[6, 2, 0x80, 1]).oid("o"), Err(DerError::Invalid { .. })));
        assert!(matches!(DerReader::new(&[6, 1, 0x81]).oid("o"), Err(DerError::Invalid { .. })));
        assert_eq!(
            read_uint(&[2, 1, 5, 0]).unwrap_err().to_string(),
            "1 unexpected byte(s) follow the number"
        );
    }
}
