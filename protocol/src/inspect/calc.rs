//! Building [`Calculation`]s: the values, the formula lines and the copyable commands.
//!
//! Every command prints its result as lowercase hex without separators (or `OK` for a
//! verification), which is what [`Snippet::prints`] holds; the `openssl` lines normalise
//! `openssl`'s own output with `tr`, and feed bytes through coreutils' `basenc`.

use core::ops::Range;

use super::{CalcKind, CalcValue, Calculation, Check, Snippet, Tool};
use crate::crypto::prf::PrfFunc;

/// Lowercase hex.
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Uppercase hex (what `basenc --base16 -d` reads).
fn hex_upper(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

/// A value from the message (its bytes and where they lie) or from elsewhere.
pub fn value(name: impl Into<String>, bytes: &[u8], range: Option<Range<usize>>) -> CalcValue {
    CalcValue { name: name.into(), bytes: bytes.to_vec(), range }
}

fn shell_bytes(b: &[u8]) -> String {
    format!(
        "printf %s {} | basenc --base16 -d",
        if b.is_empty() { "''".into() } else { hex_upper(b) }
    )
}

fn python(body: &str) -> String {
    format!("python3 - <<'EOF'\n{body}\nEOF")
}

const PY_PRF: &str = "import hmac, hashlib
def p(s, label, m, h):
    a, out = label, b\"\"
    for _ in range(m):
        a = hmac.new(s, a, h).digest()
        out += hmac.new(s, a + label, h).digest()
    return out
def prf(inkey, label, n, h=hashlib.sha1):
    size = h().digest_size
    m = -(-n // size)
    out = bytes(size * m)
    for i in range(0, max(len(inkey), 1), 32):
        out = bytes(x ^ y for x, y in zip(out, p(inkey[i:i + 32], label, m, h)))
    return out[:n]";

fn py_hash(func: PrfFunc) -> &'static str {
    match func {
        PrfFunc::Mikey1 => "hashlib.sha1",
        PrfFunc::HmacSha256 => "hashlib.sha256",
    }
}

/// The commands computing `PRF(inkey, label, n)` (RFC 3830 §4.1.2). With an inkey of at most
/// 256 bits the PRF is one P_SHA1, which is OpenSSL's TLS1-PRF KDF with digest SHA1.
pub fn prf_snippets(func: PrfFunc, inkey: &[u8], label: &[u8], out: &[u8]) -> Vec<Snippet> {
    let prints = hex(out);
    let mut v = Vec::new();
    if !inkey.is_empty() && inkey.len() <= 32 {
        let digest = match func {
            PrfFunc::Mikey1 => "SHA1",
            PrfFunc::HmacSha256 => "SHA256",
        };
        v.push(Snippet {
            tool: Tool::Openssl,
            code: format!(
                "openssl kdf -keylen {} -kdfopt digest:{digest} -kdfopt hexsecret:{} -kdfopt hexseed:{} TLS1-PRF | tr -d ':\\n' | tr A-F a-f; echo",
                out.len(),
                hex(inkey),
                hex(label)
            ),
            prints: prints.clone(),
        });
    }
    v.push(Snippet {
        tool: Tool::Python3,
        code: python(&format!(
            "{PY_PRF}\nprint(prf(bytes.fromhex(\"{}\"), bytes.fromhex(\"{}\"), {}, {}).hex())",
            hex(inkey),
            hex(label),
            out.len(),
            py_hash(func)
        )),
        prints,
    });
    v
}

/// A PRF calculation: `out = PRF(inkey, constant ‖ cs ‖ CSB ID ‖ RAND)`.
#[allow(clippy::too_many_arguments)]
pub fn prf_calc(
    kind: CalcKind,
    title: String,
    rfc: &'static str,
    func: PrfFunc,
    inkey: CalcValue,
    constant: u32,
    cs: u8,
    csb_id: (u32, Option<Range<usize>>),
    rand: (&[u8], Option<Range<usize>>),
    out_name: &str,
    out: &[u8],
) -> Calculation {
    let label = crate::crypto::derive::session_label(constant, cs, csb_id.0, rand.0);
    let cs_words = if cs == 0xFF {
        "0xFF (the message keys are bound to no crypto session)".to_string()
    } else {
        format!("0x{cs:02X} (crypto session {cs})")
    };
    let formula = vec![
        format!(
            "label = constant 0x{constant:08X} ‖ {cs_words} ‖ CSB ID 0x{:08X} ‖ RAND ({} bytes)",
            csb_id.0,
            rand.0.len()
        ),
        format!("label = {}", hex(&label)),
        format!(
            "{out_name} = PRF({}, label, {} bits){}",
            inkey.name,
            out.len() * 8,
            match func {
                PrfFunc::Mikey1 => " — MIKEY-1: P_SHA1 on each 256-bit chunk of the inkey, XORed",
                PrfFunc::HmacSha256 => " — PRF-HMAC-SHA-256 (RFC 6043 §6.1)",
            }
        ),
    ];
    let commands = prf_snippets(func, &inkey.bytes, &label, out);
    Calculation {
        kind,
        title,
        rfc,
        inputs: vec![
            inkey,
            value("constant", &constant.to_be_bytes(), None),
            value("CSB ID", &csb_id.0.to_be_bytes(), csb_id.1),
            value("RAND", rand.0, rand.1),
            value("label", &label, None),
        ],
        formula,
        output: value(out_name, out, None),
        check: Check::Derived,
        commands,
    }
}

/// Commands for HMAC-SHA-1 (or SHA-256) of `data` under `key`, truncated to `out.len()`.
pub fn hmac_snippets(sha256: bool, key: &[u8], data: &[u8], out: &[u8]) -> Vec<Snippet> {
    let prints = hex(out);
    let (digest, h) = if sha256 { ("SHA256", "sha256") } else { ("SHA1", "sha1") };
    let take = out.len() * 2;
    vec![
        Snippet {
            tool: Tool::Openssl,
            code: format!(
                "{} | openssl mac -digest {digest} -macopt hexkey:{} HMAC | tr A-F a-f | cut -c1-{take}",
                shell_bytes(data),
                hex(key)
            ),
            prints: prints.clone(),
        },
        Snippet {
            tool: Tool::Python3,
            code: python(&format!(
                "import hmac, hashlib\nprint(hmac.new(bytes.fromhex(\"{}\"), bytes.fromhex(\"{}\"), hashlib.{h}).digest()[:{}].hex())",
                hex(key),
                hex(data),
                out.len()
            )),
            prints,
        },
    ]
}

/// Commands XORing the salt with `0x0000 ‖ CSB ID ‖ T` (the IV / nonce of §4.2.3).
pub fn iv_snippets(salt: &[u8], csb_id: u32, t64: [u8; 8], ccm: bool, out: &[u8]) -> Vec<Snippet> {
    let tail = if ccm { "[1:14]" } else { " + bytes(2)" };
    vec![Snippet {
        tool: Tool::Python3,
        code: python(&format!(
            "s = bytes.fromhex(\"{}\")\nx = bytes(2) + bytes.fromhex(\"{:08x}\") + bytes.fromhex(\"{}\")\nv = bytes(a ^ b for a, b in zip(s, x))\nprint((v{tail}).hex())",
            hex(salt),
            csb_id,
            hex(&t64)
        )),
        prints: hex(out),
    }]
}

/// Commands decrypting AES-128 counter mode.
pub fn aes_ctr_snippets(key: &[u8], iv: &[u8], ct: &[u8], plain: &[u8]) -> Vec<Snippet> {
    let prints = hex(plain);
    vec![
        Snippet {
            tool: Tool::Openssl,
            code: format!(
                "{} | openssl enc -d -aes-128-ctr -K {} -iv {} | basenc --base16 -w0 | tr A-F a-f; echo",
                shell_bytes(ct),
                hex(key),
                hex(iv)
            ),
            prints: prints.clone(),
        },
        Snippet {
            tool: Tool::Python3,
            code: python(&format!(
                "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\nd = Cipher(algorithms.AES(bytes.fromhex(\"{}\")), modes.CTR(bytes.fromhex(\"{}\"))).decryptor()\nprint((d.update(bytes.fromhex(\"{}\")) + d.finalize()).hex())",
                hex(key),
                hex(iv),
                hex(ct)
            )),
            prints,
        },
    ]
}

/// Commands opening AES-CCM (tag checked by `cryptography`; it raises on a wrong tag).
pub fn ccm_snippets(
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    ct: &[u8],
    tag: &[u8],
    plain: &[u8],
) -> Vec<Snippet> {
    vec![Snippet {
        tool: Tool::Python3,
        code: python(&format!(
            "from cryptography.hazmat.primitives.ciphers.aead import AESCCM\nc = AESCCM(bytes.fromhex(\"{}\"), tag_length={})\nprint(c.decrypt(bytes.fromhex(\"{}\"), bytes.fromhex(\"{}\"), bytes.fromhex(\"{}\")).hex())",
            hex(key),
            tag.len(),
            hex(nonce),
            hex(&[ct, tag].concat()),
            hex(aad)
        )),
        prints: hex(plain),
    }]
}

/// Commands verifying an RSA signature (SHA-256; PSS with a 32-byte salt or PKCS#1 v1.5)
/// with the public key of a DER certificate.
pub fn signature_snippets(cert_der: &[u8], pss: bool, data: &[u8], sig: &[u8]) -> Vec<Snippet> {
    let (sigopt, py_pad) = if pss {
        (
            " -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32",
            "padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)",
        )
    } else {
        ("", "padding.PKCS1v15()")
    };
    vec![
        Snippet {
            tool: Tool::Openssl,
            code: format!(
                "d=$(mktemp -d) && {} > $d/cert.der && openssl x509 -inform DER -in $d/cert.der -pubkey -noout > $d/pub.pem && {} > $d/data.bin && {} > $d/sig.bin && openssl dgst -sha256{sigopt} -verify $d/pub.pem -signature $d/sig.bin $d/data.bin | sed 's/^Verified OK$/OK/'; rm -r $d",
                shell_bytes(cert_der),
                shell_bytes(data),
                shell_bytes(sig)
            ),
            prints: "OK".into(),
        },
        Snippet {
            tool: Tool::Python3,
            code: python(&format!(
                "from cryptography import x509\nfrom cryptography.hazmat.primitives import hashes\nfrom cryptography.hazmat.primitives.asymmetric import padding\nk = x509.load_der_x509_certificate(bytes.fromhex(\"{}\")).public_key()\nk.verify(bytes.fromhex(\"{}\"), bytes.fromhex(\"{}\"), {py_pad}, hashes.SHA256())\nprint(\"OK\")",
                hex(cert_der),
                hex(sig),
                hex(data)
            )),
            prints: "OK".into(),
        },
    ]
}

/// Commands RSA-decrypting the PKE envelope key with a PKCS#8 DER private key.
pub fn rsa_decrypt_snippets(key_pkcs8: &[u8], oaep: bool, ct: &[u8], plain: &[u8]) -> Vec<Snippet> {
    let pad = if oaep {
        "padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)"
    } else {
        "padding.PKCS1v15()"
    };
    vec![Snippet {
        tool: Tool::Python3,
        code: python(&format!(
            "from cryptography.hazmat.primitives import hashes, serialization\nfrom cryptography.hazmat.primitives.asymmetric import padding\nk = serialization.load_der_private_key(bytes.fromhex(\"{}\"), None)\nprint(k.decrypt(bytes.fromhex(\"{}\"), {pad}).hex())",
            hex(key_pkcs8),
            hex(ct)
        )),
        prints: hex(plain),
    }]
}

/// Commands rebuilding an n-of-n XOR sharing.
pub fn xor_snippets(shares: &[Vec<u8>], out: &[u8]) -> Vec<Snippet> {
    let list: Vec<String> = shares.iter().map(|s| format!("\"{}\"", hex(s))).collect();
    vec![Snippet {
        tool: Tool::Python3,
        code: python(&format!(
            "import functools\nshares = [bytes.fromhex(h) for h in [{}]]\nprint(functools.reduce(lambda a, b: bytes(x ^ y for x, y in zip(a, b)), shares).hex())",
            list.join(", ")
        )),
        prints: hex(out),
    }]
}

/// Commands rebuilding a Shamir sharing over GF(2^8) (AES polynomial 0x11B) by Lagrange
/// interpolation at 0.
pub fn shamir_snippets(shares: &[(u8, Vec<u8>)], out: &[u8]) -> Vec<Snippet> {
    let list: Vec<String> =
        shares.iter().map(|(i, s)| format!("({i}, bytes.fromhex(\"{}\"))", hex(s))).collect();
    vec![Snippet {
        tool: Tool::Python3,
        code: python(&format!(
            "def mul(a, b):
    r = 0
    while b:
        if b & 1: r ^= a
        a = (a << 1) ^ (0x11B if a & 0x80 else 0)
        b >>= 1
    return r
def inv(a):
    r = 1
    for _ in range(254): r = mul(r, a)
    return r
shares = [{}]
out = bytearray(len(shares[0][1]))
for j, (xj, yj) in enumerate(shares):
    l = 1
    for m, (xm, _) in enumerate(shares):
        if m != j: l = mul(l, mul(xm, inv(xm ^ xj)))
    for t in range(len(out)): out[t] ^= mul(yj[t], l)
print(out.hex())",
            list.join(", ")
        )),
        prints: hex(out),
    }]
}

/// GF(2^8) arithmetic in Python for the reduction polynomial `poly` and Lagrange interpolation
/// of the points `pts` ((x, bytes) pairs) at `x0`.
fn py_gf_lagrange(poly: u32) -> String {
    format!(
        "def mul(a, b):
    r = 0
    while b:
        if b & 1: r ^= a
        a = (a << 1) ^ (0x{poly:03X} if a & 0x80 else 0)
        b >>= 1
    return r
def inv(a):
    r = 1
    for _ in range(254): r = mul(r, a)
    return r
def at(pts, x0):
    out = bytearray(len(pts[0][1]))
    for j, (xj, yj) in enumerate(pts):
        l = 1
        for m, (xm, _) in enumerate(pts):
            if m != j: l = mul(l, mul(x0 ^ xm, inv(xj ^ xm)))
        for t in range(len(out)): out[t] ^= mul(yj[t], l)
    return bytes(out)"
    )
}

/// The Python lines undoing the paper's systematic Reed–Solomon code (the Backblaze
/// construction of `reed-solomon-erasure`, field 0x11D): shard i is the value at x = i − 1 of
/// the polynomial of degree < k whose values at 0 … k−1 are the k data shards, so any k
/// shards give the data shards back by Lagrange interpolation at 0 … k−1.
fn py_rs_data(shares: &[(u8, Vec<u8>)]) -> String {
    let list: Vec<String> = shares
        .iter()
        .map(|(i, s)| format!("({}, bytes.fromhex(\"{}\"))", i.saturating_sub(1), hex(s)))
        .collect();
    format!(
        "{}
# share i is the code polynomial's value at x = i - 1; the data shards are its values at 0..k-1
pts = [{}]
data = b\"\".join(at(pts, x) for x in range(len(pts)))",
        py_gf_lagrange(0x11D),
        list.join(", ")
    )
}

/// Commands rebuilding the paper's Reed–Solomon split: the data shards from any k shares,
/// joined and cut to the TGK's length (the rest is zero padding).
pub fn rs_snippets(shares: &[(u8, Vec<u8>)], out: &[u8]) -> Vec<Snippet> {
    vec![Snippet {
        tool: Tool::Python3,
        code: python(&format!(
            "{}\nassert not any(data[{len}:]), \"the padding is not zero: a share is wrong\"\nprint(data[:{len}].hex())",
            py_rs_data(shares),
            len = out.len()
        )),
        prints: hex(out),
    }]
}

/// Commands rebuilding AONT-RS: the package from any k shares (as [`rs_snippets`]), then
/// K = last 32 bytes XOR SHA-256(C), the TGK and canary = AES-256-CTR(K, IV 0) of C.
pub fn aont_rs_snippets(shares: &[(u8, Vec<u8>)], canary: &[u8], out: &[u8]) -> Vec<Snippet> {
    let len = out.len();
    let body = len + canary.len();
    vec![Snippet {
        tool: Tool::Python3,
        code: python(&format!(
            "import hashlib
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
{}
c, last = data[:{body}], data[{body}:{body} + 32]
key = bytes(a ^ b for a, b in zip(last, hashlib.sha256(c).digest()))
d = Cipher(algorithms.AES(key), modes.CTR(bytes(16))).decryptor()
plain = d.update(c) + d.finalize()
assert plain[{len}:] == bytes.fromhex(\"{}\"), \"wrong canary: a share is wrong\"
print(plain[:{len}].hex())",
            py_rs_data(shares),
            hex(canary),
        )),
        prints: hex(out),
    }]
}

/// Commands computing `base^x mod p` (`base` None: the generator g = 2), printed as a
/// big-endian number of p's length: DHi = g^x and the TGK = DHr^x of RFC 3830 §3.3.
pub fn dh_snippets(p: &[u8], base: Option<&[u8]>, x: &[u8], out: &[u8]) -> Vec<Snippet> {
    let base = match base {
        None => "2".to_string(),
        Some(b) => format!("int(\"{}\", 16)", hex(b)),
    };
    vec![Snippet {
        tool: Tool::Python3,
        code: python(&format!(
            "p = int(\"{}\", 16)\nx = int(\"{}\", 16)\nprint(pow({base}, x, p).to_bytes({}, \"big\").hex())",
            hex(p),
            hex(x),
            p.len()
        )),
        prints: hex(out),
    }]
}
