//! Text to paragraphs. A text with a blank line anywhere is split on blank lines (runs of lines
//! holding only white space); a text with none is one paragraph per line. Paragraphs are trimmed;
//! inner line breaks are kept. This never sees labels.

use crate::document::Layout;

/// Splits `text` into paragraphs and reports the layout it found.
///
/// ```
/// use chaff::split::split;
/// use chaff::document::Layout;
/// let (paragraphs, layout) = split("Title\n\nFirst line\nsame paragraph\n\n\nLast");
/// assert_eq!(paragraphs, ["Title", "First line\nsame paragraph", "Last"]);
/// assert_eq!(layout, Layout::BlankLine);
/// ```
pub fn split(text: &str) -> (Vec<String>, Layout) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let has_blank_line = text
        .lines()
        .skip_while(|line| line.trim().is_empty())
        .any(|line| line.trim().is_empty());
    let layout = if has_blank_line {
        Layout::BlankLine
    } else {
        Layout::Line
    };
    let mut paragraphs = Vec::new();
    match layout {
        Layout::Line => {
            paragraphs.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(str::to_owned),
            );
        }
        Layout::BlankLine => {
            let mut current: Vec<&str> = Vec::new();
            for line in text.lines() {
                let line = line.trim_end();
                if line.trim().is_empty() {
                    flush(&mut current, &mut paragraphs);
                } else {
                    current.push(line);
                }
            }
            flush(&mut current, &mut paragraphs);
        }
    }
    (paragraphs, layout)
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
}
