//! The article and paragraph types every stage passes around: labels, languages, origins,
//! source names, and which articles print typographic quotes.

use crate::text::fnv1a;

/// The four labels of `data/LABELS.md`, in the order the CSV and the statistics list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Label {
    News,
    Related,
    Ad,
    Boilerplate,
}

impl Label {
    pub const ALL: [Label; 4] = [Label::News, Label::Related, Label::Ad, Label::Boilerplate];

    pub fn as_str(self) -> &'static str {
        match self {
            Label::News => "news",
            Label::Related => "related",
            Label::Ad => "ad",
            Label::Boilerplate => "boilerplate",
        }
    }

    pub fn parse(s: &str) -> Option<Label> {
        Label::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// Where a row's text comes from and who put it where it stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// The paragraph as its page or article had it, in its place (a corpus article's paragraphs
    /// after the builder's documented normalisations: quote style, Spanish numbers, Reuters
    /// datelines, sentence splits).
    Real,
    /// Real text, verbatim, placed by the builder: a headline of another article as a bare
    /// insert, a real related, ad or boilerplate line of the junk dumps.
    Woven,
    /// Made by the builder: from a template (lead-ins with a headline, "follow live" lines,
    /// generated ad lines, body sentences), or a real line it changed (a re-cased Reuters title,
    /// a headline in quotes or with "»").
    Generated,
}

impl Origin {
    pub const ALL: [Origin; 3] = [Origin::Real, Origin::Woven, Origin::Generated];

    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Real => "real",
            Origin::Woven => "woven",
            Origin::Generated => "generated",
        }
    }
}

/// Article language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lang {
    En,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == s)
    }
}

#[derive(Clone, Debug)]
/// One paragraph, its label and its origin.
pub struct Para {
    pub text: String,
    pub label: Label,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
/// One article as loaded from a raw corpus, or one real page.
pub struct Article {
    pub id: String,
    pub source: &'static str,
    /// The publisher's domain (pages, Spanish corpus) or the corpus's fixed site name.
    pub site: String,
    pub lang: Lang,
    /// A corpus article: `paras[0]` is the headline (`news`); natural inserts or ads in the raw
    /// text carry their hand-checked labels. A page: its paragraphs with their pass-a labels, as
    /// they are (not necessarily starting with a headline).
    pub paras: Vec<Para>,
    /// About gambling, casinos, betting or lotteries, or has a paragraph starting with a
    /// related-link cue word ("Read", "See", "Follow", ...): kept in train whatever the sampling.
    pub hard: bool,
    /// Where a real page comes from (`None` for a corpus article).
    pub page: Option<PageInfo>,
}

/// Provenance of a real page.
#[derive(Clone, Debug)]
pub struct PageInfo {
    /// Its folder in `raw/pages/` (`trafilatura`, `fundus`, `es-htmldate`, ...).
    pub collection: String,
    /// The public repository and the path of the saved HTML in it.
    pub repo: String,
    pub path: String,
}

impl Article {
    /// The first paragraph: a corpus article's headline.
    pub fn headline(&self) -> &str {
        &self.paras[0].text
    }

    /// A real page, labelled by reading: never woven into.
    pub fn is_page(&self) -> bool {
        self.source == PAGES
    }

    pub fn news_paras(&self) -> usize {
        self.paras.iter().filter(|p| p.label == Label::News).count()
    }

    pub fn body_len(&self) -> usize {
        self.paras.len() - 1
    }
}

pub fn para(text: String, label: Label, origin: Origin) -> Para {
    Para {
        text,
        label,
        origin,
    }
}

/// A real paragraph of the article, labelled `label`.
pub fn real(text: String, label: Label) -> Para {
    para(text, label, Origin::Real)
}

/// A real `news` paragraph of the article.
pub fn news(text: String) -> Para {
    real(text, Label::News)
}

pub const BBC: &str = "bbc";
pub const REUTERS: &str = "reuters";
pub const ES_NEWS: &str = "es-news";
pub const ES_WEB: &str = "es-web";
pub const PAGES: &str = "pages";
pub const SOURCES: [&str; 5] = [BBC, REUTERS, ES_NEWS, ES_WEB, PAGES];

/// The `site` of every BBC article (the corpus names no other).
pub const BBC_SITE: &str = "bbc.co.uk";
/// The `site` of every Reuters article.
pub const REUTERS_SITE: &str = "reuters.com";

/// Share of BBC, Reuters and Spanish articles (never the real pages) (in percent, chosen by a hash of the id) whose text
/// gets typographic quotes. The corpora print straight quotes; scraped pages (the seed article
/// among them) mostly print curly ones, and inserts come from both kinds of source, so without
/// this a quote's shape would say more about the source than about the label.
pub const SMART_QUOTES_PERCENT: u64 = 40;

pub fn has_smart_quotes(a: &Article) -> bool {
    !a.is_page() && fnv1a(&a.id) % 100 < SMART_QUOTES_PERCENT
}
