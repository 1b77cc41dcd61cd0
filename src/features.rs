//! The featurizer: one paragraph and its place in the article to a feature vector. It is the only
//! code that looks at text, and training and labelling both call it, so they can never disagree.
//!
//! A vector has two parts:
//! - *dense* features: a few dozen numbers for the paragraph's shape (length, case, punctuation,
//!   digits, currency, dates, a leading `Word:` lead-in, brand-like tokens, URLs) and its position
//!   (first, last, distance from the end, article length). They carry across sites and languages.
//! - *terms*: binary indicators of words, word bigrams, the first and last word, and character
//!   n-grams of the paragraph's opening, from a vocabulary chosen on the training data.
//!
//! Terms are enumerated once ([`for_each_term`]) and looked up by a 64-bit FNV-1a hash of their
//! text, so labelling allocates no string per token. The vocabulary is stored as text in the model
//! file and hashed again on load. No weights live here.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

/// Settings of the featurizer, stored in the model file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeaturizerSettings {
    /// Shortest character n-gram; defaults to `3`.
    pub char_min: usize,
    /// Longest character n-gram; defaults to `5`.
    pub char_max: usize,
    /// Character n-grams are taken from this many leading characters of the paragraph, where
    /// lead-ins, brands and offers sit; defaults to `96`.
    pub char_window: usize,
    /// How many terms the vocabulary keeps (the most label-informative by chi-square); defaults
    /// to `2000`.
    pub vocab_size: usize,
    /// A term must occur in at least this many training paragraphs; defaults to `3`.
    pub min_df: u32,
    /// How many of the training data's most widespread words (by the number of articles that
    /// use them) the article-overlap feature ignores; defaults to `150`. Sharing "said" or
    /// "that" with the article says nothing about a paragraph belonging to it.
    pub overlap_stop_words: usize,
    /// Unshared words the article-overlap feature assumes in every paragraph, so that a line
    /// of one or two content words (after the stop words) cannot reach a full overlap by one
    /// shared word: "Follow live the latest news on the war in Ukraine." in an article that
    /// mentions Ukraine is still an insert. Defaults to `3`.
    pub overlap_prior: usize,
}

impl Default for FeaturizerSettings {
    fn default() -> Self {
        FeaturizerSettings {
            char_min: 3,
            char_max: 5,
            char_window: 96,
            vocab_size: 2000,
            min_df: 3,
            overlap_stop_words: 150,
            overlap_prior: 3,
        }
    }
}

/// Names of the shape features, in vector order.
pub const SHAPE_FEATURES: &[&str] = &[
    "len_chars",
    "len_words",
    "words_1_3",
    "words_4_8",
    "ends_sentence",
    "ends_quote",
    "ends_colon_or_dash",
    "ends_alphanumeric",
    "title_case_ratio",
    "upper_ratio",
    "all_caps_word_ratio",
    "digit_ratio",
    "has_currency",
    "has_percent",
    "has_plus",
    "has_date",
    "has_year",
    "leadin_colon",
    "leadin_upper",
    "leadin_separator",
    "leadin_then_capital",
    "sentences",
    "comma_ratio",
    "has_url",
    "has_quote",
    "starts_quote",
    "brand_like_ratio",
    "mean_word_len",
    "starts_upper",
    "has_lowercase",
    "symbol_ratio",
    "starts_symbol",
    "has_exclamation",
    "has_question",
    "has_ellipsis",
    "has_rating",
    "has_parenthesis",
    "function_words_en",
    "function_words_es",
];

/// Index of `len_chars` (the log of the length) in the dense vector.
pub const LEN_CHARS: usize = 0;
/// Index of `ends_sentence` in the dense vector.
pub const ENDS_SENTENCE: usize = 4;

/// Names of the position features, in vector order.
pub const POSITION_FEATURES: &[&str] = &[
    "is_first",
    "is_second",
    "is_last",
    "is_second_last",
    "relative_position",
    "log_index",
    "log_from_end",
    "log_article_len",
    "single_paragraph",
];

/// Number of dense features (shape, then position).
pub const N_DENSE: usize = SHAPE_FEATURES.len() + POSITION_FEATURES.len();

/// A featurized paragraph: the dense part and the sorted, distinct vocabulary indices present.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    /// Shape then position features.
    pub dense: Vec<f32>,
    /// Vocabulary indices of the terms present, sorted (their columns follow the dense part).
    pub terms: Vec<u32>,
    /// Hashes of the paragraph's content words (four or more letters), sorted and distinct,
    /// for [`article_overlap`].
    pub words: Vec<u64>,
}

