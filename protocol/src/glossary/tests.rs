use std::collections::BTreeMap;

use super::*;

/// The terms of `text` as (text, term of the entry).
fn terms(text: &str) -> Vec<(&str, &'static str)> {
    annotate(text)
        .into_iter()
        .filter_map(|s| match s {
            Span::Term { text, entry } => Some((text, entry.term.as_str())),
            Span::Text(_) => None,
        })
        .collect()
}

#[test]
fn the_file_parses_and_every_entry_is_complete() {
    let parsed = parse(SOURCE);
    assert!(parsed.is_ok(), "{parsed:?}");
    let list = entries();
    assert!(list.len() >= 60, "only {} entries", list.len());
    for e in list {
        assert!(!e.term.trim().is_empty());
        assert!(!e.definition.trim().is_empty(), "{} has no definition", e.term);
        assert!(e.definition.len() >= 40, "{}: definition too short", e.term);
        assert!(!e.slug.is_empty(), "{}: empty slug", e.term);
        for a in &e.aliases {
            assert!(!a.trim().is_empty(), "{}: empty alias", e.term);
        }
        // Each entry's own spellings find it.
        for s in e.spellings().filter(|s| !s.contains("{n}")) {
            assert_eq!(lookup(s).map(|f| &f.term), Some(&e.term), "spelling {s:?}");
        }
    }
}

#[test]
fn the_terms_the_issue_names_are_defined() {
    for t in ["TGK", "TEK", "KEMAC", "PKE", "CSB ID", "KCV", "PSK", "envelope key"] {
        assert!(lookup(t).is_some(), "{t} missing");
    }
    let kcv = lookup("KCV").map(|e| e.here.clone().unwrap_or_default()).unwrap_or_default();
    assert!(kcv.contains("our addition"), "the KCV must say it is ours: {kcv}");
}

#[test]
fn no_two_spellings_can_match_the_same_text() {
    // A spelling with a lower-case first letter also matches it upper-case, and every
    // spelling its plural: compare them folded so such overlaps are found too.
    let key = |s: &str| {
        let mut c = s.chars();
        match c.next() {
            Some(f) if s.chars().count() >= 2 => f.to_lowercase().chain(c).collect::<String>(),
            _ => s.to_string(),
        }
    };
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut clashes = Vec::new();
    for e in entries() {
        for s in e.spellings() {
            let k = key(s);
            if let Some(other) = seen.insert(k.clone(), e.term.clone()) {
                clashes.push(format!("{s:?} in {} and {other}", e.term));
            }
        }
    }
    // A spelling that is another's plural.
    for (k, term) in &seen {
        if let Some(singular) = k.strip_suffix('s')
            && singular.chars().count() >= 2
            && let Some(other) = seen.get(singular)
        {
            clashes.push(format!("{k:?} ({term}) is the plural of a spelling of {other}"));
        }
    }
    let mut slugs: Vec<&str> = entries().iter().map(|e| e.slug.as_str()).collect();
    slugs.sort_unstable();
    let before = slugs.len();
    slugs.dedup();
    assert_eq!(before, slugs.len(), "two entries share a slug");
    assert!(clashes.is_empty(), "clashing spellings: {clashes:#?}");
}

