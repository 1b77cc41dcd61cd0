//! The word lists and templates of `templates/` (see its README.md): compiled in with
//! `include_str!`, parsed once, and the filling of `{key}` placeholders.
//!
//! A data file is lines: a line `# ...` (or `#` alone) is a comment, a blank line is nothing, a
//! line `== name ==` starts a section, any other line is one entry, exactly as written (no
//! trimming). Entries are drawn by their index, so their order is part of the output.

use crate::article::Lang;
use crate::text::data_lines;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// A list per language.
pub struct PerLang {
    pub en: Vec<&'static str>,
    pub es: Vec<&'static str>,
}

impl PerLang {
    /// The list of `lang`.
    pub fn of(&self, lang: Lang) -> &[&'static str] {
        match lang {
            Lang::Es => &self.es,
            Lang::En => &self.en,
        }
    }
}

/// A cue word of the body sentences (as the statistics count it), its weight among its
/// language's cue words, and its sentence templates.
pub struct CueTemplates {
    pub cue: &'static str,
    pub weight: u32,
    pub templates: Vec<&'static str>,
}

/// Every list and template of `templates/`.
pub struct Templates {
    /// `lead_ins.txt`: lead-ins of related inserts, `{headline}`, `{site}`, `{SITE}`.
    pub leads: PerLang,
    /// `sites.txt`: news sites named by lead-ins.
    pub sites: PerLang,
    /// `follow.txt`: "follow live" inserts, `{topic}`.
    pub follow: PerLang,
    /// `topics.txt`: their topics.
    pub topics: PerLang,
    /// `headers.txt`: headers of blocks of related links.
    pub headers: PerLang,
    /// `months.txt`: month names, January first.
    pub months: PerLang,
    /// `ad_brands.txt`: bookmaker and casino brands.
    pub brands: Vec<&'static str>,
    /// `ad_words.txt`: slot games.
    pub games: Vec<&'static str>,
    /// `ad_words.txt`: teams of price boosts.
    pub teams: Vec<&'static str>,
    /// `ad_words.txt`: countries of list titles.
    pub countries: PerLang,
    /// `ad_words.txt`: prefixes of promo codes.
    pub promo_prefixes: Vec<&'static str>,
    /// `ad_ctas.txt`: calls to action.
    pub ctas: PerLang,
    /// `ad_disclaimers.txt`: disclaimers.
    pub disclaimers: PerLang,
    /// `ad_offers.txt`: offer templates.
    pub offers: PerLang,
    /// `ad_titles.txt`: list title templates.
    pub ad_titles: PerLang,
    /// `ad_dates.txt`: date formats of list titles.
    pub ad_dates: PerLang,
    /// `ad_ratings.txt`: rating templates.
    pub ratings: PerLang,
    /// `ad_brand_lines.txt`: brand line templates.
    pub brand_lines: PerLang,
    /// `forbidden.txt`: lines never emitted.
    pub forbidden: Vec<&'static str>,
    /// `raw_filters.txt`: affiliate-dump lines that are not ad copy.
    pub not_ad_copy: Vec<&'static str>,
    /// `raw_filters.txt`: trafilatura lines that are not inserts.
    pub not_inserts: Vec<&'static str>,
    /// `reuters_case.txt`: words a re-cased Reuters title keeps as they are.
    pub reuters_keep: Vec<&'static str>,
    /// `reuters_case.txt`: small words left in lower case in title case.
    pub reuters_small: Vec<&'static str>,
    /// `abbreviations.txt`: no sentence ends after these.
    pub abbreviations: Vec<&'static str>,
    /// `body_cues_en.txt`, `body_cues_es.txt`: body-sentence templates per cue word.
    pub body_cues_en: Vec<CueTemplates>,
    pub body_cues_es: Vec<CueTemplates>,
    /// `body_fillers.txt`: fillers of the body-sentence templates, per key.
    pub body_fillers: BTreeMap<&'static str, Vec<&'static str>>,
}

