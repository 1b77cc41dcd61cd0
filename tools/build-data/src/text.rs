//! Text helpers shared by every stage: reading inputs, whitespace, HTML text and character
//! references (html5ever), quotes, hashing and the seeded choice from a list.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::fs;
use std::path::{Path, PathBuf};

/// A file of the inputs as UTF-8.
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| format!("{}: not UTF-8: {e}", path.display()))
}

/// The entries of `dir`, sorted by path.
pub fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        out.push(entry.map_err(|e| format!("{}: {e}", dir.display()))?.path());
    }
    out.sort();
    Ok(out)
}

/// Whitespace runs as one space, trimmed.
pub fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes the character references of `s` (`&amp;`, `&#233;`, `&nbsp;`, ...) as an HTML
/// parser does, with html5ever's tokenizer: `s` is text, so a `<` stays a `<`.
pub fn unescape_html(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    html_text(&s.replace('<', "&lt;"))
}

/// The registrable domain of a host name, as the pages' `site` field gives it: lower case, the
/// last two labels, or the last three when the second-to-last is a generic second level of a
/// country code (`eluniversal.com.mx`, `bbc.co.uk`). Enough for the hosts of the Spanish
/// corpus's links; not a public-suffix list.
pub fn registrable_domain(host: &str) -> String {
    const SECOND_LEVEL: [&str; 10] = [
        "com", "co", "org", "net", "gob", "gov", "edu", "ac", "nic", "info",
    ];
    let host = host.trim().trim_end_matches('.').to_lowercase();
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let n = labels.len();
    let keep = if n >= 3 && labels[n - 1].len() == 2 && SECOND_LEVEL.contains(&labels[n - 2]) {
        3
    } else {
        2
    };
    labels[n.saturating_sub(keep)..].join(".")
}

/// 64-bit FNV-1a, to derive per-string seeds.
pub fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Typographic quotes, as many sites print them: `"` becomes “ or ”, `'` becomes ‘ or ’ (an
/// apostrophe between letters is ’).
pub fn smart_quotes(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied();
        let opening = prev.is_none_or(|p| p.is_whitespace() || "([{-—/".contains(p));
        match c {
            '"' => out.push(if opening { '“' } else { '”' }),
            '\'' => {
                let inner = prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric);
                out.push(if opening && !inner { '‘' } else { '’' });
            }
            _ => out.push(c),
        }
    }
    out
}

/// A seeded choice from `items`.
pub fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

/// The first character in upper case.
pub fn capitalise_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// `v` with `sep` between groups of three digits.
pub fn group_thousands(v: u32, sep: &str) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// The lines of a data file of `templates/` that are neither blank nor comments: a comment line
/// is `#` alone or starts with `# ` (so an entry such as `#ad 18+ ...` is not one).
pub fn data_lines(file: &'static str) -> impl Iterator<Item = &'static str> {
    file.lines()
        .filter(|l| !l.is_empty() && *l != "#" && !l.starts_with("# "))
}

/// Collects the text of the html5ever tokenizer's tokens; a `<br>` is a space.
struct TextSink(String);

impl html5ever::tokenizer::TokenSink for TextSink {
    type Handle = ();
    fn process_token(
        &mut self,
        token: html5ever::tokenizer::Token,
        _line: u64,
    ) -> html5ever::tokenizer::TokenSinkResult<()> {
        use html5ever::tokenizer::{TagKind, Token};
        match token {
            Token::CharacterTokens(t) => self.0.push_str(&t),
            Token::NullCharacterToken => self.0.push('\0'),
            Token::TagToken(t) if t.kind == TagKind::StartTag && &*t.name == "br" => {
                self.0.push(' ')
            }
            _ => {}
        }
        html5ever::tokenizer::TokenSinkResult::Continue
    }
}

/// The text of an HTML fragment as html5ever's tokenizer reads it: tags and comments dropped, a
/// `<br>` read as a space, character references decoded.
pub fn html_text(fragment: &str) -> String {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{BufferQueue, Tokenizer, TokenizerOpts};
    let mut tok = Tokenizer::new(TextSink(String::new()), TokenizerOpts::default());
    let mut input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(fragment));
    let _ = tok.feed(&mut input);
    tok.end();
    std::mem::take(&mut tok.sink.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_html_decodes_references_and_keeps_text() {
        assert_eq!(
            unescape_html("AT&amp;T &lt;AXP&gt; caf&#233; &#x27;a<b&#39; R&D &quot;x&quot;"),
            "AT&T <AXP> café 'a<b' R&D \"x\""
        );
        // As the HTML spec reads them (the hand-written decoder this replaced did not).
        assert_eq!(
            unescape_html("&eacute; &copy 1 &#150; &#0;"),
            "é © 1 – \u{FFFD}"
        );
        assert_eq!(unescape_html("&nbsp;"), "\u{a0}");
        // A no-break space is whitespace to collapse_ws.
        assert_eq!(collapse_ws(&unescape_html("a&nbsp;b")), "a b");
    }

    #[test]
    fn registrable_domain_keeps_country_second_levels() {
        assert_eq!(
            registrable_domain("www.eluniversal.com.mx"),
            "eluniversal.com.mx"
        );
        assert_eq!(registrable_domain("cnnespanol.cnn.com"), "cnn.com");
        assert_eq!(registrable_domain("política.elpais.com"), "elpais.com");
        assert_eq!(registrable_domain("redaccion.lamula.pe"), "lamula.pe");
        assert_eq!(registrable_domain("WWW.BBC.CO.UK."), "bbc.co.uk");
        assert_eq!(registrable_domain("twitter.com"), "twitter.com");
    }

    #[test]
    fn html_text_drops_tags_and_reads_br_as_a_space() {
        assert_eq!(
            collapse_ws(&html_text(
                "One<br>two <em>three</em><!-- no --> &amp; <a href=\"x\">four</a>"
            )),
            "One two three & four"
        );
    }
}
