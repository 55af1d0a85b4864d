//! The byte reader and the encode/read trait every wire type implements (rustls style).
//!
//! A [`Reader`] is a slice, a cursor and a limit, with absolute offsets into the original
//! buffer. Each read records a [`FieldSpan`] so that the layout of a message is a by-product
//! of decoding it. Short input is a typed [`Error::Truncated`], never a panic.

use crate::error::Error;

use super::layout::FieldSpan;

/// Encode to bytes / read from a [`Reader`]. For payloads, the `Next payload` byte is not
/// part of the type: [`super::message::Message`] writes and checks it.
pub trait Codec: Sized {
    /// Appends the wire form of `self` to `out`.
    fn encode(&self, out: &mut Vec<u8>);
    /// Reads one value, recording a field span for each field.
    fn read(r: &mut Reader<'_>) -> Result<Self, Error>;
}

/// A cursor over a byte slice that records a labelled span for every field it reads.
#[derive(Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    limit: usize,
    spans: Vec<FieldSpan>,
}

impl<'a> Reader<'a> {
    /// A reader over all of `buf`, offsets starting at 0.
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0, limit: buf.len(), spans: Vec::new() }
    }

    /// Absolute offset of the next byte.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Bytes left before the current limit.
    pub fn left(&self) -> usize {
        self.limit.saturating_sub(self.pos)
    }

    /// Takes `n` bytes as one field labelled `field` (meaning: its length in words).
    pub fn take(
        &mut self,
        n: usize,
        payload: &'static str,
        field: &'static str,
    ) -> Result<&'a [u8], Error> {
        let left = self.left();
        if n > left {
            return Err(Error::Truncated { payload, field, needed: n, left });
        }
        let start = self.pos;
        let end = start + n;
        let bytes =
            self.buf.get(start..end).ok_or(Error::Truncated { payload, field, needed: n, left })?;
        self.pos = end;
        self.spans.push(FieldSpan {
            range: start..end,
            label: field,
            meaning: format!("{n} byte{}", if n == 1 { "" } else { "s" }),
        });
        Ok(bytes)
    }

    fn array<const N: usize>(
        &mut self,
        payload: &'static str,
        field: &'static str,
    ) -> Result<[u8; N], Error> {
        let s = self.take(N, payload, field)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    /// One byte; the span's meaning defaults to the value in decimal and hex.
    pub fn u8(&mut self, payload: &'static str, field: &'static str) -> Result<u8, Error> {
        let [v] = self.array::<1>(payload, field)?;
        self.explain(format!("{v} (0x{v:02X})"));
        Ok(v)
    }

    /// Big-endian u16.
    pub fn u16(&mut self, payload: &'static str, field: &'static str) -> Result<u16, Error> {
        let v = u16::from_be_bytes(self.array::<2>(payload, field)?);
        self.explain(format!("{v}"));
        Ok(v)
    }

    /// Big-endian u32.
    pub fn u32(&mut self, payload: &'static str, field: &'static str) -> Result<u32, Error> {
        let v = u32::from_be_bytes(self.array::<4>(payload, field)?);
        self.explain(format!("{v} (0x{v:08X})"));
        Ok(v)
    }

    /// Big-endian u64.
    pub fn u64(&mut self, payload: &'static str, field: &'static str) -> Result<u64, Error> {
        let v = u64::from_be_bytes(self.array::<8>(payload, field)?);
        self.explain(format!("0x{v:016X}"));
        Ok(v)
    }

    /// Replaces the meaning of the field read last.
    pub fn explain(&mut self, meaning: impl Into<String>) {
        if let Some(last) = self.spans.last_mut() {
            last.meaning = meaning.into();
        }
    }

    /// Fails with [`Error::TrailingBytes`] unless everything up to the limit was read.
    pub fn expect_empty(&self, after: &'static str) -> Result<(), Error> {
        match self.left() {
            0 => Ok(()),
            count => Err(Error::TrailingBytes { after, count }),
        }
    }

    /// Runs `f` with the limit lowered to the next `n` bytes (a length-prefixed region), and
    /// requires `f` to consume exactly those bytes.
    pub fn within<T>(
        &mut self,
        n: usize,
        payload: &'static str,
        field: &'static str,
        f: impl FnOnce(&mut Self) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let left = self.left();
        if n > left {
            return Err(Error::Truncated { payload, field, needed: n, left });
        }
        let saved = self.limit;
        self.limit = self.pos + n;
        let out = f(self);
        let rest = self.left();
        self.limit = saved;
        let v = out?;
        if rest != 0 {
            return Err(Error::TrailingBytes { after: field, count: rest });
        }
        Ok(v)
    }

    /// Bytes of the underlying buffer at absolute offsets `range` (already read or not).
    pub fn slice(&self, range: core::ops::Range<usize>) -> Option<&'a [u8]> {
        self.buf.get(range)
    }

    /// Number of spans recorded so far (to slice out one payload's fields).
    pub fn span_count(&self) -> usize {
        self.spans.len()
    }

    /// Removes and returns the spans recorded since `from`.
    pub fn drain_spans(&mut self, from: usize) -> Vec<FieldSpan> {
        if from >= self.spans.len() {
            return Vec::new();
        }
        self.spans.split_off(from)
    }
}