/// What stage 2 knows of a paragraph's shape: the log of its length (the featurizer's
/// `len_chars`), whether it ends a sentence, and how much of its vocabulary the rest of the
/// article shares (the featurizer's `article_overlap`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Shape {
    pub log_len: f32,
    pub ends_sentence: f32,
    pub overlap: f32,
}

impl Shape {
    /// The shape from a featurizer dense vector and the paragraph's overlap.
    pub fn new(dense: &[f32], overlap: f32) -> Shape {
        Shape {
            log_len: dense[LEN_CHARS],
            ends_sentence: dense[ENDS_SENTENCE],
            overlap,
        }
    }

    /// A short line that does not end a sentence: a headline, a list item, an insert, an ad.
    pub fn is_short_line(self) -> bool {
        self.log_len < (101f32).ln() / 7.0 && self.ends_sentence == 0.0
    }
}

/// Reusable buffers, so that featurizing allocates nothing per paragraph once warm.
#[derive(Debug, Default)]
pub struct Scratch {
    norm: String,
    words: Vec<(usize, usize)>,
    bounds: Vec<usize>,
}

/// The featurizer: settings plus vocabulary.
#[derive(Debug, Clone)]
pub struct Featurizer {
    settings: FeaturizerSettings,
    vocabulary: Vec<String>,
    index: FxHashMap<u64, u32>,
    /// Words the article-overlap feature ignores, and their hashes.
    stop_words: Vec<String>,
    stop: FxHashSet<u64>,
    /// A 65,536-bit filter over the vocabulary's hashes (bit `hash >> 48`): most terms of a
    /// paragraph are not in the vocabulary, and one bit test turns them away before the map.
    filter: Vec<u64>,
}

/// The filter bit of a term hash: its top 16 bits.
fn filter_bit(hash: u64) -> (usize, u64) {
    let bit = (hash >> 48) as usize;
    (bit >> 6, 1u64 << (bit & 63))
}

impl Featurizer {
    /// A featurizer over `vocabulary` (term strings as [`for_each_term`] spells them).
    pub fn new(settings: FeaturizerSettings, vocabulary: Vec<String>) -> Featurizer {
        let index: FxHashMap<u64, u32> = vocabulary
            .iter()
            .enumerate()
            .map(|(i, term)| (fnv1a(&[term.as_bytes()]), i as u32))
            .collect();
        let mut filter = vec![0u64; 1 << 10];
        for hash in index.keys() {
            let (word, mask) = filter_bit(*hash);
            filter[word] |= mask;
        }
        Featurizer {
            settings,
            vocabulary,
            index,
            filter,
            stop_words: Vec::new(),
            stop: FxHashSet::default(),
        }
    }

    /// The same featurizer, with `words` (as [`article_words`] spells them) left out of the
    /// article-overlap feature.
    pub fn with_overlap_stop_words(mut self, words: Vec<String>) -> Featurizer {
        self.stop = words.iter().map(|w| fnv1a(&[w.as_bytes()])).collect();
        self.stop_words = words;
        self
    }

    /// The words the article-overlap feature ignores.
    pub fn overlap_stop_words(&self) -> &[String] {
        &self.stop_words
    }

    /// The settings.
    pub fn settings(&self) -> &FeaturizerSettings {
        &self.settings
    }

    /// The vocabulary, in column order.
    pub fn vocabulary(&self) -> &[String] {
        &self.vocabulary
    }

    /// Total number of columns: dense features plus vocabulary.
    pub fn n_features(&self) -> usize {
        N_DENSE + self.vocabulary.len()
    }

    /// Featurizes paragraph `index` of an article of `len` paragraphs into `out`.
    pub fn featurize_into(
        &self,
        text: &str,
        index: usize,
        len: usize,
        scratch: &mut Scratch,
        out: &mut Features,
    ) {
        out.dense.clear();
        shape(text, &mut out.dense);
        out.terms.clear();
        for_each_term(text, &self.settings, scratch, |parts| {
            let hash = fnv1a(parts);
            let (word, mask) = filter_bit(hash);
            if self.filter[word] & mask == 0 {
                return;
            }
            if let Some(&column) = self.index.get(&hash) {
                out.terms.push(column);
            }
        });
        out.terms.sort_unstable();
        out.terms.dedup();
        out.dense.extend(function_word_ratios(scratch));
        position(index, len, &mut out.dense);
        out.words.clear();
        out.words.extend(
            content_words(scratch)
                .map(|w| fnv1a(&[w.as_bytes()]))
                .filter(|h| !self.stop.contains(h)),
        );
        out.words.sort_unstable();
        out.words.dedup();
    }

    /// Featurizes paragraph `index` of an article of `len` paragraphs.
    pub fn featurize(&self, text: &str, index: usize, len: usize) -> Features {
        let mut out = Features::default();
        self.featurize_into(text, index, len, &mut Scratch::default(), &mut out);
        out
    }

