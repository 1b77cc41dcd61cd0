//! HTML: the text of a page in the blocks a browser would lay it out in. Every block-level
//! element (`<p>`, `<div>`, `<li>`, `<td>`, headings, `<section>`, ... ) and every `<br>` starts
//! a new paragraph; inline elements (`<a>`, `<span>`, `<b>`, unknown tags) do not; white space
//! is collapsed; character references are decoded. Text no browser shows is left out: `<script>`,
//! `<style>`, `<noscript>`, `<title>`, `<textarea>`, `<template>`, `<svg>`, `<math>`, comments;
//! so are ruby annotations (`<rt>`, `<rp>`: the reading of the text beside them).
//! Everything else is kept, so no text is lost to markup a parser finds surprising (text in bare
//! `<div>`s, unclosed tags, text outside any block).
//!
//! The reader is one pass over the page without a tree: time is linear in the page whatever its
//! nesting (200,000 nested `<div>`s cost what 200,000 siblings do). A file with no tags at all
//! is refused as not HTML.

use std::path::Path;

use crate::document::{Document, Layout};
use crate::error::{Error, Location, Result};
use crate::split::is_blank;

/// The paragraphs of an HTML page, as one document named `id`.
pub fn document(text: &str, id: String, path: &Path) -> Result<Document> {
    if !looks_like_html(text) {
        return Err(Error::NotHtml(Location::line(path, 1)));
    }
    Ok(Document::new(id, paragraphs(text), Layout::BlankLine))
}

/// Whether `text` has anything like a tag (`<` then a letter, `!` or `/`).
fn looks_like_html(text: &str) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'!' || w[1] == b'/'))
}

/// Whether the first tag of `head` (the first bytes of an input, after white space) is an HTML
/// one: a doctype, a comment, or an element HTML defines. `<REUTERS>` or `<doc>` is not.
pub fn starts_like_html(head: &[u8]) -> bool {
    let Some(rest) = head.strip_prefix(b"<") else {
        return false;
    };
    if rest.starts_with(b"!--") || rest.len() >= 8 && rest[..8].eq_ignore_ascii_case(b"!doctype") {
        return true;
    }
    let rest = rest.strip_prefix(b"/").unwrap_or(rest);
    let name: Vec<u8> = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .map(u8::to_ascii_lowercase)
        .collect();
    let known = std::str::from_utf8(&name).unwrap_or_default();
    let after = rest.get(name.len()).copied();
    !known.is_empty()
        && matches!(
            after,
            None | Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
        )
        && (is_block(known)
            || is_hidden(known)
            || matches!(
                known,
                "a" | "b"
                    | "i"
                    | "em"
                    | "strong"
                    | "span"
                    | "img"
                    | "meta"
                    | "link"
                    | "base"
                    | "font"
                    | "small"
                    | "u"
                    | "s"
                    | "sup"
                    | "sub"
                    | "abbr"
                    | "time"
                    | "picture"
                    | "source"
                    | "input"
                    | "label"
                    | "code"
                    | "cite"
                    | "q"
            ))
}

/// Elements that start and end a block: their start and end tags both break the paragraph.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "br"
            | "button"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "frame"
            | "frameset"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "optgroup"
            | "option"
            | "p"
            | "pre"
            | "search"
            | "section"
            | "select"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
    )
}

/// Elements whose content is raw text to the end tag (the tokenizer's RAWTEXT, RCDATA and
/// script states), none of it shown as the page's text.
fn is_raw_hidden(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "title"
            | "textarea"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
    )
}

/// Elements whose content is markup that is not shown as text.
fn is_hidden_tree(name: &str) -> bool {
    matches!(name, "template" | "svg" | "math")
}

fn is_hidden(name: &str) -> bool {
    is_raw_hidden(name) || is_hidden_tree(name)
}

/// HTML start tags that end an `<svg>` or `<math>` left open (the tree builder's "breakout").
fn breaks_out_of_foreign(name: &str) -> bool {
    is_block(name)
        || matches!(
            name,
            "b" | "big"
                | "code"
                | "em"
                | "embed"
                | "i"
                | "img"
                | "meta"
                | "nobr"
                | "ruby"
                | "s"
                | "small"
                | "span"
                | "strong"
                | "strike"
                | "sub"
                | "sup"
                | "tt"
                | "u"
                | "var"
        )
}

