//! The presenter's speaker notes: two or three sentences per run (what to point at, what to
//! say), kept as text in `speaker_notes.txt` so they read as prose and are edited in one place.
//!
//! The file is a list of entries, each a line `== ID` (a preset's id, or [`DEFAULT`] for the
//! run the page opens with) followed by its text; lines starting with `#` are comments.

/// The id of the notes of the run without a preset.
pub const DEFAULT: &str = "default";

const TEXT: &str = include_str!("speaker_notes.txt");

/// Every entry of the notes file, as `(id, text)`, the text's lines joined by spaces.
pub fn all_notes() -> Vec<(&'static str, String)> {
    let mut notes: Vec<(&'static str, String)> = Vec::new();
    for line in TEXT.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        if let Some(id) = line.strip_prefix("==") {
            notes.push((id.trim(), String::new()));
        } else if let Some((_, text)) = notes.last_mut().filter(|_| !line.is_empty()) {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(line);
        }
    }
    notes
}

/// The speaker notes of the preset `id` (or of the default run, for `None`), if it has any.
pub fn speaker_notes(id: Option<&str>) -> Option<String> {
    let id = id.unwrap_or(DEFAULT);
    all_notes().into_iter().find(|(n, _)| *n == id).map(|(_, text)| text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{RsaBits, presets};

    #[test]
    fn every_preset_has_speaker_notes() {
        let missing: Vec<&str> = presets(RsaBits::B1024, Some(1))
            .iter()
            .map(|p| p.id)
            .filter(|id| speaker_notes(Some(id)).is_none_or(|t| t.is_empty()))
            .collect();
        assert!(
            missing.is_empty(),
            "presets without speaker notes in protocol/src/sim/speaker_notes.txt: {}",
            missing.join(", ")
        );
        assert!(speaker_notes(None).is_some_and(|t| !t.is_empty()), "the default run has no notes");
    }

    #[test]
    fn notes_are_two_or_three_sentences_and_ids_unique() {
        let all = all_notes();
        for (id, text) in &all {
            let sentences = text.matches(". ").count() + usize::from(text.ends_with('.'));
            assert!((2..=4).contains(&sentences), "{id}: {sentences} sentences: {text}");
            assert_eq!(all.iter().filter(|(n, _)| n == id).count(), 1, "{id} has two entries");
        }
        let known: Vec<&str> = presets(RsaBits::B1024, Some(1)).iter().map(|p| p.id).collect();
        for (id, _) in &all {
            assert!(*id == DEFAULT || known.contains(id), "notes for no preset: {id}");
        }
    }

    #[test]
    fn entries_are_read_whole() {
        let text = speaker_notes(Some("replay")).unwrap_or_default();
        assert!(text.starts_with("Watch TP1_R arrive"), "{text}");
        assert!(text.ends_with("as if nothing had happened."), "{text}");
        assert!(!text.contains("=="), "{text}");
    }
}
