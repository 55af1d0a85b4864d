//! Arithmetic in GF(2^8) with the AES reduction polynomial x^8 + x^4 + x^3 + x + 1 (0x11B),
//! the field of the Shamir scheme (docs/distributed-mode.md, "Why not the paper's
//! Reed–Solomon"). No tables and no branches on the operands, so
//! the time taken does not depend on secret bytes.
//!
//! [`rsf`] is the other field, x^8 + x^4 + x^3 + x^2 + 1 (0x11D) with generator 2, the one of
//! the Backblaze / `reed-solomon-erasure` code the paper's Reed–Solomon scheme uses.

/// a + b (and a − b): XOR.
#[inline]
pub(crate) fn add(a: u8, b: u8) -> u8 {
    a ^ b
}

/// a · b modulo 0x11B, by eight fixed shift-and-add rounds with masks instead of branches.
pub(crate) fn mul(a: u8, b: u8) -> u8 {
    mul_mod(a, b, 0x1B)
}

/// a · b modulo x^8 + `low` (the low byte of the reduction polynomial), in constant time.
#[inline]
fn mul_mod(a: u8, b: u8, low: u8) -> u8 {
    let (mut a, mut b, mut p) = (a, b, 0u8);
    for _ in 0..8 {
        p ^= a & 0u8.wrapping_sub(b & 1);
        let carry = 0u8.wrapping_sub(a >> 7);
        a = (a << 1) ^ (low & carry);
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

/// GF(2^8) modulo 0x11D, the Reed–Solomon field, for the rank and the linear solve of
/// [`super::exposure`]. [`rsf::mul_ct`] multiplies secret bytes in constant time; the
/// table-based operations are for the public code matrices only.
pub(crate) mod rsf {
    const fn tables() -> ([u8; 510], [u8; 256]) {
        let mut exp = [0u8; 510];
        let mut log = [0u8; 256];
        let mut x: u16 = 1;
        let mut i = 0;
        while i < 255 {
            exp[i] = x as u8;
            exp[i + 255] = x as u8;
            log[x as usize] = i as u8;
            x <<= 1;
            if x & 0x100 != 0 {
                x ^= 0x11D;
            }
            i += 1;
        }
        (exp, log)
    }
    const TABLES: ([u8; 510], [u8; 256]) = tables();
    static EXP: [u8; 510] = TABLES.0;
    static LOG: [u8; 256] = TABLES.1;

    /// a · b for secret operands: shift-and-add, no tables, no branches.
    pub(crate) fn mul_ct(a: u8, b: u8) -> u8 {
        super::mul_mod(a, b, 0x1D)
    }

    /// a · b on public values (table lookups).
    pub(crate) fn mul(a: u8, b: u8) -> u8 {
        if a == 0 || b == 0 {
            return 0;
        }
        let i = usize::from(LOG[usize::from(a)]) + usize::from(LOG[usize::from(b)]);
        EXP.get(i).copied().unwrap_or(0)
    }

    /// a^n on public values (a^0 = 1, also for a = 0).
    pub(crate) fn pow(a: u8, n: usize) -> u8 {
        if n == 0 {
            return 1;
        }
        if a == 0 {
            return 0;
        }
        let i = (usize::from(LOG[usize::from(a)]) * (n % 255)) % 255;
        EXP.get(i).copied().unwrap_or(0)
    }

    /// a / b on public values; b = 0 gives 0 (callers only divide by pivots, never zero).
    pub(crate) fn div(a: u8, b: u8) -> u8 {
        if a == 0 || b == 0 {
            return 0;
        }
        let i = 255 + usize::from(LOG[usize::from(a)]) - usize::from(LOG[usize::from(b)]);
        EXP.get(i).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rs_field_matches_the_constant_time_multiplication() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                assert_eq!(rsf::mul(a, b), rsf::mul_ct(a, b), "{a} · {b}");
                if b != 0 {
                    assert_eq!(rsf::mul(rsf::div(a, b), b), a, "{a} / {b}");
                }
            }
        }
    }

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
