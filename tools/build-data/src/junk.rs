//! The real junk lines of `raw/junk-real/<label>/*.jsonl` (related, ad and boilerplate lines as
//! real pages printed them), sorted into what the weaver can use them for: related lines inline
//! or as block headers, ad lines as gambling offer copy or as ad-slot markers and sponsored
//! items, boilerplate lines by where sites print them (see [`Slot`]).

use crate::article::Lang;
use crate::text::{collapse_ws, read_text, sorted_entries};
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

/// One line of the junk dumps, with where it was printed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct JunkLine {
    pub text: String,
    pub lang: Lang,
    /// The site that printed it (`None`: unknown, or not a news site).
    pub site: Option<String>,
    /// The repository and path of the saved page it was taken from.
    pub repo: String,
    pub path: String,
}

/// Where a site prints a boilerplate line, by its wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slot {
    /// Above the headline: skip links, sign-in and search links of the page head.
    Lead,
    /// Just under the headline: timestamps, reading times, the lead photo's credit, share rows.
    Top,
    /// Between paragraphs: "Story continues below", photo credits of inline pictures.
    Mid,
    /// At the foot: copyright, cookie and legal lines, newsletters, comments, share and follow
    /// prompts, footer link rows (anything not placed elsewhere).
    Foot,
}

impl Slot {
    pub const ALL: [Slot; 4] = [Slot::Lead, Slot::Top, Slot::Mid, Slot::Foot];

    pub fn as_str(self) -> &'static str {
        match self {
            Slot::Lead => "above the headline",
            Slot::Top => "under the headline",
            Slot::Mid => "between paragraphs",
            Slot::Foot => "at the foot",
        }
    }
}

/// The patterns that sort the junk lines.
pub struct Sorter {
    related_header: Regex,
    ad_marker: Regex,
    spanish_marker: Regex,
    foot: Regex,
    continues: Regex,
    credit: Regex,
    time: Regex,
    lead: Regex,
    share: Regex,
}

impl Default for Sorter {
    fn default() -> Sorter {
        Sorter::new()
    }
}

impl Sorter {
    pub fn new() -> Sorter {
        let re = |p: &str| Regex::new(p).expect("static regex");
        Sorter {
            related_header: re(
                r"(?i)^[»\s]*(related|recommended|recent (stories|posts|news|articles)|popular|trending|top (stories|news|headlines|\d+)|tags?:?$|topics:?$|see also|read (next|more:?$|on:)|you (may|might) also|more (from|on|in|about|stories|news|articles|headlines)|most (popular|read|viewed|emailed|shared|commented|watched)|view more|on this topic|latest (headlines|news|stories)|las más|lo más|más (sobre|noticias|leíd|vist)|artículos relacionados|noticias relacionadas|etiquetas|temas:?$|te puede interesar|también te puede|último momento)",
            ),
            ad_marker: re(
                r"(?i)advert|sponsor|promot|partner content|publicidad|anuncio|patrocinad|taboola|zergnet|outbrain|teads|ads by|^ad:?$|^ads?$|supported by|presented by|around the web|report this ad|remove ads",
            ),
            spanish_marker: re(r"(?i)publicidad|anuncio|patrocinad"),
            foot: re(
                r"(?i)©|copyright|rights reserved|derechos reservados|cookie|comment|comentar|repl(y|ies)|privacy|terms (of|and)|términos|newsletter|boletín|^posted by",
            ),
            continues: re(
                r"(?i)continues? (below|after)|continue reading|keep reading|scroll to continue|opens in a new tab|may have been deleted",
            ),
            credit: re(
                r"(?i)^(photo|photograph|photos|image|images|picture|pictures|foto|fotos|imagen|ilustración|credit)\b|getty images|ap photo|shutterstock|/afp\b|/reuters\b",
            ),
            time: re(
                r"(?i)^(published|updated|posted|last updated|latest update|publicado|actualizado)\b|\b\d+ ?min(ute)?s? read\b",
            ),
            lead: re(
                r"(?i)^(skip to|jump to)|^(menu|search|buscar|seguir|home|mi perfil|registro / acceso|log ?in|login|sign in)( / join| join| or create an account| / register| \| register| or register| or signup)?$",
            ),
            share: re(r"(?i)^(share|tweet|email|e-mail|print|comparte|compartir)\b"),
        }
    }

    /// A related line that heads a block of links ("Related Stories", "Más sobre ...").
    pub fn is_related_header(&self, text: &str) -> bool {
        text.split_whitespace().count() <= 6 && self.related_header.is_match(text)
    }

