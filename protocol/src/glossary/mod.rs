//! The glossary: every term the page uses, defined once in `glossary.md` (a readable text file
//! beside this one, compiled in), and a tokenizer that finds those terms in any sentence the
//! page shows so the UI can explain them on hover and focus.
//!
//! * [`entries`] — the parsed entries, in the file's order;
//! * [`lookup`] — the entry a word (or a spelling of it) names;
//! * [`annotate`] — a text cut into plain runs and term occurrences.
//!
//! Matching rules (tested below): a term matches only as a whole word (the characters around it
//! are not ASCII letters, digits or `_`, so `TGK` is not found in `TGKX` nor `T` in `T_I`); the
//! longest spelling wins at a position (`CSB ID` before `CSB`); a spelling is case-sensitive,
//! except that one starting with a lower-case letter also matches with that letter upper-case
//! (`envelope key` matches "Envelope key", `TGK` never matches "tgk"); a spelling of two or
//! more characters ending in a letter also matches its plural in `-s` (`TEKs`), and a
//! possessive `'s` stays outside the term. `{n}` in a spelling stands for a number or the
//! letter `i` (`TP{n}_R` matches TP3_R and TPi_R). The format of the file is in
//! `docs/glossary.md`.

use std::fmt;
use std::sync::OnceLock;

/// The glossary's source text.
pub const SOURCE: &str = include_str!("glossary.md");

/// One term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The term as the page writes it (the entry's heading): "TGK", "envelope key".
    pub term: String,
    /// Other spellings that name it ("TEK Generation Key"), `{n}` standing for a number or `i`.
    pub aliases: Vec<String>,
    /// The definition, one or more paragraphs (separated by a blank line) of plain text.
    pub definition: String,
    /// Where the term comes from: "RFC 3830 §6.2; the paper, Table 1".
    pub source: Option<String>,
    /// Where this implementation differs from RFC 3830 or the paper, or "our addition".
    pub here: Option<String>,
    /// A stable identifier made of `a-z`, `0-9` and `-` (for element ids and links).
    pub slug: String,
}

impl Entry {
    /// The term and every alias: all the spellings [`annotate`] looks for.
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.term.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// The whole explanation in one string: the definition, then the note on this
    /// implementation and the source, for a tooltip or a `title`.
    pub fn full_text(&self) -> String {
        let mut s = self.definition.clone();
        if let Some(h) = &self.here {
            s.push_str("\n\nHere: ");
            s.push_str(h);
        }
        if let Some(src) = &self.source {
            s.push_str("\n\nSource: ");
            s.push_str(src);
        }
        s
    }
}

/// Why the glossary text cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// Text other than the title and the introduction before the first `## ` heading.
    NoHeading { line: usize },
    /// An entry whose heading is empty.
    EmptyTerm { line: usize },
    /// An entry without a definition paragraph.
    EmptyDefinition { term: String },
    /// The same field (`also:`, `source:`, `here:`) twice in one entry, or empty.
    BadField { term: String, field: &'static str },
    /// An empty spelling in `also:` (e.g. `a;; b`).
    EmptyAlias { term: String },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::NoHeading { line } => {
                write!(f, "line {line}: an entry must start with a \"## \" heading")
            }
            ParseError::EmptyTerm { line } => write!(f, "line {line}: empty heading"),
            ParseError::EmptyDefinition { term } => write!(f, "entry {term}: no definition"),
            ParseError::BadField { term, field } => {
                write!(f, "entry {term}: field \"{field}:\" empty or given twice")
            }
            ParseError::EmptyAlias { term } => write!(f, "entry {term}: empty spelling in also:"),
        }
    }
}

impl std::error::Error for ParseError {}

const FIELDS: [&str; 3] = ["also", "source", "here"];

/// The field a line starts, if any: `(index in FIELDS, rest)`.
fn field_of(line: &str) -> Option<(usize, &str)> {
    FIELDS.iter().enumerate().find_map(|(i, f)| {
        line.strip_prefix(f).and_then(|r| r.strip_prefix(':')).map(|rest| (i, rest.trim()))
    })
}

/// Joins the lines of a paragraph with single spaces.
fn join(lines: &[&str]) -> String {
    lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The slug of a term: lower-case letters and digits, other characters as single `-`.
pub fn slug(term: &str) -> String {
    let mut s = String::new();
    for c in term.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    while s.ends_with('-') {
        s.pop();
    }
    s
}

/// Reads a glossary text (the format of `glossary.md`).
pub fn parse(text: &str) -> Result<Vec<Entry>, ParseError> {
    let mut entries = Vec::new();
    // (heading line number, term, body lines)
    let mut current: Option<(usize, String, Vec<&str>)> = None;
    let mut seen_title = false;
    let mut in_intro = false;
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        if let Some(term) = line.strip_prefix("## ") {
            if let Some((_, t, body)) = current.take() {
                entries.push(entry(t, &body)?);
            }
            let term = term.trim();
            if term.is_empty() {
                return Err(ParseError::EmptyTerm { line: number });
            }
            current = Some((number, term.to_string(), Vec::new()));
        } else if let Some((_, _, body)) = current.as_mut() {
            body.push(line);
        } else if line.starts_with("# ") && !seen_title {
            seen_title = true;
            in_intro = true;
        } else if !line.trim().is_empty() && !in_intro {
            return Err(ParseError::NoHeading { line: number });
        }
    }
    if let Some((_, t, body)) = current.take() {
        entries.push(entry(t, &body)?);
    }
    Ok(entries)
}