    /// Featurizes every paragraph of one article, in order, with each paragraph's [`Shape`]
    /// (which needs the whole article, for the overlap). Training and labelling both call this.
    pub fn featurize_article(&self, paragraphs: &[&str]) -> (Vec<Features>, Vec<Shape>) {
        let mut scratch = Scratch::default();
        let features: Vec<Features> = paragraphs
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let mut out = Features::default();
                self.featurize_into(text, i, paragraphs.len(), &mut scratch, &mut out);
                out
            })
            .collect();
        let words: Vec<&[u64]> = features.iter().map(|f| f.words.as_slice()).collect();
        let shapes = features
            .iter()
            .zip(article_overlap(&words, self.settings.overlap_prior))
            .map(|(f, overlap)| Shape::new(&f.dense, overlap))
            .collect();
        (features, shapes)
    }
}

/// The shares of the words left in `scratch` by the last [`for_each_term`] that are English and
/// Spanish function words. Sentences are dense in them; headlines ("Apple unveils cheaper
/// iPhone in bid to win back buyers"), lists, names and brand lines are not, in either
/// language, so the share carries to sites and languages that training never saw.
fn function_word_ratios(scratch: &Scratch) -> [f32; 2] {
    let (mut en, mut es) = (0usize, 0usize);
    for &(s, e) in &scratch.words {
        let w = &scratch.norm[s..e];
        en += usize::from(is_function_word_en(w));
        es += usize::from(is_function_word_es(w));
    }
    let n = scratch.words.len();
    [ratio(en, n), ratio(es, n)]
}

fn is_function_word_en(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "of"
            | "to"
            | "in"
            | "and"
            | "or"
            | "is"
            | "was"
            | "were"
            | "are"
            | "be"
            | "been"
            | "for"
            | "on"
            | "at"
            | "by"
            | "with"
            | "from"
            | "that"
            | "this"
            | "it"
            | "its"
            | "as"
            | "he"
            | "she"
            | "they"
            | "we"
            | "his"
            | "her"
            | "their"
            | "has"
            | "have"
            | "had"
            | "not"
            | "but"
            | "which"
            | "who"
            | "would"
            | "will"
            | "said"
            | "there"
            | "than"
    )
}

fn is_function_word_es(w: &str) -> bool {
    matches!(
        w,
        "el" | "la"
            | "los"
            | "las"
            | "un"
            | "una"
            | "de"
            | "del"
            | "al"
            | "a"
            | "y"
            | "o"
            | "que"
            | "en"
            | "por"
            | "para"
            | "con"
            | "se"
            | "su"
            | "sus"
            | "es"
            | "fue"
            | "son"
            | "lo"
            | "como"
            | "más"
            | "pero"
            | "le"
            | "les"
            | "ha"
            | "han"
            | "no"
            | "ya"
            | "sobre"
            | "entre"
            | "este"
            | "esta"
            | "dijo"
            | "cuando"
            | "sin"
    )
}

/// The content words left in `scratch` by the last [`for_each_term`] or [`normalize`]: words
/// of four or more characters that are not numbers, as [`for_each_term`] spells them.
fn content_words(scratch: &Scratch) -> impl Iterator<Item = &str> {
    scratch
        .words
        .iter()
        .map(|&(s, e)| &scratch.norm[s..e])
        .filter(|w| w.chars().count() >= 4 && !w.bytes().all(|b| b == b'0'))
}

/// The distinct content words of an article's paragraphs (what the article-overlap feature
/// compares), for counting how many articles use each word.
pub fn article_words<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut scratch = Scratch::default();
    let mut words: Vec<String> = Vec::new();
    for text in texts {
        normalize(text, &mut scratch);
        words.extend(content_words(&scratch).map(str::to_owned));
    }
    words.sort_unstable();
    words.dedup();
    words
}

/// For each paragraph of an article (given by its content words, stop words left out), the share
/// of its content words that occur in another paragraph of the same article, counting `prior`
/// more that do not (see [`FeaturizerSettings::overlap_prior`]). An article's own paragraphs,
/// lists and headings share its vocabulary; an insert or an ad is about something else.
pub fn article_overlap(words: &[&[u64]], prior: usize) -> Vec<f32> {
    let mut paragraphs_with: FxHashMap<u64, u32> = FxHashMap::default();
    for ws in words {
        for w in *ws {
            *paragraphs_with.entry(*w).or_default() += 1;
        }
    }
    words
        .iter()
        .map(|ws| {
            let shared = ws.iter().filter(|w| paragraphs_with[*w] > 1).count();
            ratio(shared, ws.len() + prior)
        })
        .collect()
}

