//! Arithmetic in GF(2^8) with the AES reduction polynomial x^8 + x^4 + x^3 + x + 1 (0x11B),
//! the field of the Shamir scheme (digest D16). No tables and no branches on the operands, so
//! the time taken does not depend on secret bytes.

/// a + b (and a − b): XOR.
#[inline]
pub(crate) fn add(a: u8, b: u8) -> u8 {
    a ^ b
}

/// a · b modulo 0x11B, by eight fixed shift-and-add rounds with masks instead of branches.
pub(crate) fn mul(a: u8, b: u8) -> u8 {
    let (mut a, mut b, mut p) = (a, b, 0u8);
    for _ in 0..8 {
        p ^= a & 0u8.wrapping_sub(b & 1);
        let carry = 0u8.wrapping_sub(a >> 7);
        a = (a << 1) ^ (0x1B & carry);
        b >>= 1;
    }
    p
}

/// a⁻¹ = a^254 (0 maps to 0), by a fixed square-and-multiply chain.
pub(crate) fn inv(a: u8) -> u8 {
    let mut result = 1u8;
    let mut base = a;
    // 254 = 0b1111_1110: the exponent is public, so branching on its bits leaks nothing.
    for bit in 0..8 {
        if (254u8 >> bit) & 1 == 1 {
            result = mul(result, base);
        }
        base = mul(base, base);
    }
    result
}

/// a / b (b must be non-zero; callers only divide by differences of distinct x-coordinates).
pub(crate) fn div(a: u8, b: u8) -> u8 {
    mul(a, inv(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aes_field_examples() {
        // FIPS-197 §4.2: {57} · {83} = {c1}, {57} · {13} = {fe}.
        assert_eq!(mul(0x57, 0x83), 0xc1);
        assert_eq!(mul(0x57, 0x13), 0xfe);
    }

    #[test]
    fn every_non_zero_element_has_an_inverse() {
        assert_eq!(inv(0), 0);
        for a in 1..=255u8 {
            assert_eq!(mul(a, inv(a)), 1, "a = {a:#04x}");
            assert_eq!(div(mul(a, 0x53), a), 0x53);
        }
    }
}