/// One entry from its heading and the lines below it.
fn entry(term: String, body: &[&str]) -> Result<Entry, ParseError> {
    // Paragraphs of the definition; a line that starts a field opens it until a blank line
    // or the next field.
    let mut definition: Vec<String> = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut fields: [Option<Vec<&str>>; 3] = [None, None, None];
    let mut open: Option<usize> = None;
    for line in body.iter().copied().chain(std::iter::once("")) {
        if let Some((f, rest)) = field_of(line) {
            let Some(slot) = fields.get_mut(f) else { continue };
            if slot.replace(vec![rest]).is_some() {
                return Err(ParseError::BadField {
                    term,
                    field: FIELDS.get(f).copied().unwrap_or(""),
                });
            }
            open = Some(f);
        } else if line.trim().is_empty() {
            open = None;
            if !paragraph.is_empty() {
                definition.push(join(&paragraph));
                paragraph.clear();
            }
        } else if let Some(lines) = open.and_then(|f| fields.get_mut(f)).and_then(Option::as_mut) {
            lines.push(line);
        } else {
            paragraph.push(line);
        }
    }
    let [also, source, here] = fields;
    let field =
        |lines: Option<Vec<&str>>, name: &'static str| -> Result<Option<String>, ParseError> {
            match lines {
                None => Ok(None),
                Some(lines) => {
                    let text = join(&lines);
                    if text.is_empty() {
                        Err(ParseError::BadField { term: term.clone(), field: name })
                    } else {
                        Ok(Some(text))
                    }
                }
            }
        };
    let also = field(also, "also")?;
    let source = field(source, "source")?;
    let here = field(here, "here")?;
    let mut aliases = Vec::new();
    if let Some(also) = also {
        for a in also.split(';') {
            let a = a.trim();
            if a.is_empty() {
                return Err(ParseError::EmptyAlias { term });
            }
            aliases.push(a.to_string());
        }
    }
    if definition.is_empty() {
        return Err(ParseError::EmptyDefinition { term });
    }
    Ok(Entry {
        slug: slug(&term),
        term,
        aliases,
        definition: definition.join("\n\n"),
        source,
        here,
    })
}

/// One piece of a compiled spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// A character; `fold`: a lower-case first letter that also matches upper-case.
    Char { c: char, fold: bool },
    /// `{n}`: one or more ASCII digits, or the letter `i`.
    Number,
}

/// A spelling ready to match.
#[derive(Debug, Clone)]
struct Pattern {
    pieces: Vec<Piece>,
    /// Index in [`entries`].
    entry: usize,
    /// The spelling starts / ends with a word character: a word boundary is required there.
    word_start: bool,
    word_end: bool,
    /// The spelling may take a plural `s`.
    plural: bool,
}

/// ASCII letters, digits and `_` make words (the page's terms and names are ASCII; any other
/// character, a dash or an arrow, is a boundary).
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn compile(spelling: &str, entry: usize) -> Pattern {
    let mut pieces = Vec::new();
    let mut rest = spelling;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("{n}") {
            pieces.push(Piece::Number);
            rest = after;
        } else {
            pieces.push(Piece::Char { c, fold: false });
            rest = rest.get(c.len_utf8()..).unwrap_or_default();
        }
    }
    let long = pieces.len() >= 2;
    if let Some(Piece::Char { c, fold }) = pieces.first_mut() {
        *fold = long && c.is_ascii_lowercase();
    }
    let word_start = match pieces.first() {
        Some(Piece::Char { c, .. }) => is_word(*c),
        _ => true,
    };
    let (word_end, plural) = match pieces.last() {
        Some(Piece::Char { c, .. }) => (is_word(*c), long && c.is_ascii_alphabetic()),
        _ => (true, false),
    };
    Pattern { pieces, entry, word_start, word_end, plural }
}

impl Pattern {
    /// The length in bytes of this spelling's match at the start of `text` (boundaries at
    /// the end checked; the one before is the caller's).
    fn match_len(&self, text: &str) -> Option<usize> {
        let mut at = 0;
        for piece in &self.pieces {
            let rest = text.get(at..)?;
            match *piece {
                Piece::Char { c, fold } => {
                    let got = rest.chars().next()?;
                    let ok = got == c || (fold && got == c.to_ascii_uppercase());
                    if !ok {
                        return None;
                    }
                    at += got.len_utf8();
                }
                Piece::Number => {
                    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                    if digits > 0 {
                        at += digits;
                    } else if rest.starts_with('i') {
                        at += 1;
                    } else {
                        return None;
                    }
                }
            }
        }
        let after = |n: usize| text.get(n..).and_then(|r| r.chars().next());
        if !self.word_end || !after(at).is_some_and(is_word) {
            return Some(at);
        }
        if self.plural && after(at) == Some('s') && !after(at + 1).is_some_and(is_word) {
            return Some(at + 1);
        }
        None
    }
}

