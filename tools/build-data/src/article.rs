//! The article and paragraph types every stage passes around: labels, languages, source names,
//! and which articles print typographic quotes.

use crate::text::fnv1a;

/// The three labels, in the order the CSV and the statistics list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Label {
    News,
    Related,
    Ad,
}

impl Label {
    pub const ALL: [Label; 3] = [Label::News, Label::Related, Label::Ad];

    pub fn as_str(self) -> &'static str {
        match self {
            Label::News => "news",
            Label::Related => "related",
            Label::Ad => "ad",
        }
    }

    pub fn parse(s: &str) -> Option<Label> {
        match s {
            "news" => Some(Label::News),
            "related" => Some(Label::Related),
            "ad" => Some(Label::Ad),
            _ => None,
        }
    }
}

/// Article language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lang {
    En,
    Es,
    Pt,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Pt => "pt",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            "pt" => Some(Lang::Pt),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
/// One paragraph and its label.
pub struct Para {
    pub text: String,
    pub label: Label,
}

#[derive(Clone, Debug)]
/// One article as loaded from a raw corpus.
pub struct Article {
    pub id: String,
    pub source: &'static str,
    pub lang: Lang,
    /// `paras[0]` is the headline (`news`); natural inserts or ads in the raw text carry their
    /// hand-checked labels.
    pub paras: Vec<Para>,
    /// About gambling, casinos, betting or lotteries, or has a paragraph starting with a
    /// related-link cue word ("Read", "See", "Follow", ...): kept in train whatever the sampling.
    pub hard: bool,
    /// Topic folder, for the BBC (used to spread the samples).
    pub topic: String,
}

impl Article {
    pub fn headline(&self) -> &str {
        &self.paras[0].text
    }

    pub fn news_paras(&self) -> usize {
        self.paras.iter().filter(|p| p.label == Label::News).count()
    }

    pub fn body_len(&self) -> usize {
        self.paras.len() - 1
    }
}

pub fn para(text: String, label: Label) -> Para {
    Para { text, label }
}

pub fn news(text: String) -> Para {
    para(text, Label::News)
}

pub const BBC: &str = "bbc";
pub const REUTERS: &str = "reuters";
pub const ES_NEWS: &str = "es-news";
pub const ES_WEB: &str = "es-web";
pub const WEB: &str = "web";
pub const SOURCES: [&str; 5] = [BBC, REUTERS, ES_NEWS, ES_WEB, WEB];

/// Share of BBC, Reuters and Spanish articles (in percent, chosen by a hash of the id) whose text
/// gets typographic quotes. The corpora print straight quotes; scraped pages (the seed article
/// among them) mostly print curly ones, and inserts come from both kinds of source, so without
/// this a quote's shape would say more about the source than about the label.
pub const SMART_QUOTES_PERCENT: u64 = 40;

pub fn has_smart_quotes(a: &Article) -> bool {
    a.source != WEB && fnv1a(&a.id) % 100 < SMART_QUOTES_PERCENT
}
