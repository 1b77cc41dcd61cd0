//! Text to paragraphs. A text with a blank line anywhere is split on blank lines (runs of lines
//! holding only white space or invisible characters); a text with none is one paragraph per
//! line. Paragraphs are trimmed; inner line breaks are kept (as `\n`). This never sees labels.
//!
//! A line ends at `\n`, `\r\n`, a lone `\r`, NEL (U+0085), LINE SEPARATOR (U+2028), a vertical
//! tab or a form feed; PARAGRAPH SEPARATOR (U+2029) ends a paragraph as a blank line does. A
//! line of only white space and invisible characters (zero-width space, byte-order mark, other
//! default-ignorable code points: [`is_invisible`]) is blank. Splitting is one pass over the
//! text.

use crate::document::Layout;

/// Splits `text` into paragraphs and reports the layout it found.
///
/// ```
/// use chaff::split::split;
/// use chaff::document::Layout;
/// let (paragraphs, layout) = split("Title\n\nFirst line\nsame paragraph\n\n\nLast");
/// assert_eq!(paragraphs, ["Title", "First line\nsame paragraph", "Last"]);
/// assert_eq!(layout, Layout::BlankLine);
/// let (paragraphs, _) = split("One\rTwo\u{2028}Three");
/// assert_eq!(paragraphs, ["One", "Two", "Three"]);
/// ```
pub fn split(text: &str) -> (Vec<String>, Layout) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let has_blank_line = lines(text).skip_while(|line| is_blank(line)).any(is_blank);
    let layout = if has_blank_line {
        Layout::BlankLine
    } else {
        Layout::Line
    };
    let mut paragraphs = Vec::new();
    match layout {
        Layout::Line => {
            paragraphs.extend(
                lines(text)
                    .filter(|line| !is_blank(line))
                    .map(|line| line.trim().to_owned()),
            );
        }
        Layout::BlankLine => {
            let mut current: Vec<&str> = Vec::new();
            for line in lines(text) {
                if is_blank(line) {
                    flush(&mut current, &mut paragraphs);
                } else {
                    current.push(line.trim_end());
                }
            }
            flush(&mut current, &mut paragraphs);
        }
    }
    (paragraphs, layout)
}

/// Whether a line holds only white space and invisible characters.
pub fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// Whether `c` is invisible: a Unicode default-ignorable code point (zero-width space and
/// joiners, the byte-order mark, soft hyphen, direction marks, variation selectors, ...).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// The lines of `text` (see the module docs for what ends one); a PARAGRAPH SEPARATOR is
/// followed by an empty line.
fn lines(text: &str) -> Lines<'_> {
    Lines {
        rest: text,
        blank_next: false,
    }
}

struct Lines<'a> {
    rest: &'a str,
    /// The last line ended at a PARAGRAPH SEPARATOR: an empty line comes next.
    blank_next: bool,
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if std::mem::take(&mut self.blank_next) {
            return Some("");
        }
        if self.rest.is_empty() {
            return None;
        }
        let rest = self.rest;
        for (i, c) in rest.char_indices() {
            let end = match c {
                '\n' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' => i + c.len_utf8(),
                '\r' if rest[i + 1..].starts_with('\n') => i + 2,
                '\r' => i + 1,
                '\u{2029}' => {
                    self.blank_next = true;
                    i + c.len_utf8()
                }
                _ => continue,
            };
            self.rest = &rest[end..];
            return Some(&rest[..i]);
        }
        self.rest = "";
        Some(rest)
    }
}

fn flush(lines: &mut Vec<&str>, paragraphs: &mut Vec<String>) {
    if !lines.is_empty() {
        let joined = lines.join("\n");
        paragraphs.push(joined.trim().to_owned());
        lines.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_per_line_without_blank_lines() {
        let (p, layout) = split("a\nb\r\nc\n");
        assert_eq!(p, ["a", "b", "c"]);
        assert_eq!(layout, Layout::Line);
    }

    #[test]
    fn blank_lines_with_spaces_and_crlf_split() {
        let (p, layout) = split("\n\n a \r\n  \t\r\nb\r\nb2\r\n\r\n");
        assert_eq!(p, ["a", "b\nb2"]);
        assert_eq!(layout, Layout::BlankLine);
    }

    #[test]
    fn leading_blank_lines_alone_do_not_make_blank_line_layout() {
        let (p, layout) = split("\n\nx\ny");
        assert_eq!(p, ["x", "y"]);
        assert_eq!(layout, Layout::Line);
    }

    #[test]
    fn empty_text_has_no_paragraphs() {
        assert!(split("").0.is_empty());
        assert!(split(" \n\n \n").0.is_empty());
    }

    #[test]
    fn every_line_end_splits() {
        for end in ["\r", "\r\n", "\n", "\u{85}", "\u{2028}", "\u{0B}", "\u{0C}"] {
            let text = ["News one.", "Read more: other", "News two."].join(end);
            assert_eq!(
                split(&text),
                (
                    vec![
                        "News one.".to_owned(),
                        "Read more: other".into(),
                        "News two.".into()
                    ],
                    Layout::Line
                ),
                "{end:?}"
            );
            let text = ["a", "b", "", "c"].join(end);
            assert_eq!(split(&text).0, ["a\nb", "c"], "{end:?}");
        }
    }

    #[test]
    fn a_paragraph_separator_ends_a_paragraph() {
        let (p, layout) = split("a\nb\u{2029}c\nd");
        assert_eq!(p, ["a\nb", "c\nd"]);
        assert_eq!(layout, Layout::BlankLine);
    }

    #[test]
    fn lines_of_invisible_characters_are_blank() {
        let (p, layout) = split("a\n\u{200b}\nb\n \u{feff}\u{2060} \nc");
        assert_eq!(p, ["a", "b", "c"]);
        assert_eq!(layout, Layout::BlankLine);
        let (p, layout) = split("\u{200b}\na\nb");
        assert_eq!((p, layout), (vec!["a".into(), "b".into()], Layout::Line));
        // An invisible character beside visible text is text.
        assert_eq!(split("\u{200b}x").0, ["\u{200b}x"]);
    }

    /// Linear: a long text of short lines, and one line, each in one pass (counted, not timed).
    #[test]
    fn splitting_visits_each_character_once() {
        let text = "w\r".repeat(200_000);
        let mut n_lines = 0;
        let mut n_chars = 0;
        for line in lines(&text) {
            n_lines += 1;
            n_chars += line.len() + 1;
        }
        assert_eq!((n_lines, n_chars), (200_000, text.len()));
        assert_eq!(split(&text).0.len(), 200_000);
    }
}