/// Writes a length prefix of `width` bytes (1 or 2), runs `body`, then patches the prefix
/// with the number of bytes `body` wrote. Lengths too big for the prefix saturate (the
/// builders in `mikey/` keep every field within its range).
pub fn with_len_prefix(out: &mut Vec<u8>, width: LenWidth, body: impl FnOnce(&mut Vec<u8>)) {
    let at = out.len();
    match width {
        LenWidth::U8 => out.push(0),
        LenWidth::U16 => out.extend_from_slice(&[0, 0]),
    }
    let start = out.len();
    body(out);
    let n = out.len() - start;
    match width {
        LenWidth::U8 => {
            if let Some(b) = out.get_mut(at) {
                *b = u8::try_from(n).unwrap_or(u8::MAX);
            }
        }
        LenWidth::U16 => {
            let v = u16::try_from(n).unwrap_or(u16::MAX).to_be_bytes();
            if let Some(s) = out.get_mut(at..at + 2) {
                s.copy_from_slice(&v);
            }
        }
    }
}

/// Width of a length prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LenWidth {
    /// One byte (RAND len, SP param length, TLV length).
    U8,
    /// Two bytes, big-endian (ID len, Encr data len, Key data len, GenExt length).
    U16,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_past_the_end_names_payload_and_field() {
        let mut r = Reader::new(&[1, 2, 3]);
        assert_eq!(r.u8("RAND", "RAND len").unwrap(), 1);
        let e = r.take(16, "RAND", "RAND").unwrap_err();
        assert_eq!(e, Error::Truncated { payload: "RAND", field: "RAND", needed: 16, left: 2 });
    }

    #[test]
    fn spans_have_absolute_offsets() {
        let mut r = Reader::new(&[0, 0, 0, 7, 9]);
        r.u32("HDR", "CSB ID").unwrap();
        r.u8("HDR", "#CS").unwrap();
        let s = r.drain_spans(0);
        assert_eq!(s[0].range, 0..4);
        assert_eq!(s[1].range, 4..5);
    }

    #[test]
    fn within_requires_exact_consumption() {
        let mut r = Reader::new(&[1, 2, 3, 4]);
        let e = r.within(3, "SP", "Policy param", |r| r.u8("SP", "Type")).unwrap_err();
        assert_eq!(e, Error::TrailingBytes { after: "Policy param", count: 2 });
    }

    #[test]
    fn len_prefix_is_patched() {
        let mut out = vec![9];
        with_len_prefix(&mut out, LenWidth::U16, |o| o.extend_from_slice(b"abc"));
        assert_eq!(out, vec![9, 0, 3, b'a', b'b', b'c']);
    }
}