/// FNV-1a over the concatenation of `parts`.
pub fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in *part {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// Character n-grams starting within this many characters of the paragraph's start (after the
/// `^` frame) are *head* n-grams, tagged `h:`: that is where lead-ins sit.
pub const HEAD_CHARS: usize = 12;

/// Calls `emit` with the pieces of every term of `text`; a term's text is the concatenation of
/// its pieces: `w:word`, `b:word word`, `f:first`, `l:last`, `h:<n-gram>` (near the start),
/// `c:<n-gram>`. Words are lower-cased
/// runs of letters and digits, with every digit written `0`; character n-grams run over the
/// normalized opening of the paragraph framed by `^` (and `$` if the paragraph ends within it).
pub fn for_each_term(
    text: &str,
    settings: &FeaturizerSettings,
    scratch: &mut Scratch,
    mut emit: impl FnMut(&[&[u8]]),
) {
    normalize(text, scratch);
    let norm = scratch.norm.as_bytes();
    let words = &scratch.words;
    for &(start, end) in words {
        emit(&[b"w:", &norm[start..end]]);
    }
    for pair in words.windows(2) {
        emit(&[
            b"b:",
            &norm[pair[0].0..pair[0].1],
            b" ",
            &norm[pair[1].0..pair[1].1],
        ]);
    }
    if let (Some(&(fs, fe)), Some(&(ls, le))) = (words.first(), words.last()) {
        emit(&[b"f:", &norm[fs..fe]]);
        emit(&[b"l:", &norm[ls..le]]);
    }
    // Character n-grams over the first `char_window` characters (plus the frame).
    let bounds = &mut scratch.bounds;
    bounds.clear();
    for (i, _) in scratch
        .norm
        .char_indices()
        .take(settings.char_window.saturating_add(2))
    {
        bounds.push(i);
    }
    let total_chars_in = bounds.len();
    bounds.push(
        scratch
            .norm
            .char_indices()
            .nth(total_chars_in)
            .map_or(norm.len(), |(i, _)| i),
    );
    for n in settings.char_min..=settings.char_max {
        if total_chars_in < n {
            break;
        }
        for i in 0..=total_chars_in - n {
            let gram = &norm[bounds[i]..bounds[i + n]];
            // Skip n-grams that are all spaces or that only frame (`^ ` etc.) nothing.
            if gram.iter().all(|b| *b == b' ') {
                continue;
            }
            let tag: &[u8] = if i < HEAD_CHARS { b"h:" } else { b"c:" };
            emit(&[tag, gram]);
        }
    }
}

/// Lower-cases `text`, writes digits as `0`, folds white space to one space, frames it with `^`
/// and `$`, and records the byte spans of its words.
fn normalize(text: &str, scratch: &mut Scratch) {
    let norm = &mut scratch.norm;
    norm.clear();
    scratch.words.clear();
    norm.push('^');
    let mut word_start: Option<usize> = None;
    let mut last_space = true;
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            if word_start.is_none() {
                word_start = Some(norm.len());
            }
            if c.is_numeric() {
                norm.push('0');
            } else if c.is_lowercase() || !c.is_uppercase() {
                norm.push(c);
            } else {
                norm.extend(c.to_lowercase());
            }
            last_space = false;
            continue;
        }
        if let Some(start) = word_start.take() {
            scratch.words.push((start, norm.len()));
        }
        if c.is_whitespace() {
            if !last_space {
                norm.push(' ');
                last_space = true;
            }
        } else {
            norm.push(c);
            last_space = false;
        }
    }
    if let Some(start) = word_start.take() {
        scratch.words.push((start, norm.len()));
    }
    scratch.words.retain(|(s, e)| e - s <= 40);
    norm.push('$');
}

fn ratio(part: usize, whole: usize) -> f32 {
    if whole == 0 {
        0.0
    } else {
        part as f32 / whole as f32
    }
}