    /// An ad line that marks an ad slot or heads a sponsored block ("Advertisement",
    /// "Sponsored content", "Around The Web"), as opposed to a sponsored item itself.
    pub fn is_ad_marker(&self, text: &str) -> bool {
        text.split_whitespace().count() <= 8 && self.ad_marker.is_match(text)
    }

    /// The language of an ad marker: "Publicidad" is Spanish whatever the dump's word test said.
    pub fn marker_lang(&self, text: &str, lang: Lang) -> Lang {
        if self.spanish_marker.is_match(text) {
            Lang::Es
        } else {
            lang
        }
    }

    /// The slots a boilerplate line fits, by its wording.
    pub fn slots(&self, text: &str) -> Vec<Slot> {
        if self.continues.is_match(text) {
            return vec![Slot::Mid];
        }
        if self.foot.is_match(text) {
            return vec![Slot::Foot];
        }
        if self.credit.is_match(text) {
            return vec![Slot::Top, Slot::Mid];
        }
        if self.time.is_match(text) {
            return vec![Slot::Top];
        }
        if self.lead.is_match(text) {
            return vec![Slot::Lead];
        }
        if self.share.is_match(text) {
            return vec![Slot::Top, Slot::Foot];
        }
        vec![Slot::Foot]
    }
}

/// The junk lines by use, each list sorted and without repeats.
#[derive(Default, Debug, Clone)]
pub struct Junk {
    /// Related lines that stand alone between paragraphs ("READ MORE: ...", a headline of a
    /// related block), per language.
    pub related: [Vec<JunkLine>; 2],
    /// Related block headers ("Related Stories", "Las más leídas"), per language.
    pub related_headers: [Vec<JunkLine>; 2],
    /// Gambling offer copy (affiliate tables and review cards), per language.
    pub offers: [Vec<JunkLine>; 2],
    /// Ad-slot markers and sponsored-block headers, per language.
    pub ad_markers: [Vec<JunkLine>; 2],
    /// Sponsored items (paid headlines, affiliate shopping lines), per language.
    pub ad_items: [Vec<JunkLine>; 2],
    /// Boilerplate lines with their slots, per language.
    pub boilerplate: [Vec<(JunkLine, Vec<Slot>)>; 2],
    /// Lines left out as unreadable (mojibake or control characters).
    pub unreadable: usize,
}

/// The index of a language in the per-language lists of [`Junk`].
pub fn li(lang: Lang) -> usize {
    match lang {
        Lang::En => 0,
        Lang::Es => 1,
    }
}

/// The files of `junk-real/ad/` that hold gambling offer copy rather than page furniture,
/// besides those named `offers-*` and lines whose `kind` is `offer`.
const OFFER_FILES: [&str; 3] = [
    "bitcoincom-gambling.jsonl",
    "combined-mu-plugin-offers.jsonl",
    "yesdominus-dist.jsonl",
];

/// Whether an ad line of file `name` is gambling offer copy.
fn is_offer(name: &str, kind: Option<&str>) -> bool {
    match kind {
        Some(kind) => kind == "offer",
        None => name.starts_with("offers-") || OFFER_FILES.contains(&name),
    }
}

#[derive(Deserialize)]
struct Raw {
    text: String,
    label: String,
    lang: String,
    site: Option<String>,
    repo: String,
    path: String,
    /// For ad lines: `offer` (gambling copy) or `item` (anything else); else from the file.
    kind: Option<String>,
}

/// Mojibake ("â€™", "Ã©", "à¨ª") or C1 control characters: a line no reader saw as such.
fn unreadable(text: &str) -> bool {
    text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c))
        || text.contains("Ã")
        || text.contains("â€")
        || text.contains("à¨")
}

