//! HTML: the text of `<p>`, `<li>`, `<h1>`-`<h6>` and `<blockquote>` elements in document
//! order, innermost first (a `<blockquote>` of `<p>`s gives its `<p>`s, not one joined block),
//! white space collapsed. Parsing is html5ever's (through `scraper`), which accepts any tag soup
//! as browsers do; a file with no tags at all is refused as not HTML.

use std::path::Path;

use scraper::{ElementRef, Html, Selector};

use crate::document::{Document, Layout};
use crate::error::{Error, Location, Result};

const BLOCKS: &str = "p, li, h1, h2, h3, h4, h5, h6, blockquote";

/// The paragraphs of an HTML page, as one document named `id`.
pub fn document(text: &str, id: String, path: &Path) -> Result<Document> {
    let looks_like_html = text
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'!' || w[1] == b'/'));
    if !looks_like_html {
        return Err(Error::BadHtml(
            Location::line(path, 1),
            "not HTML: no tags found (use --format txt for plain text)".into(),
        ));
    }
    Ok(Document::new(id, paragraphs(text), Layout::BlankLine))
}

/// The block texts of an HTML page, innermost blocks only, in document order.
pub fn paragraphs(text: &str) -> Vec<String> {
    let page = Html::parse_document(text);
    // BLOCKS is a fixed, valid selector.
    let blocks = Selector::parse(BLOCKS).expect("valid selector");
    let mut out = Vec::new();
    for element in page.select(&blocks) {
        if element.select(&blocks).next().is_some() {
            // Has a block inside: its inner blocks are taken instead, but its own loose text
            // (text not inside any inner block) is kept too.
            let loose = loose_text(element, &blocks);
            if !loose.is_empty() {
                out.push(loose);
            }
            continue;
        }
        let t = collapse(&element.text().collect::<String>());
        if !t.is_empty() {
            out.push(t);
        }
    }
    out
}

fn loose_text(element: ElementRef<'_>, blocks: &Selector) -> String {
    let mut s = String::new();
    for child in element.children() {
        if let Some(e) = ElementRef::wrap(child) {
            if blocks.matches(&e) || e.select(blocks).next().is_some() {
                continue;
            }
            s.extend(e.text());
        } else if let Some(t) = child.value().as_text() {
            s.push_str(t);
        }
        s.push(' ');
    }
    collapse(&s)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_innermost_in_order() {
        let p = paragraphs(
            "<html><h1>Title</h1><p>One <b>bold</b>\n text.</p><blockquote><p>Q1</p><p>Q2</p></blockquote><ul><li>Item</li></ul><script>x</script></html>",
        );
        assert_eq!(p, ["Title", "One bold text.", "Q1", "Q2", "Item"]);
    }

    #[test]
    fn broken_and_deep_html_does_not_panic() {
        let deep = "<div>".repeat(5000) + "<p>deep</p>";
        assert_eq!(paragraphs(&deep), ["deep"]);
        assert_eq!(paragraphs("<p>unclosed <p>second"), ["unclosed", "second"]);
    }

    #[test]
    fn not_html_is_refused() {
        let e = document("just text", "x".into(), Path::new("x.html")).unwrap_err();
        assert!(e.to_string().contains("x.html:1: not HTML"), "{e}");
    }
}