pub(crate) fn flag(b: bool) -> f32 {
    if b {
        1.0
    } else {
        0.0
    }
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "setiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

const CURRENCY_CODES: &[&str] = &[
    "USD", "EUR", "GBP", "MXN", "ARS", "COP", "CLP", "BRL", "BTC", "ETH", "USDT", "CAD", "AUD",
];

/// Shape features of `text`, appended to `out` in [`SHAPE_FEATURES`] order (the function-word
/// ratios, the last two, come from the term pass).
fn shape(text: &str, out: &mut Vec<f32>) {
    out.extend(shape_named(text).iter().map(|(_, value)| *value));
}

/// Each shape feature of `text` beside its name, in [`SHAPE_FEATURES`] order.
fn shape_named(text: &str) -> [(&'static str, f32); SHAPE_FEATURES.len() - 2] {
    let text = text.trim();
    let c = CharCounts::of(text);
    let w = WordCounts::of(text);
    let has_date = w.has_date || has_numeric_date(text);
    let currency = c.currency || w.currency_code;
    let last = text.chars().last().unwrap_or(' ');
    let first = text.chars().next().unwrap_or(' ');
    let opens_quote = matches!(first, '"' | '“' | '«' | '\'' | '‘');
    let (leadin_colon, leadin_upper, leadin_separator, leadin_then_capital) = leadin(text);
    [
        ("len_chars", ((1 + c.chars) as f32).ln() / 7.0),
        ("len_words", ((1 + w.words) as f32).ln() / 5.0),
        ("words_1_3", flag((1..=3).contains(&w.words))),
        ("words_4_8", flag((4..=8).contains(&w.words))),
        (
            "ends_sentence",
            flag(matches!(last, '.' | '!' | '?' | '…' | '。')),
        ),
        (
            "ends_quote",
            flag(matches!(last, '"' | '”' | '’' | '\'' | '»')),
        ),
        (
            "ends_colon_or_dash",
            flag(matches!(last, ':' | '-' | '–' | '—' | '|' | '>' | '»')),
        ),
        ("ends_alphanumeric", flag(last.is_alphanumeric())),
        ("title_case_ratio", ratio(w.title, w.words)),
        ("upper_ratio", ratio(c.upper, c.letters)),
        ("all_caps_word_ratio", ratio(w.caps, w.words)),
        ("digit_ratio", (5.0 * ratio(c.digits, c.chars)).min(1.0)),
        ("has_currency", flag(currency)),
        ("has_percent", flag(text.contains('%'))),
        ("has_plus", flag(text.contains('+'))),
        ("has_date", flag(has_date)),
        ("has_year", flag(w.has_year)),
        ("leadin_colon", flag(leadin_colon)),
        ("leadin_upper", flag(leadin_upper)),
        ("leadin_separator", flag(leadin_separator)),
        ("leadin_then_capital", flag(leadin_then_capital)),
        ("sentences", ((1 + c.sentences) as f32).ln() / 3.0),
        ("comma_ratio", (5.0 * ratio(c.commas, w.words)).min(1.0)),
        (
            "has_url",
            flag(text.contains("http") || text.contains("www.") || text.contains(".com")),
        ),
        ("has_quote", flag(text.contains(['"', '“', '”', '«', '»']))),
        ("starts_quote", flag(opens_quote)),
        ("brand_like_ratio", ratio(w.brand_like, w.words)),
        ("mean_word_len", ratio(w.word_chars, w.words) / 10.0),
        ("starts_upper", flag(first.is_uppercase())),
        ("has_lowercase", flag(c.has_lower)),
        ("symbol_ratio", (5.0 * ratio(c.symbols, c.chars)).min(1.0)),
        (
            "starts_symbol",
            flag(!first.is_alphanumeric() && !opens_quote && !matches!(first, '¡' | '¿')),
        ),
        ("has_exclamation", flag(text.contains('!'))),
        ("has_question", flag(text.contains('?'))),
        (
            "has_ellipsis",
            flag(text.contains('…') || text.contains("...")),
        ),
        (
            "has_rating",
            flag(text.contains('★') || text.contains("/5") || text.contains("/10")),
        ),
        ("has_parenthesis", flag(text.contains('('))),
    ]
}

/// Counts from one pass over a paragraph's characters.
#[derive(Default)]
struct CharCounts {
    chars: usize,
    letters: usize,
    upper: usize,
    digits: usize,
    symbols: usize,
    commas: usize,
    has_lower: bool,
    currency: bool,
    /// Sentence starts: an upper-case letter after `. `, `! ` or `? `.
    sentences: usize,
}

impl CharCounts {
    fn of(text: &str) -> CharCounts {
        let mut c = CharCounts::default();
        let mut prev: [char; 2] = [' ', ' '];
        for ch in text.chars() {
            c.chars += 1;
            if ch.is_alphabetic() {
                c.letters += 1;
                if ch.is_uppercase() {
                    c.upper += 1;
                    if prev[1] == ' ' && matches!(prev[0], '.' | '!' | '?') {
                        c.sentences += 1;
                    }
                } else if ch.is_lowercase() {
                    c.has_lower = true;
                }
            } else if ch.is_numeric() {
                c.digits += 1;
            } else if ch == ',' {
                c.commas += 1;
            } else if matches!(ch, '$' | '€' | '£' | '¥' | '₹' | '₿' | '₽' | '₩') {
                c.currency = true;
            } else if !ch.is_whitespace()
                && !ch.is_ascii_punctuation()
                && !"“”‘’«»–—…¡¿".contains(ch)
            {
                c.symbols += 1;
            }
            prev = [prev[1], ch];
        }
        c
    }
}

/// Counts from one pass over a paragraph's alphanumeric tokens.
#[derive(Default)]
struct WordCounts {
    words: usize,
    /// Tokens starting with an upper-case letter.
    title: usize,
    /// Tokens of two or more characters with no lower-case letter, not all digits.
    caps: usize,
    /// Tokens mixing letters and digits, or with an inner capital (`BetMGM`, `bet365`).
    brand_like: usize,
    word_chars: usize,
    currency_code: bool,
    has_date: bool,
    has_year: bool,
}

impl WordCounts {
    fn of(text: &str) -> WordCounts {
        let mut w = WordCounts::default();
        let mut prev_numeric = false;
        let mut prev_month = false;
        for token in text.split(|c: char| !c.is_alphanumeric()) {
            if token.is_empty() {
                continue;
            }
            w.words += 1;
            let t = TokenShape::of(token);
            w.word_chars += t.count;
            w.title += usize::from(t.first.is_uppercase());
            w.caps += usize::from(t.count >= 2 && t.no_lower && !t.numeric);
            w.brand_like += usize::from((t.has_digit && t.has_alpha) || t.inner_upper);
            if (3..=4).contains(&token.len()) && t.no_lower && CURRENCY_CODES.contains(&token) {
                w.currency_code = true;
            }
            if t.numeric && token.len() == 4 && (token.starts_with("19") || token.starts_with("20"))
            {
                w.has_year = true;
            }
            if token.len() <= 3
                && ["de", "of", "the", "del"]
                    .iter()
                    .any(|x| x.eq_ignore_ascii_case(token))
            {
                continue;
            }
            let month = !t.numeric
                && (3..=10).contains(&token.len())
                && MONTHS.iter().any(|m| m.eq_ignore_ascii_case(token));
            if (month && prev_numeric) || (t.numeric && prev_month) {
                w.has_date = true;
            }
            prev_numeric = t.numeric && token.len() <= 4;
            prev_month = month;
        }
        w
    }
}

/// What one pass over a token's characters finds.
struct TokenShape {
    count: usize,
    first: char,
    numeric: bool,
    has_digit: bool,
    has_alpha: bool,
    no_lower: bool,
    inner_upper: bool,
}

impl TokenShape {
    fn of(token: &str) -> TokenShape {
        let mut t = TokenShape {
            count: 0,
            first: ' ',
            numeric: true,
            has_digit: false,
            has_alpha: false,
            no_lower: true,
            inner_upper: false,
        };
        let mut prev_lower = false;
        for c in token.chars() {
            if t.count == 0 {
                t.first = c;
            }
            t.count += 1;
            let is_num = c.is_numeric();
            t.numeric &= is_num;
            t.has_digit |= is_num;
            t.has_alpha |= c.is_alphabetic();
            let lower = c.is_lowercase();
            t.no_lower &= !lower;
            t.inner_upper |= prev_lower && c.is_uppercase();
            prev_lower = lower;
        }
        t
    }
}

/// Dates written with digits: `22/02/2024`, `2024-02-22`, `22.02.24`.
fn has_numeric_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            let mut groups = 1;
            let mut sep = 0u8;
            let mut j = i;
            loop {
                while j < bytes.len() && bytes[j].is_ascii_digit() {
                    j += 1;
                }
                if j - start > 10 {
                    break;
                }
                if j + 1 < bytes.len()
                    && matches!(bytes[j], b'/' | b'-' | b'.')
                    && (sep == 0 || sep == bytes[j])
                    && bytes[j + 1].is_ascii_digit()
                {
                    sep = bytes[j];
                    groups += 1;
                    j += 1;
                } else {
                    break;
                }
            }
            if groups == 3 {
                return true;
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    false
}

/// Looks for a lead-in at the start: one to four words and then `:` (or a separator such as `|`,
/// `»`, ` - `) within the first 40 characters, with text after it. Returns (colon lead-in, the
/// lead-in is in capitals, separator lead-in, the text after it starts with a capital).
fn leadin(text: &str) -> (bool, bool, bool, bool) {
    let head: String = text.chars().take(40).collect();
    let Some((pos, sep)) = head
        .char_indices()
        .find(|(_, c)| matches!(c, ':' | '|' | '»' | '>' | '–' | '—' | '-'))
    else {
        return (false, false, false, false);
    };
    let before = &head[..pos];
    let n_words = before.split_whitespace().count();
    if n_words == 0 || n_words > 4 || before.chars().any(|c| c.is_numeric()) {
        return (false, false, false, false);
    }
    if sep == '-' && !before.ends_with(' ') {
        return (false, false, false, false);
    }
    let after = text[pos + sep.len_utf8()..].trim_start();
    if after.chars().count() < 3 {
        return (false, false, false, false);
    }
    let upper =
        before.chars().any(|c| c.is_alphabetic()) && !before.chars().any(|c| c.is_lowercase());
    let capital = after
        .chars()
        .find(|c| c.is_alphanumeric() || *c == '"' || *c == '“')
        .is_some_and(|c| c.is_uppercase() || c.is_numeric() || c == '"' || c == '“');
    (sep == ':', upper, sep != ':', capital)
}

/// Where paragraph `index` stands in an article of `len`: 0 at the first, 1 at the last (0 for
/// a one-paragraph article). Both stages read it.
pub(crate) fn relative_position(index: usize, len: usize) -> f32 {
    if len > 1 {
        index as f32 / (len - 1) as f32
    } else {
        0.0
    }
}

/// Position features, appended to `out` in [`POSITION_FEATURES`] order.
fn position(index: usize, len: usize, out: &mut Vec<f32>) {
    let len = len.max(index + 1);
    let from_end = len - 1 - index;
    out.extend_from_slice(&[
        flag(index == 0),
        flag(index == 1),
        flag(from_end == 0),
        flag(from_end == 1),
        relative_position(index, len),
        ((1 + index) as f32).ln() / 4.0,
        ((1 + from_end) as f32).ln() / 4.0,
        (len as f32).ln() / 4.0,
        flag(len == 1),
    ]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_values_carry_the_names_of_shape_features() {
        let names: Vec<&str> = shape_named("Read: a headline")
            .iter()
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(names, SHAPE_FEATURES[..SHAPE_FEATURES.len() - 2]);
        assert_eq!(SHAPE_FEATURES[LEN_CHARS], "len_chars");
        assert_eq!(SHAPE_FEATURES[ENDS_SENTENCE], "ends_sentence");
    }

    fn terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_term(
            text,
            &FeaturizerSettings::default(),
            &mut Scratch::default(),
            |parts| out.push(String::from_utf8(parts.concat()).unwrap()),
        );
        out
    }

    fn dense(text: &str) -> Vec<f32> {
        Featurizer::new(FeaturizerSettings::default(), vec![])
            .featurize(text, 0, 1)
            .dense
    }

    fn shape_value(text: &str, name: &str) -> f32 {
        let i = SHAPE_FEATURES.iter().position(|n| *n == name).unwrap();
        dense(text)[i]
    }

    #[test]
    fn sentences_are_denser_in_function_words_than_headlines_and_brands() {
        let en = |t| shape_value(t, "function_words_en");
        let es = |t| shape_value(t, "function_words_es");
        let sentence = "The council said it was not able to keep all of the libraries open.";
        let headline = "Apple unveils cheaper iPhone in bid to win back buyers";
        assert!(en(sentence) > 0.4, "{}", en(sentence));
        assert!(en(headline) < en(sentence) / 2.0, "{}", en(headline));
        assert_eq!(en("BetMGM Casino"), 0.0);
        let frase = "La alcaldesa dijo que la ciudad no tenía otra opción para el presupuesto.";
        assert!(es(frase) > 0.4, "{}", es(frase));
        assert!(es("Úrsula Iguarán – Erika Buenfil") == 0.0);
        assert!(es(frase) > en(frase) && en(sentence) > es(sentence));
    }

    #[test]
    fn words_are_lowercased_and_digits_folded() {
        let t = terms("Read: Bet365 pays €20 on 22/02/2024");
        assert!(t.contains(&"w:read".to_owned()));
        assert!(t.contains(&"w:bet000".to_owned()));
        assert!(t.contains(&"b:read bet000".to_owned()));
        assert!(t.contains(&"f:read".to_owned()));
        assert!(t.contains(&"l:0000".to_owned()));
        assert!(t.contains(&"h:^rea".to_owned()));
        assert!(t.contains(&"h:d: b".to_owned()));
        assert!(t.contains(&"c:s €00".to_owned()));
    }

    #[test]
    fn char_ngrams_stay_inside_the_window() {
        let long = "a".repeat(500);
        let t = terms(&long);
        let grams = t
            .iter()
            .filter(|t| t.starts_with("c:") || t.starts_with("h:"))
            .count();
        // Window of 96 chars plus `^` and one more: (98-3+1)+(98-4+1)+(98-5+1) n-grams.
        assert_eq!(grams, 96 + 95 + 94);
    }

    #[test]
    fn vocabulary_lookup_matches_term_text() {
        let f = Featurizer::new(
            FeaturizerSettings::default(),
            vec!["w:casino".into(), "f:read".into(), "w:nothere".into()],
        );
        let x = f.featurize("Read more: Casino news", 0, 1);
        assert_eq!(x.terms, vec![0, 1]);
        assert_eq!(x.dense.len(), N_DENSE);
    }

    #[test]
    fn leadin_shapes() {
        assert_eq!(
            shape_value("Read:  Solana suffers a breakdown", "leadin_colon"),
            1.0
        );
        assert_eq!(
            shape_value("READ MORE: Solana suffers", "leadin_upper"),
            1.0
        );
        assert_eq!(
            shape_value("Lee también: El peso cae", "leadin_then_capital"),
            1.0
        );
        assert_eq!(
            shape_value("Sports | The match ended", "leadin_separator"),
            1.0
        );
        assert_eq!(
            shape_value("The minister said on Tuesday that: things", "leadin_colon"),
            0.0
        );
        assert_eq!(shape_value("At 10:30 the bank opened", "leadin_colon"), 0.0);
    }

    #[test]
    fn dates_currency_and_brands() {
        assert_eq!(
            shape_value("The Best Online Bookmakers February 22 2024", "has_date"),
            1.0
        );
        assert_eq!(
            shape_value("Mejores casas 22 de febrero de 2024", "has_date"),
            1.0
        );
        assert_eq!(shape_value("Updated 22/02/2024", "has_date"), 1.0);
        assert_eq!(shape_value("He scored 22 goals", "has_date"), 0.0);
        assert_eq!(
            shape_value("Up to €500 + 200 Free Spins", "has_currency"),
            1.0
        );
        assert_eq!(shape_value("Hasta 5000 MXN", "has_currency"), 1.0);
        assert_eq!(shape_value("BetMGM Casino", "brand_like_ratio"), 0.5);
    }

    #[test]
    fn overlap_is_the_share_of_words_found_elsewhere() {
        let f = Featurizer::new(FeaturizerSettings::default(), vec![]);
        let texts = [
            "Kazakhstan neutrality policy",
            "Tokayev defended Kazakhstan neutrality today",
            "Solana suffers breakdown",
        ];
        let words: Vec<Vec<u64>> = texts.iter().map(|t| f.featurize(t, 0, 3).words).collect();
        let refs: Vec<&[u64]> = words.iter().map(Vec::as_slice).collect();
        let o = article_overlap(&refs, 0);
        assert_eq!(o[0], 2.0 / 3.0);
        assert_eq!(o[1], 2.0 / 5.0);
        assert_eq!(o[2], 0.0);
        // The prior counts unshared words: one shared word of one is not a full overlap.
        let o = article_overlap(&refs, 3);
        assert_eq!(o[0], 2.0 / 6.0);
        assert_eq!(o[1], 2.0 / 8.0);
    }

    #[test]
    fn overlap_ignores_the_stop_words() {
        let texts = [
            "The minister said that Kazakhstan would stay neutral.",
            "Solana suffers breakdown, traders said",
        ];
        let overlap = |f: &Featurizer| {
            let words: Vec<Vec<u64>> = texts.iter().map(|t| f.featurize(t, 0, 2).words).collect();
            article_overlap(&words.iter().map(Vec::as_slice).collect::<Vec<_>>(), 0)
        };
        let plain = Featurizer::new(FeaturizerSettings::default(), vec![]);
        // Of "solana suffers breakdown traders said", "said" is shared.
        assert_eq!(overlap(&plain)[1], 1.0 / 5.0);
        let stop = plain.clone().with_overlap_stop_words(vec!["said".into()]);
        assert_eq!(overlap(&stop), vec![0.0, 0.0]);
        assert_eq!(stop.overlap_stop_words(), ["said"]);
        // Stop words are spelled as article_words spells words: lower case, digits as 0.
        assert_eq!(
            article_words(["Said 2024 THAT", "said that Ríos Río"]),
            ["ríos", "said", "that"]
        );
    }

    #[test]
    fn position_features() {
        let f = Featurizer::new(FeaturizerSettings::default(), vec![]);
        let x = f.featurize("x", 4, 5);
        let pos = &x.dense[SHAPE_FEATURES.len()..];
        assert_eq!(pos[0], 0.0);
        assert_eq!(pos[2], 1.0);
        assert_eq!(pos[4], 1.0);
    }

    #[test]
    fn odd_unicode_does_not_panic() {
        for text in [
            "",
            " ",
            "\u{0}",
            "ǅ",
            "İstanbul",
            "🎁 Bono",
            "a\u{301}",
            "\u{feff}:x",
        ] {
            let _ = dense(text);
            let _ = terms(text);
        }
    }
}