#[test]
fn spans_concatenate_to_the_text() {
    let text = "R rebuilds the TGK from TP1's share; the sensor's KEMAC — CSB ID 0x1 — and TEKs.";
    let joined: String = annotate(text).iter().map(Span::text).collect();
    assert_eq!(joined, text);
    assert_eq!(annotate(""), Vec::<Span<'_>>::new());
}

#[test]
fn whole_words_only() {
    assert_eq!(terms("TGKX and XTGK and TGK2 and tgk"), vec![]);
    assert_eq!(terms("TGK."), vec![("TGK", "TGK")]);
    assert_eq!(terms("(TGK)"), vec![("TGK", "TGK")]);
    assert_eq!(terms("TGK's bytes"), vec![("TGK", "TGK")]);
    assert_eq!(terms("two TEKs, three TGKs"), vec![("TEKs", "TEK"), ("TGKs", "TGK")]);
    // A possessive stays outside; a plural of a plural does not exist.
    assert_eq!(terms("TEKss"), vec![]);
}

#[test]
fn single_letters_are_not_found_inside_words_or_names() {
    // "T" is the timestamp and "I" the initiator, but only as words of their own.
    assert_eq!(terms("The Item Tries"), vec![]);
    assert_eq!(terms("T_I"), vec![("T_I", "T")]);
    assert_eq!(terms("I_MESSAGE"), vec![("I_MESSAGE", "I_MESSAGE")]);
    assert_eq!(terms("T then I then R"), vec![("T", "T"), ("I", "I"), ("R", "R")]);
    // A one-letter spelling takes no plural: "Is" is a word, not two initiators.
    assert_eq!(terms("Is it?"), vec![]);
    assert_eq!(terms("Rs"), vec![]);
    assert_eq!(terms("R's answer"), vec![("R", "R")]);
}

#[test]
fn longest_spelling_wins() {
    assert_eq!(terms("CSB ID"), vec![("CSB ID", "CSB ID")]);
    assert_eq!(terms("CSB"), vec![("CSB", "CSB ID")]);
    assert_eq!(terms("HMAC-SHA-1"), vec![("HMAC-SHA-1", "HMAC-SHA-1")]);
    assert_eq!(terms("TEK salt"), vec![("TEK salt", "TEK salt")]);
    assert_eq!(terms("the TEK is"), vec![("TEK", "TEK")]);
    assert_eq!(terms("pre-shared key mode"), vec![("pre-shared key mode", "pre-shared key mode")]);
}

#[test]
fn case_rules() {
    // A lower-case first letter also matches upper-case, at the start of a sentence.
    assert_eq!(terms("Envelope key"), vec![("Envelope key", "envelope key")]);
    assert_eq!(terms("envelope keys"), vec![("envelope keys", "envelope key")]);
    // Acronyms are exact.
    assert_eq!(terms("Tgk kemac Kemac"), vec![]);
    // Only the first letter folds.
    assert_eq!(terms("ENVELOPE KEY"), vec![]);
}

#[test]
fn numbered_names() {
    assert_eq!(terms("TP1, TP12 and TPi"), vec![("TP1", "TP"), ("TP12", "TP"), ("TPi", "TP")]);
    assert_eq!(
        terms("I_TP3 TP2_R R_TP4 TP1_I"),
        vec![("I_TP3", "I_TPi"), ("TP2_R", "TPi_R"), ("R_TP4", "R_TPi"), ("TP1_I", "TPi_I"),]
    );
    assert_eq!(terms("TP1>R"), vec![("TP1", "TP"), ("R", "R")]);
    assert_eq!(terms("TPx TP TP1x"), vec![("TP", "TP")]);
    assert_eq!(lookup("TP3").map(|e| e.term.as_str()), Some("TP"));
}

#[test]
fn non_ascii_text_is_cut_on_character_boundaries() {
    let text = "shares ⇐ PSKs of TP1 ⇐ compromise — Reed–Solomon, k−1, n−k";
    let joined: String = annotate(text).iter().map(Span::text).collect();
    assert_eq!(joined, text);
    let found: Vec<&str> = terms(text).into_iter().map(|(_, t)| t).collect();
    assert_eq!(found, vec!["share", "PSK", "TP", "compromise", "Reed–Solomon", "k", "n", "k"]);
}

#[test]
fn lookup_needs_the_whole_word() {
    assert_eq!(lookup("TGK").map(|e| e.slug.as_str()), Some("tgk"));
    assert_eq!(lookup("TGKs").map(|e| e.term.as_str()), Some("TGK"));
    assert!(lookup("the TGK").is_none());
    assert!(lookup("TGKX").is_none());
    assert!(lookup("").is_none());
    assert_eq!(by_slug("csb-id").map(|e| e.term.as_str()), Some("CSB ID"));
}

#[test]
fn malformed_glossaries_are_refused_by_name() {
    assert_eq!(parse("# G\n\nintro\n\n## \n"), Err(ParseError::EmptyTerm { line: 5 }));
    assert_eq!(parse("## A\nalso: b\n"), Err(ParseError::EmptyDefinition { term: "A".into() }));
    assert_eq!(
        parse("## A\nalso: b;; c\n\nDef.\n"),
        Err(ParseError::EmptyAlias { term: "A".into() })
    );
    assert_eq!(
        parse("## A\nsource: x\nsource: y\n\nDef.\n"),
        Err(ParseError::BadField { term: "A".into(), field: "source" })
    );
    assert_eq!(
        parse("## A\nhere:\n\nDef.\n"),
        Err(ParseError::BadField { term: "A".into(), field: "here" })
    );
    assert_eq!(parse("stray\n## A\n\nDef.\n"), Err(ParseError::NoHeading { line: 1 }));
    let ok =
        parse("# T\n\nIntro.\n\n## A b\nalso: x; y\nsource: s\n\nOne\ntwo.\n\nhere: h\nmore\n");
    assert_eq!(
        ok,
        Ok(vec![Entry {
            term: "A b".into(),
            aliases: vec!["x".into(), "y".into()],
            definition: "One two.".into(),
            source: Some("s".into()),
            here: Some("h more".into()),
            slug: "a-b".into(),
        }])
    );
}