/// The templates, parsed on first use.
pub fn templates() -> &'static Templates {
    static TEMPLATES: LazyLock<Templates> = LazyLock::new(Templates::load);
    &TEMPLATES
}

/// A data file's sections in file order; entries before the first header are in section "".
fn sections(name: &str, text: &'static str) -> Vec<(&'static str, Vec<&'static str>)> {
    let mut out: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for line in data_lines(text) {
        if let Some(sec) = line.strip_prefix("== ").and_then(|l| l.strip_suffix(" ==")) {
            assert!(
                out.iter().all(|(s, _)| *s != sec),
                "templates/{name}: section {sec:?} twice"
            );
            out.push((sec, Vec::new()));
        } else {
            if out.is_empty() {
                out.push(("", Vec::new()));
            }
            if let Some((_, entries)) = out.last_mut() {
                entries.push(line);
            }
        }
    }
    out
}

/// A data file with exactly the sections `expect` (`""`: a file without sections), each
/// non-empty, as lists in that order.
fn file(name: &str, text: &'static str, expect: &[&str]) -> Vec<Vec<&'static str>> {
    let secs = sections(name, text);
    let names: Vec<&str> = secs.iter().map(|(s, _)| *s).collect();
    assert_eq!(names, expect, "templates/{name}: sections");
    secs.into_iter()
        .map(|(s, v)| {
            assert!(!v.is_empty(), "templates/{name}: section {s:?} is empty");
            v
        })
        .collect()
}

/// A data file of one list.
fn list(name: &str, text: &'static str) -> Vec<&'static str> {
    file(name, text, &[""]).remove(0)
}

/// A data file with an `en` and an `es` section.
fn per_lang(name: &str, text: &'static str) -> PerLang {
    let mut v = file(name, text, &["en", "es"]);
    let es = v.remove(1);
    PerLang {
        en: v.remove(0),
        es,
    }
}

/// A body-cue file: sections `== Cue word (weight) ==`.
fn cues(name: &str, text: &'static str) -> Vec<CueTemplates> {
    sections(name, text)
        .into_iter()
        .map(|(sec, templates)| {
            let parsed = sec.rsplit_once(" (").and_then(|(cue, w)| {
                let weight = w.strip_suffix(')')?.parse().ok()?;
                Some((cue, weight))
            });
            let Some((cue, weight)) = parsed else {
                panic!("templates/{name}: section {sec:?} is not `cue (weight)`");
            };
            CueTemplates {
                cue,
                weight,
                templates,
            }
        })
        .collect()
}

macro_rules! data {
    ($name:literal) => {
        ($name, include_str!(concat!("../templates/", $name)))
    };
}

impl Templates {
    fn load() -> Templates {
        let pl = |(name, text)| per_lang(name, text);
        let one = |(name, text)| list(name, text);
        let cue_file = |(name, text)| cues(name, text);
        let [games, teams, countries_en, countries_es, promo_prefixes]: [Vec<&str>; 5] = {
            let (name, text) = data!("ad_words.txt");
            let secs = [
                "games",
                "teams",
                "countries en",
                "countries es",
                "promo prefixes",
            ];
            file(name, text, &secs).try_into().expect("five sections")
        };
        let [not_ad_copy, not_inserts]: [Vec<&str>; 2] = {
            let (name, text) = data!("raw_filters.txt");
            let secs = ["not ad copy", "not inserts"];
            file(name, text, &secs).try_into().expect("two sections")
        };
        let [reuters_keep, reuters_small]: [Vec<&str>; 2] = {
            let (name, text) = data!("reuters_case.txt");
            file(name, text, &["keep", "small"])
                .try_into()
                .expect("two sections")
        };
        let (name, text) = data!("body_fillers.txt");
        let body_fillers = sections(name, text).into_iter().collect();
        Templates {
            leads: pl(data!("lead_ins.txt")),
            sites: pl(data!("sites.txt")),
            follow: pl(data!("follow.txt")),
            topics: pl(data!("topics.txt")),
            headers: pl(data!("headers.txt")),
            months: pl(data!("months.txt")),
            brands: one(data!("ad_brands.txt")),
            games,
            teams,
            countries: PerLang {
                en: countries_en,
                es: countries_es,
            },
            promo_prefixes,
            ctas: pl(data!("ad_ctas.txt")),
            disclaimers: pl(data!("ad_disclaimers.txt")),
            offers: pl(data!("ad_offers.txt")),
            ad_titles: pl(data!("ad_titles.txt")),
            ad_dates: pl(data!("ad_dates.txt")),
            ratings: pl(data!("ad_ratings.txt")),
            brand_lines: pl(data!("ad_brand_lines.txt")),
            forbidden: one(data!("forbidden.txt")),
            not_ad_copy,
            not_inserts,
            reuters_keep,
            reuters_small,
            abbreviations: one(data!("abbreviations.txt")),
            body_cues_en: cue_file(data!("body_cues_en.txt")),
            body_cues_es: cue_file(data!("body_cues_es.txt")),
            body_fillers,
        }
    }
}

/// One template of `list`, drawn as the code it replaces drew its `match` arm: a whole number
/// in `0..len` (an `i32`: the type decides how much of the random stream a draw uses).
pub fn pick_template(rng: &mut ChaCha8Rng, list: &[&'static str]) -> &'static str {
    let len = i32::try_from(list.len()).expect("a short list");
    list[rng.gen_range(0..len) as usize]
}

/// Fills the `{key}` placeholders of `template`, always the first one left: `{A..=B}` is a whole
/// number drawn from A to B, any other key is `value(rng, key)` (which may draw, and may return
/// placeholders in turn). `Err` names an unknown key or a placeholder left after 32 rounds.
pub fn fill(
    rng: &mut ChaCha8Rng,
    template: &str,
    mut value: impl FnMut(&mut ChaCha8Rng, &str) -> Option<String>,
) -> Result<String, String> {
    let mut s = template.to_string();
    for _ in 0..32 {
        let Some(start) = s.find('{') else {
            break;
        };
        let Some(len) = s[start..].find('}') else {
            break;
        };
        let key = s[start + 1..start + len].to_string();
        let v = match key.split_once("..=") {
            Some((lo, hi)) => match (lo.parse::<i32>(), hi.parse::<i32>()) {
                (Ok(lo), Ok(hi)) => Some(rng.gen_range(lo..=hi).to_string()),
                _ => None,
            },
            None => value(rng, &key),
        };
        let v = v.ok_or_else(|| format!("template {template:?}: unknown {{{key}}}"))?;
        s.replace_range(start..start + len + 1, &v);
    }
    if s.contains(['{', '}']) {
        return Err(format!("template {template:?}: left {s:?}"));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn every_data_file_parses() {
        let t = templates();
        assert_eq!(t.months.en.len(), 12);
        assert_eq!(t.months.es.len(), 12);
        assert!(t.body_fillers.contains_key("org es"));
        assert!(t.forbidden.contains(&"BetMGM Casino"));
    }

    #[test]
    fn fill_draws_left_to_right_and_names_unknown_keys() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let s = fill(&mut rng, "{a} and {b}", |_, k| Some(k.to_uppercase())).unwrap();
        assert_eq!(s, "A and B");
        // A value may hold a placeholder in turn.
        let s = fill(&mut rng, "{n}", |_, k| {
            (k == "n").then(|| "{x}".to_string())
        });
        assert!(s.unwrap_err().contains("unknown {x}"));
        let n: i32 = fill(&mut rng, "{3..=5}", |_, _| None)
            .unwrap()
            .parse()
            .unwrap();
        assert!((3..=5).contains(&n));
    }
}
