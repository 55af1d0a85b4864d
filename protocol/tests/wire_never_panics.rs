//! Property: decoding never panics — on arbitrary bytes, and on valid messages with bytes
//! flipped, inserted or cut. Whatever decodes must re-encode to the same bytes with a layout
//! that covers every byte once.

mod wire_support;

use dmikey::wire::*;
use proptest::prelude::*;

fn check(bytes: &[u8]) {
    if let Ok(d) = Message::decode(bytes) {
        assert_eq!(d.message.encode(), bytes);
        d.layout.check_coverage(bytes.len()).unwrap();
    }
    for id_first in [false, true] {
        if let Ok((id, keys, layout)) = decode_key_data_chain(bytes, id_first) {
            assert_eq!(encode_key_data_chain(id.as_ref(), &keys), bytes);
            layout.check_coverage(bytes.len()).unwrap();
        }
    }
    let _ = DmikeyExt::decode(bytes);
}

fn sample_bytes() -> Vec<Vec<u8>> {
    wire_support::all_samples().into_iter().map(|(_, m)| m.encode()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        check(&bytes);
    }

    #[test]
    fn arbitrary_bytes_after_a_valid_header_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut bytes = wire_support::psk_verify().encode()[..19].to_vec();
        bytes.extend_from_slice(&tail);
        check(&bytes);
    }

    #[test]
    fn mutated_valid_messages_never_panic(
        which in 0usize..8,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..6),
    ) {
        let samples = sample_bytes();
        let mut bytes = samples[which % samples.len()].clone();
        for (at, val, op) in edits {
            if bytes.is_empty() { break; }
            let i = at % bytes.len();
            match op {
                0 => bytes[i] = val,
                1 => bytes.insert(i, val),
                _ => bytes.truncate(i),
            }
        }
        check(&bytes);
    }
}