/// The compiled glossary: entries and spellings indexed by their first character.
struct Compiled {
    entries: Vec<Entry>,
    patterns: Vec<Pattern>,
    /// (first character, pattern) sorted by character, both cases where folded; `None` for a
    /// spelling that starts with `{n}`.
    by_first: Vec<(Option<char>, usize)>,
}

impl Compiled {
    /// The spellings that start with `first`.
    fn starting(&self, first: Option<char>) -> &[(Option<char>, usize)] {
        let from = self.by_first.partition_point(|(k, _)| *k < first);
        let to = self.by_first.partition_point(|(k, _)| *k <= first);
        self.by_first.get(from..to).unwrap_or_default()
    }
}

fn compiled() -> &'static Compiled {
    static GLOSSARY: OnceLock<Compiled> = OnceLock::new();
    GLOSSARY.get_or_init(|| {
        // The file is compiled in and its parse is tested; an error leaves the glossary empty
        // rather than taking the page down.
        let entries = parse(SOURCE).unwrap_or_default();
        let mut patterns = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            for s in e.spellings() {
                patterns.push(compile(s, i));
            }
        }
        let mut by_first: Vec<(Option<char>, usize)> = Vec::new();
        for (p, pattern) in patterns.iter().enumerate() {
            match pattern.pieces.first() {
                Some(Piece::Char { c, fold }) => {
                    by_first.push((Some(*c), p));
                    if *fold {
                        by_first.push((Some(c.to_ascii_uppercase()), p));
                    }
                }
                Some(Piece::Number) => by_first.push((None, p)),
                None => {}
            }
        }
        by_first.sort_unstable();
        Compiled { entries, patterns, by_first }
    })
}

/// Every entry, in the order of the glossary file.
pub fn entries() -> &'static [Entry] {
    &compiled().entries
}

/// The entry whose slug is `slug`.
pub fn by_slug(slug: &str) -> Option<&'static Entry> {
    entries().iter().find(|e| e.slug == slug)
}

/// The entry `word` names, if the whole of `word` is one spelling of a term (by the rules of
/// [`annotate`]: "TGK", "TGKs", "Envelope key", "TP3").
pub fn lookup(word: &str) -> Option<&'static Entry> {
    match annotate(word).as_slice() {
        [Span::Term { text, entry }] if *text == word => Some(entry),
        _ => None,
    }
}

/// A piece of annotated text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span<'t> {
    /// Plain text.
    Text(&'t str),
    /// An occurrence of a glossary term, as written in the text.
    Term { text: &'t str, entry: &'static Entry },
}

impl<'t> Span<'t> {
    /// The text of the span, as written.
    pub fn text(&self) -> &'t str {
        match self {
            Span::Text(t) | Span::Term { text: t, .. } => t,
        }
    }
}

/// `text` cut into plain runs and glossary terms; the spans' texts concatenate to `text`.
pub fn annotate(text: &str) -> Vec<Span<'_>> {
    let glossary = compiled();
    let mut spans = Vec::new();
    let mut plain_from = 0;
    let mut at = 0;
    let mut prev: Option<char> = None;
    while let Some(c) = text.get(at..).and_then(|r| r.chars().next()) {
        let rest = text.get(at..).unwrap_or_default();
        let boundary = !prev.is_some_and(is_word);
        let numbered = if c.is_ascii_digit() || c == 'i' { glossary.starting(None) } else { &[] };
        let candidates = glossary.starting(Some(c)).iter().chain(numbered);
        let mut best: Option<(usize, usize)> = None;
        for &(_, p) in candidates {
            let Some(pattern) = glossary.patterns.get(p) else { continue };
            if pattern.word_start && !boundary {
                continue;
            }
            if let Some(len) = pattern.match_len(rest)
                && best.is_none_or(|(l, _)| len > l)
            {
                best = Some((len, pattern.entry));
            }
        }
        match best.and_then(|(len, e)| Some((len, glossary.entries.get(e)?))) {
            Some((len, entry)) => {
                if plain_from < at {
                    spans.push(Span::Text(text.get(plain_from..at).unwrap_or_default()));
                }
                let end = at + len;
                let term = text.get(at..end).unwrap_or_default();
                spans.push(Span::Term { text: term, entry });
                prev = term.chars().last();
                at = end;
                plain_from = end;
            }
            None => {
                prev = Some(c);
                at += c.len_utf8();
            }
        }
    }
    if plain_from < text.len() {
        spans.push(Span::Text(text.get(plain_from..).unwrap_or_default()));
    }
    spans
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod coverage;