/// The block texts of an HTML page, in document order.
///
/// ```
/// let p = chaff::read::html::paragraphs(
///     "<div>Line one<br>Line two</div><p>A <b>bold</b> &amp; bare\n paragraph</p>",
/// );
/// assert_eq!(p, ["Line one", "Line two", "A bold & bare paragraph"]);
/// ```
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Blocks::default();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let Some(at) = memchr::memchr2(b'<', b'&', &bytes[i..]).map(|k| i + k) else {
            out.text(&text[i..]);
            break;
        };
        out.text(&text[i..at]);
        if bytes[at] == b'&' {
            let (decoded, end) = char_reference(text, at);
            match decoded {
                Some(chars) => out.chars(chars),
                None => out.text("&"),
            }
            i = end;
            continue;
        }
        match tag(text, at) {
            Markup::Text => {
                out.text("<");
                i = at + 1;
            }
            Markup::Skip(end) => i = end,
            Markup::Tag {
                name,
                end_tag,
                self_closing,
                end,
            } => {
                i = end;
                if !end_tag && is_raw_hidden(&name) {
                    i = raw_text_end(bytes, end, &name);
                    continue;
                }
                out.tag(&name, end_tag, self_closing);
            }
        }
    }
    out.finish()
}

/// The paragraphs being built, and what the reader is inside of.
#[derive(Default)]
struct Blocks {
    out: Vec<String>,
    current: String,
    /// A white space run was seen since the last character of `current`.
    space: bool,
    /// Open `<pre>`/`<listing>` elements: their line breaks end paragraphs.
    pre: usize,
    /// Open `<template>`s: their content is hidden.
    template: usize,
    /// Open `<svg>`/`<math>`: their content is hidden until they close or an HTML tag breaks
    /// out of them.
    foreign: usize,
    /// Inside a ruby annotation (`<rt>`, `<rp>`): the reading printed small above the text,
    /// which would otherwise be read into the middle of it.
    annotation: bool,
}

impl Blocks {
    fn hidden(&self) -> bool {
        self.template > 0 || self.foreign > 0 || self.annotation
    }

    fn text(&mut self, s: &str) {
        if self.hidden() {
            return;
        }
        for c in s.chars() {
            self.char(c);
        }
    }

    fn chars(&mut self, chars: [Option<char>; 2]) {
        if self.hidden() {
            return;
        }
        for c in chars.into_iter().flatten() {
            self.char(c);
        }
    }

    fn char(&mut self, c: char) {
        if self.pre > 0 && matches!(c, '\n' | '\r') {
            self.flush();
        } else if c.is_whitespace() {
            self.space = true;
        } else {
            if std::mem::take(&mut self.space) && !self.current.is_empty() {
                self.current.push(' ');
            }
            self.current.push(c);
        }
    }

    fn flush(&mut self) {
        self.space = false;
        if !self.current.is_empty() {
            let paragraph = std::mem::take(&mut self.current);
            if !is_blank(&paragraph) {
                self.out.push(paragraph);
            }
        }
    }