/// Reads `raw/junk-real/` and sorts its lines.
pub fn load(raw: &Path, sorter: &Sorter) -> Result<Junk, String> {
    let dir = raw.join("junk-real");
    let mut junk = Junk::default();
    for label in ["related", "ad", "boilerplate"] {
        for file in sorted_entries(&dir.join(label))? {
            let name = file
                .file_name()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string();
            if !name.ends_with(".jsonl") {
                continue;
            }
            for (n, line) in read_text(&file)?.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let at = || format!("{}:{}", file.display(), n + 1);
                let r: Raw = serde_json::from_str(line).map_err(|e| format!("{}: {e}", at()))?;
                if r.label != label {
                    return Err(format!("{}: label {:?} in {label}/", at(), r.label));
                }
                let Some(lang) = Lang::parse(&r.lang) else {
                    continue;
                };
                let text = collapse_ws(&r.text);
                if text.is_empty() {
                    continue;
                }
                if unreadable(&text) {
                    junk.unreadable += 1;
                    continue;
                }
                let site = r.site.filter(|s| !s.is_empty() && s != "unknown");
                let mut line = JunkLine {
                    text,
                    lang,
                    site,
                    repo: r.repo,
                    path: r.path,
                };
                match label {
                    "related" => {
                        let list = if sorter.is_related_header(&line.text) {
                            &mut junk.related_headers
                        } else {
                            &mut junk.related
                        };
                        list[li(lang)].push(line);
                    }
                    "ad" if is_offer(&name, r.kind.as_deref()) => {
                        junk.offers[li(lang)].push(line);
                    }
                    "ad" => {
                        if sorter.is_ad_marker(&line.text) {
                            line.lang = sorter.marker_lang(&line.text, lang);
                            junk.ad_markers[li(line.lang)].push(line);
                        } else {
                            junk.ad_items[li(lang)].push(line);
                        }
                    }
                    _ => {
                        let slots = sorter.slots(&line.text);
                        junk.boilerplate[li(lang)].push((line, slots));
                    }
                }
            }
        }
    }
    for lists in [
        &mut junk.related,
        &mut junk.related_headers,
        &mut junk.offers,
        &mut junk.ad_markers,
        &mut junk.ad_items,
    ] {
        for l in lists.iter_mut() {
            dedupe_lines(l, |x| x);
        }
    }
    for l in junk.boilerplate.iter_mut() {
        dedupe_lines(l, |x| &x.0);
    }
    Ok(junk)
}

/// Sorts by text and keeps the first line of each text.
fn dedupe_lines<T>(v: &mut Vec<T>, line: impl Fn(&T) -> &JunkLine) {
    v.sort_by(|a, b| line(a).cmp(line(b)));
    let mut seen: BTreeSet<String> = BTreeSet::new();
    v.retain(|x| seen.insert(line(x).text.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boilerplate_lines_go_where_sites_print_them() {
        let s = Sorter::new();
        assert_eq!(s.slots("Story continues below"), [Slot::Mid]);
        assert_eq!(s.slots("© 2024 Nine Entertainment Co."), [Slot::Foot]);
        assert_eq!(
            s.slots("Copyright 2008 News Limited. All times AEDT (GMT +11)."),
            [Slot::Foot]
        );
        assert_eq!(s.slots("Photo: Getty Images"), [Slot::Top, Slot::Mid]);
        assert_eq!(s.slots("Foto: LA NACION"), [Slot::Top, Slot::Mid]);
        assert_eq!(
            s.slots("Published Jun 05, 2026 • 3 minute read"),
            [Slot::Top]
        );
        assert_eq!(s.slots("4 min read"), [Slot::Top]);
        assert_eq!(s.slots("Skip to main content"), [Slot::Lead]);
        assert_eq!(s.slots("Sign in / Join"), [Slot::Lead]);
        assert_eq!(s.slots("Login to comment"), [Slot::Foot]);
        assert_eq!(s.slots("Posted by USSNerka, USA"), [Slot::Foot]);
        assert_eq!(s.slots("Share this story:"), [Slot::Top, Slot::Foot]);
        assert_eq!(s.slots("Suscribite"), [Slot::Foot]);
    }

    #[test]
    fn related_headers_and_ad_markers_are_told_apart() {
        let s = Sorter::new();
        assert!(s.is_related_header("Related Stories"));
        assert!(s.is_related_header("Las más leídas"));
        assert!(s.is_related_header("Tags:"));
        assert!(!s.is_related_header(
            "READ MORE: Woman in her 90s found alive five days after Japan's deadly earthquake"
        ));
        assert!(s.is_ad_marker("Story continues below advertisement"));
        assert!(s.is_ad_marker("Around The Web Powered By ZergNet"));
        assert!(!s.is_ad_marker("The 25 Toughest U.S. Colleges to Get Into (TheStreet)"));
        assert_eq!(s.marker_lang("publicidad", Lang::En), Lang::Es);
        assert_eq!(s.marker_lang("Advertisement", Lang::En), Lang::En);
    }

    #[test]
    fn mojibake_is_unreadable() {
        assert!(unreadable("Copyright â\u{80}\u{99}"));
        assert!(unreadable("à¨ªà©°"));
        assert!(!unreadable("Suscríbete a la Newsletter"));
    }
}