    fn tag(&mut self, name: &str, end_tag: bool, self_closing: bool) {
        if is_hidden_tree(name) {
            let depth = match name {
                "template" => &mut self.template,
                _ => &mut self.foreign,
            };
            if end_tag {
                *depth = depth.saturating_sub(1);
            } else if !self_closing {
                *depth += 1;
            }
            return;
        }
        if self.foreign > 0 && !end_tag && breaks_out_of_foreign(name) {
            self.foreign = 0;
        }
        if matches!(name, "rt" | "rp") {
            self.annotation = !end_tag;
            return;
        }
        if self.annotation && (name == "ruby" || name == "rb" || is_block(name)) {
            self.annotation = false;
        }
        if self.hidden() {
            return;
        }
        if is_block(name) {
            self.flush();
            if matches!(name, "pre" | "listing") {
                self.pre = if end_tag {
                    self.pre.saturating_sub(1)
                } else {
                    self.pre + 1
                };
            }
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.flush();
        self.out
    }
}

/// What a `<` starts.
enum Markup {
    /// A `<` that is just a character.
    Text,
    /// A comment, doctype or processing instruction, ending before byte `end`.
    Skip(usize),
    /// A start or end tag (name lower-cased), ending before byte `end`.
    Tag {
        name: String,
        end_tag: bool,
        self_closing: bool,
        end: usize,
    },
}

/// Reads the markup starting at `text[at] == '<'`.
fn tag(text: &str, at: usize) -> Markup {
    let bytes = text.as_bytes();
    let rest = &bytes[at + 1..];
    if rest.starts_with(b"!--") {
        let body = at + 4;
        // `<!-->` and `<!--->` are whole comments.
        for empty in [&b">"[..], b"->"] {
            if bytes[body..].starts_with(empty) {
                return Markup::Skip(body + empty.len());
            }
        }
        let end =
            memchr::memmem::find(&bytes[body..], b"-->").map_or(bytes.len(), |k| body + k + 3);
        return Markup::Skip(end);
    }
    if matches!(rest.first(), Some(b'!' | b'?'))
        || rest.starts_with(b"/") && !rest.get(1).is_some_and(u8::is_ascii_alphabetic)
    {
        if rest.starts_with(b"/>") {
            return Markup::Skip(at + 3);
        }
        if rest.starts_with(b"/") && rest.len() < 2 {
            return Markup::Text;
        }
        let end = memchr::memchr(b'>', rest).map_or(bytes.len(), |k| at + 1 + k + 1);
        return Markup::Skip(end);
    }
    let end_tag = rest.starts_with(b"/");
    let start = at + 1 + usize::from(end_tag);
    if !bytes.get(start).is_some_and(u8::is_ascii_alphabetic) {
        return Markup::Text;
    }
    let name_end = bytes[start..]
        .iter()
        .position(|b| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'))
        .map_or(bytes.len(), |k| start + k);
    let name = text[start..name_end].to_ascii_lowercase();
    // Attributes: skip to the `>` that is not inside a quoted value. A quote opens a value only
    // right after `=` (white space between allowed).
    let mut quote = None;
    let mut self_closing = false;
    let mut after_equals = false;
    for (i, &b) in bytes.iter().enumerate().skip(name_end) {
        if let Some(q) = quote {
            if b == q {
                quote = None;
            }
            continue;
        }
        match b {
            b'>' => {
                return Markup::Tag {
                    name,
                    end_tag,
                    self_closing,
                    end: i + 1,
                }
            }
            b'"' | b'\'' if after_equals => quote = Some(b),
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            after_equals = b == b'=';
            self_closing = b == b'/';
        }
    }
    // A tag cut off by the end of the page is dropped, as browsers do.
    Markup::Skip(bytes.len())
}

/// Where the raw text of a `name` element starting at `from` ends: after its end tag
/// (`</name` then white space, `/` or `>`, any case), or at the end of the page.
fn raw_text_end(bytes: &[u8], from: usize, name: &str) -> usize {
    let mut i = from;
    while let Some(k) = memchr::memmem::find(&bytes[i..], b"</") {
        let start = i + k + 2;
        let end = start + name.len();
        if bytes.len() >= end
            && bytes[start..end].eq_ignore_ascii_case(name.as_bytes())
            && matches!(
                bytes.get(end),
                None | Some(b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>')
            )
        {
            return memchr::memchr(b'>', &bytes[end..]).map_or(bytes.len(), |k| end + k + 1);
        }
        i = start;
    }
    bytes.len()
}

/// Decodes the character reference at `text[at] == '&'`: the characters (none when it is not
/// a reference) and where the text goes on.
fn char_reference(text: &str, at: usize) -> (Option<[Option<char>; 2]>, usize) {
    let bytes = text.as_bytes();
    let rest = &bytes[at + 1..];
    if rest.first() == Some(&b'#') {
        let (hex, digits_at) = match rest.get(1) {
            Some(b'x' | b'X') => (true, at + 3),
            _ => (false, at + 2),
        };
        let digits = bytes[digits_at.min(bytes.len())..]
            .iter()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return (None, at + 1);
        }
        let mut end = digits_at + digits;
        let value = text[digits_at..end]
            .chars()
            .try_fold(0u32, |v, d| {
                v.checked_mul(if hex { 16 } else { 10 })?
                    .checked_add(d.to_digit(16)?)
            })
            .unwrap_or(u32::MAX);
        if bytes.get(end) == Some(&b';') {
            end += 1;
        }
        return (Some([Some(numeric_char(value)), None]), end);
    }
    // The longest entity name that is a prefix of what follows (with its `;` if any).
    let mut best = None;
    let mut len = 0;
    while let Some(&b) = rest.get(len) {
        if !(b.is_ascii_alphanumeric() || b == b';') {
            break;
        }
        len += 1;
        match markup5ever::data::NAMED_ENTITIES.get(&text[at + 1..at + 1 + len]) {
            None => break,
            Some(&(0, _)) => {}
            Some(&(c1, c2)) => best = Some((c1, c2, len)),
        }
        if b == b';' {
            break;
        }
    }
    match best {
        Some((c1, c2, len)) => (
            Some([char::from_u32(c1), char::from_u32(c2).filter(|_| c2 != 0)]),
            at + 1 + len,
        ),
        None => (None, at + 1),
    }
}

/// The character of a numeric reference, as HTML maps the odd ones.
fn numeric_char(value: u32) -> char {
    match value {
        0x80..=0x9f => markup5ever::data::C1_REPLACEMENTS[(value - 0x80) as usize]
            .unwrap_or_else(|| char::from_u32(value).unwrap_or('\u{fffd}')),
        0 => '\u{fffd}',
        _ => char::from_u32(value).unwrap_or('\u{fffd}'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_in_order() {
        let p = paragraphs(
            "<html><h1>Title</h1><p>One <b>bold</b>\n text.</p><blockquote><p>Q1</p><p>Q2</p></blockquote><ul><li>Item</li></ul><script>x</script></html>",
        );
        assert_eq!(p, ["Title", "One bold text.", "Q1", "Q2", "Item"]);
    }

    #[test]
    fn text_outside_paragraph_elements_is_kept() {
        let p = paragraphs(
            "<body>Loose text<div>In a div<span> and a span</span></div><td>cell</td>after</body>",
        );
        assert_eq!(p, ["Loose text", "In a div and a span", "cell", "after"]);
        assert_eq!(
            paragraphs("<blockquote>before <p>inner</p> after</blockquote>"),
            ["before", "inner", "after"]
        );
    }

    #[test]
    fn br_and_pre_lines_are_paragraphs() {
        assert_eq!(
            paragraphs("<p>Line one<br>Line two<BR/><br />Line three</br>four</p>"),
            ["Line one", "Line two", "Line three", "four"]
        );
        assert_eq!(paragraphs("<pre>a  b\nc\r\n\nd</pre>"), ["a b", "c", "d"]);
    }

    #[test]
    fn hidden_content_is_left_out() {
        let p = paragraphs(
            "<head><title>T</title><style>p{}</style></head><script>if (a < b) {x = '</p>'}</script>\
             <noscript>enable js</noscript><template><p>tpl</p></template><!-- <p>c</p> -->\
             <svg><text>svg text</text></svg><p>Shown</p><textarea><p>typed</p></textarea>",
        );
        assert_eq!(p, ["Shown"]);
        // An unclosed <svg> ends at HTML that breaks out of it.
        assert_eq!(paragraphs("<svg><path d='x'><p>After</p>"), ["After"]);
        assert_eq!(
            paragraphs("<p><ruby>漢<rp>(</rp><rt>かん</rt><rp>)</rp>字<rt>じ</ruby>です</p>"),
            ["漢字です"]
        );
    }

    #[test]
    fn character_references_are_decoded() {
        assert_eq!(
            paragraphs(
                "<p>a&amp;b &lt;c&gt; &nbsp;d&#233;&#xE9;&eacute &notit; &#150; &bogus; &#0;&</p>"
            ),
            ["a&b <c> d\u{e9}\u{e9}\u{e9} \u{ac}it; \u{2013} &bogus; \u{fffd}&"]
        );
    }

    #[test]
    fn attributes_with_angle_brackets_and_odd_markup() {
        assert_eq!(
            paragraphs("<p title=\"a > b\" data-x='<p>'>Text</p><a href=x>link</a> < 3 <3 </ a>"),
            ["Text", "link < 3 <3"]
        );
        assert_eq!(paragraphs("<p>cut <b"), ["cut"]);
        assert_eq!(paragraphs("<!--->x<!---->y<!-- open"), ["xy"]);
        assert!(paragraphs("<p>\u{200b}</p><p>&#8203;</p>").is_empty());
    }

    #[test]
    fn broken_and_deep_html_is_read_in_one_pass() {
        let deep = "<div>".repeat(200_000) + "<p>deep</p>";
        assert_eq!(paragraphs(&deep), ["deep"]);
        assert_eq!(paragraphs("<p>unclosed <p>second"), ["unclosed", "second"]);
        let unclosed: String = (0..1000).map(|i| format!("<div>d{i}")).collect();
        assert_eq!(paragraphs(&unclosed).len(), 1000);
    }

    #[test]
    fn not_html_is_refused() {
        let e = document("just text", "x".into(), Path::new("x.html")).unwrap_err();
        assert!(matches!(e, Error::NotHtml(_)), "{e}");
        assert!(e.to_string().starts_with("x.html:1: not HTML"), "{e}");
    }

    #[test]
    fn only_html_tags_start_html() {
        for head in [
            "<!DOCTYPE html>",
            "<html>",
            "<p>x",
            "<div class=a>",
            "<!-- c -->",
            "<BODY>",
        ] {
            assert!(starts_like_html(head.as_bytes()), "{head}");
        }
        for head in [
            "<REUTERS>",
            "<doc id=1>",
            "<3 you",
            "< p>",
            "<TEXT>",
            "<pa>",
        ] {
            assert!(!starts_like_html(head.as_bytes()), "{head}");
        }
    }
}
