//! The statistics: the build summary, `STATS.md` and its copy between the STATS markers of
//! `README.md`.

use crate::article::{Article, Label, Lang, Origin, SOURCES};
use crate::body_cues::{BodyCues, BODY_CUE_PER_MILLE_EN, BODY_CUE_PER_MILLE_ES};
use crate::boilerplate::{Boilerplate, P_BOILERPLATE_EN, P_BOILERPLATE_ES};
use crate::junk::{Junk, Slot};
use crate::pools::Pools;
use crate::rows::Row;
use crate::sources::{Loaded, Patterns};
use crate::Draw;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// What one build produced, with the numbers `STATS.md` reports.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// The seed of the draw.
    pub seed: u64,
    /// Rows in `train.csv`.
    pub rows: usize,
    /// Articles in `train.csv`.
    pub articles: usize,
    /// Sample pages written to `articles/`.
    pub samples: usize,
    /// Rows per label.
    pub rows_by_label: BTreeMap<&'static str, usize>,
    /// Rows per (source, label).
    pub rows_by_source_label: BTreeMap<(&'static str, &'static str), usize>,
    /// Rows per (language, label).
    pub rows_by_lang_label: BTreeMap<(&'static str, &'static str), usize>,
    /// Rows per (origin, language, label).
    pub rows_by_origin_lang_label: BTreeMap<(&'static str, &'static str, &'static str), usize>,
    /// Articles per (source, language).
    pub articles_by_source_lang: BTreeMap<(&'static str, &'static str), usize>,
    /// Real pages in `train.csv`, per language.
    pub pages_by_lang: BTreeMap<&'static str, usize>,
    /// Sites of the real pages in `train.csv`, per language (a site with pages in both
    /// languages counts in each).
    pub page_sites_by_lang: BTreeMap<&'static str, usize>,
    /// Sites of the real pages in `train.csv`.
    pub page_sites: usize,
    /// Articles dropped because an earlier article had the same paragraphs, per source.
    pub duplicate_articles: BTreeMap<&'static str, usize>,
    /// Generated or woven lines drawn again because the text was already `news` somewhere,
    /// real under another label, a held-out sample's, already used under another label, or
    /// forbidden.
    pub redrawn: usize,
    /// Texts whose real rows carry two labels (kept: each labelled in its place).
    pub real_conflicts: usize,
    /// Texts found under a label their real rows do not carry, or under two labels among woven
    /// and generated rows, in the final rows (rows dropped).
    pub conflicts_resolved: usize,
    /// Rows dropped while resolving those conflicts.
    pub conflict_rows_dropped: usize,
    /// The generated `STATS.md`.
    pub stats_md: String,
}

/// What the statistics are computed from.
pub struct Facts<'a> {
    /// The rows of `train.csv`.
    pub rows: &'a [Row<'a>],
    /// Every loaded article.
    pub all: &'a [Article],
    pub draw: &'a Draw,
    pub body_cues: &'a BodyCues,
    pub boilerplate: &'a Boilerplate,
    pub loaded: &'a Loaded,
    pub junk: &'a Junk,
    pub pools: &'a Pools,
}

/// Fills `summary`, writes `STATS.md` and splices it into `README.md` (if `out` has one with
/// the markers).
pub fn write(out: &Path, summary: &mut Summary, f: &Facts, pat: &Patterns) -> Result<(), String> {
    let draw: &Draw = f.draw;
    let mut gambling_by_source: BTreeMap<&'static str, usize> = BTreeMap::new();
    for a in draw.train.iter().chain(&draw.samples).map(|&i| &f.all[i]) {
        if a.paras
            .iter()
            .any(|p| p.label == Label::News && pat.gambling.is_match(&p.text))
        {
            *gambling_by_source.entry(a.source).or_default() += 1;
        }
    }
    let stats = Stats {
        f,
        gambling: gambling_by_source.values().sum(),
        gambling_by_source,
        cue_paras: f
            .rows
            .iter()
            .filter(|r| {
                r.label == Label::News
                    && r.origin == Origin::Real
                    && pat.cue_start.is_match(&r.text)
            })
            .count(),
    };
    fill_summary(summary, f);
    summary.samples = draw.samples.len();
    summary.stats_md = stats_markdown(summary, &stats);
    let stats_path = out.join("STATS.md");
    fs::write(&stats_path, &summary.stats_md)
        .map_err(|e| format!("{}: {e}", stats_path.display()))?;
    splice_readme(&out.join("README.md"), &summary.stats_md)
}

/// The numbers of `STATS.md` that are not in [`Summary`].
struct Stats<'a> {
    f: &'a Facts<'a>,
    gambling: usize,
    gambling_by_source: BTreeMap<&'static str, usize>,
    cue_paras: usize,
}

/// Counts the rows, articles, labels, origins and pages into `s`.
fn fill_summary(s: &mut Summary, f: &Facts) {
    s.rows = f.rows.len();
    let mut articles: BTreeSet<&str> = BTreeSet::new();
    let mut page_sites: BTreeMap<&'static str, BTreeSet<&str>> = BTreeMap::new();
    let mut all_page_sites: BTreeSet<&str> = BTreeSet::new();
    for r in f.rows {
        let (lang, label) = (r.lang.code(), r.label.as_str());
        *s.rows_by_label.entry(label).or_default() += 1;
        *s.rows_by_source_label.entry((r.source, label)).or_default() += 1;
        *s.rows_by_lang_label.entry((lang, label)).or_default() += 1;
        *s.rows_by_origin_lang_label
            .entry((r.origin.as_str(), lang, label))
            .or_default() += 1;
        if articles.insert(r.article) {
            *s.articles_by_source_lang
                .entry((r.source, lang))
                .or_default() += 1;
            if r.source == crate::article::PAGES {
                *s.pages_by_lang.entry(lang).or_default() += 1;
                page_sites.entry(lang).or_default().insert(r.site);
                all_page_sites.insert(r.site);
            }
        }
    }
    s.articles = articles.len();
    s.page_sites = all_page_sites.len();
    s.page_sites_by_lang = page_sites.iter().map(|(l, v)| (*l, v.len())).collect();
}

fn stats_markdown(s: &Summary, st: &Stats) -> String {
    let mut md = String::new();
    counts(&mut md, s);
    origins(&mut md, s);
    pages(&mut md, s, st);
    duplicates(&mut md, s, st);
    woven(&mut md, st);
    hard_negatives(&mut md, s, st);
    shapes(&mut md, st);
    samples(&mut md, st);
    md
}

/// A Markdown table row: the name, then the numbers.
fn table_row(md: &mut String, name: &str, values: &[usize]) {
    let cells: Vec<String> = values.iter().map(usize::to_string).collect();
    let _ = writeln!(md, "| {name} | {} |", cells.join(" | "));
}

/// The provenance line, the totals, and the tables per source and per language.
fn counts(md: &mut String, s: &Summary) {
    let g =
        |m: &BTreeMap<(&str, &str), usize>, a: &str, b: &str| m.get(&(a, b)).copied().unwrap_or(0);
    let _ = writeln!(
        md,
        "Generated by `tools/build-data` (seed `{:#x}`); do not edit by hand.\n",
        s.seed
    );
    let per_label: Vec<String> = Label::ALL
        .iter()
        .map(|l| {
            format!(
                "{} `{}`",
                s.rows_by_label.get(l.as_str()).copied().unwrap_or(0),
                l.as_str()
            )
        })
        .collect();
    let _ = writeln!(
        md,
        "`train.csv`: **{} rows** in **{} articles**: {}.\n",
        s.rows,
        s.articles,
        per_label.join(", ")
    );
    let header = "| articles | rows | news | related | ad | boilerplate |\n|---|---:|---:|---:|---:|---:|---:|";
    let _ = writeln!(md, "| source {header}");
    for src in SOURCES {
        let arts: usize = Lang::ALL
            .iter()
            .map(|l| g(&s.articles_by_source_lang, src, l.code()))
            .sum();
        let per: Vec<usize> = Label::ALL
            .iter()
            .map(|l| g(&s.rows_by_source_label, src, l.as_str()))
            .collect();
        let mut v = vec![arts, per.iter().sum()];
        v.extend(per);
        table_row(md, src, &v);
    }
    let _ = writeln!(md, "\n| language {header}");
    for lang in Lang::ALL.map(Lang::code) {
        let arts: usize = SOURCES
            .iter()
            .map(|src| g(&s.articles_by_source_lang, src, lang))
            .sum();
        let per: Vec<usize> = Label::ALL
            .iter()
            .map(|l| g(&s.rows_by_lang_label, lang, l.as_str()))
            .collect();
        let mut v = vec![arts, per.iter().sum()];
        v.extend(per);
        table_row(md, lang, &v);
    }
}

/// Rows by origin, language and label.
fn origins(md: &mut String, s: &Summary) {
    let _ = writeln!(
        md,
        "\nRows by origin (`real`: the paragraph as its page or article had it, in its place; `woven`: real text placed by the builder; `generated`: made or changed by the builder), language and label:\n"
    );
    let _ = writeln!(
        md,
        "| origin | language | rows | news | related | ad | boilerplate |\n|---|---|---:|---:|---:|---:|---:|"
    );
    for o in Origin::ALL.map(Origin::as_str) {
        for lang in Lang::ALL.map(Lang::code) {
            let per: Vec<usize> = Label::ALL
                .iter()
                .map(|l| {
                    s.rows_by_origin_lang_label
                        .get(&(o, lang, l.as_str()))
                        .copied()
                        .unwrap_or(0)
                })
                .collect();
            let mut v = vec![per.iter().sum()];
            v.extend(per);
            table_row(md, &format!("{o} | {lang}"), &v);
        }
    }
}

/// The real pages: how many, from how many sites, what was held out or skipped.
fn pages(md: &mut String, s: &Summary, st: &Stats) {
    let f = st.f;
    let n = |m: &BTreeMap<&str, usize>, k: &str| m.get(k).copied().unwrap_or(0);
    let _ = writeln!(md, "\nReal pages (source `pages`, every row `real`):");
    let _ = writeln!(
        md,
        "- in `train.csv`: {} pages ({} English, {} Spanish) from {} sites ({} with English pages, {} Spanish-language sites)",
        n(&s.pages_by_lang, "en") + n(&s.pages_by_lang, "es"),
        n(&s.pages_by_lang, "en"),
        n(&s.pages_by_lang, "es"),
        s.page_sites,
        n(&s.page_sites_by_lang, "en"),
        n(&s.page_sites_by_lang, "es"),
    );
    let mut real_sites: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for r in f.rows.iter().filter(|r| r.origin == Origin::Real) {
        real_sites.entry(r.lang.code()).or_default().insert(r.site);
    }
    let all_real: BTreeSet<&str> = real_sites.values().flatten().copied().collect();
    let _ = writeln!(
        md,
        "- sites of all `real` rows (pages and corpora: `bbc.co.uk`, `reuters.com`, the Spanish corpus's sites): {} ({} Spanish-language)",
        all_real.len(),
        real_sites.get("es").map_or(0, BTreeSet::len)
    );
    let held_pages = f
        .all
        .iter()
        .filter(|a| a.is_page() && f.draw.held_out_sites.contains(&a.site))
        .count();
    let _ = writeln!(
        md,
        "- held out: {} sample pages (`articles/`) and their {} sites ({} pages in all)",
        f.draw.samples.len(),
        f.draw.held_out_sites.len(),
        held_pages
    );
    let _ = writeln!(
        md,
        "- not read: {} pages in other languages, {} English or Spanish pages without a pass-a label file",
        f.loaded.pages.other_lang, f.loaded.pages.unlabelled
    );
    let mut per_coll: BTreeMap<&str, [usize; 2]> = BTreeMap::new();
    for a in f.all.iter() {
        if let Some(p) = &a.page {
            per_coll.entry(p.collection.as_str()).or_default()[crate::junk::li(a.lang)] += 1;
        }
    }
    let colls: Vec<String> = per_coll
        .iter()
        .map(|(c, [en, es])| match (en, es) {
            (0, es) => format!("{c} {es} es"),
            (en, 0) => format!("{c} {en} en"),
            (en, es) => format!("{c} {} ({en} en, {es} es)", en + es),
        })
        .collect();
    let _ = writeln!(
        md,
        "- labelled pages per collection (`raw/pages/<collection>/`, train and samples): {}",
        colls.join(", ")
    );
}

/// Articles per source and language, duplicates and conflicts, distinct texts per label.
fn duplicates(md: &mut String, s: &Summary, st: &Stats) {
    let _ = writeln!(md, "\nArticles per source and language:");
    for ((src, lang), n) in &s.articles_by_source_lang {
        let _ = writeln!(md, "- {src}/{lang}: {n}");
    }
    let dups: Vec<String> = s
        .duplicate_articles
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    let _ = writeln!(md, "\nDuplicates and conflicts:");
    let _ = writeln!(
        md,
        "- duplicate articles dropped (same paragraphs as an earlier article): {}",
        if dups.is_empty() {
            "none".to_string()
        } else {
            dups.join(", ")
        }
    );
    let _ = writeln!(
        md,
        "- woven or generated lines drawn again (text already `news`, real under another label, a held-out sample's, already used under another label, or forbidden): {}",
        s.redrawn
    );
    let _ = writeln!(
        md,
        "- texts whose real rows carry two labels, kept as labelled in their places: {}",
        s.real_conflicts
    );
    let _ = writeln!(
        md,
        "- texts under two labels through woven or generated rows, resolved: {} ({} rows dropped)",
        s.conflicts_resolved, s.conflict_rows_dropped
    );
    let mut per_label: BTreeMap<Label, (usize, BTreeSet<&str>)> = BTreeMap::new();
    for r in st.f.rows {
        let e = per_label.entry(r.label).or_default();
        e.0 += 1;
        e.1.insert(r.text.as_str());
    }
    for (l, (n, distinct)) in &per_label {
        let _ = writeln!(
            md,
            "- `{}`: {n} rows, {} distinct texts",
            l.as_str(),
            distinct.len()
        );
    }
}

/// The real junk lines available to the weaver, and the boilerplate it wove.
fn woven(md: &mut String, st: &Stats) {
    let (p, j, bp) = (st.f.pools, st.f.junk, st.f.boilerplate);
    let langs = |v: &[Vec<String>; 2]| format!("{} en, {} es", v[0].len(), v[1].len());
    let _ = writeln!(
        md,
        "\nReal lines the weaver draws from (after leaving out the held-out sites' and pages' lines):"
    );
    let _ = writeln!(
        md,
        "- related lines standing alone: {}; related block headers: {}",
        langs(&p.related),
        langs(&p.headers)
    );
    let _ = writeln!(
        md,
        "- gambling affiliate copy: {}; ad-slot markers and sponsored headers: {}; sponsored items: {}",
        langs(&p.ads),
        langs(&p.ad_markers),
        langs(&p.ad_items)
    );
    let slots: Vec<String> = Slot::ALL
        .iter()
        .map(|&slot| {
            format!(
                "{} {} en, {} es",
                slot.as_str(),
                p.boilerplate[0][slot as usize].len(),
                p.boilerplate[1][slot as usize].len()
            )
        })
        .collect();
    let _ = writeln!(
        md,
        "- boilerplate lines by where they are woven (a share row or a photo credit fits two places): {}",
        slots.join("; ")
    );
    let _ = writeln!(
        md,
        "- junk-real lines left out as unreadable (mojibake, control characters): {}",
        j.unreadable
    );
    let _ = writeln!(
        md,
        "\nBoilerplate woven into the corpus articles (about {:.0}% of the English and {:.0}% of the Spanish ones): {} articles",
        P_BOILERPLATE_EN * 100.0,
        P_BOILERPLATE_ES * 100.0,
        bp.articles
    );
    for lang in Lang::ALL {
        let per: Vec<String> = Slot::ALL
            .iter()
            .map(|&slot| {
                format!(
                    "{} {}",
                    slot.as_str(),
                    bp.rows.get(&(lang, slot)).copied().unwrap_or(0)
                )
            })
            .collect();
        let total: usize = bp
            .rows
            .iter()
            .filter(|((l, _), _)| *l == lang)
            .map(|(_, n)| n)
            .sum();
        let _ = writeln!(md, "- {} {total}: {}", lang.code(), per.join(", "));
    }
}

/// The hard negatives: gambling news, cue-word paragraphs, synthetic body sentences, held back.
fn hard_negatives(md: &mut String, s: &Summary, st: &Stats) {
    let _ = writeln!(md, "\nHard negatives (all `news`):");
    let _ = writeln!(
        md,
        "- articles whose news text mentions casinos, gambling, betting, bookmakers, wagers or lotteries: {} ({}); such articles are never sampled away (Reuters) or used as headline donors (Spanish)",
        st.gambling,
        st.gambling_by_source
            .iter()
            .map(|(src, n)| format!("{src} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        md,
        "- real news paragraphs starting with a cue word (Read, See, Follow, Following, Watch, Listen, Related, Lee, Mira, Sigue, ...): {} ({} of them split off BBC paragraphs at a sentence boundary)",
        st.cue_paras, st.f.loaded.cue_splits
    );
    let bc = st.f.body_cues;
    let per_lang = |lang: &str| -> (usize, String) {
        let mut v: Vec<(&str, usize)> = bc
            .by_cue
            .iter()
            .filter(|((l, _), _)| *l == lang)
            .map(|((_, c), n)| (*c, *n))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let total = v.iter().map(|(_, n)| n).sum();
        let list = v
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        (total, list)
    };
    let (en_n, en_list) = per_lang("en");
    let (es_n, es_list) = per_lang("es");
    let _ = writeln!(
        md,
        "- synthetic body sentences starting with a cue word (templated, `generated`, one per corpus article in about {}% of English and {}% of Spanish ones): {} ({} placed by splitting a body paragraph at a sentence boundary, {} between two news paragraphs; {} chosen articles had no place; {} draws rejected as an existing text or a test line's shape)",
        BODY_CUE_PER_MILLE_EN / 10,
        BODY_CUE_PER_MILLE_ES / 10,
        bc.texts.len(),
        bc.split,
        bc.between,
        bc.no_place,
        bc.redrawn
    );
    let _ = writeln!(md, "  - en {en_n}: {en_list}");
    let _ = writeln!(md, "  - es {es_n}: {es_list}");
    let corpus = s.articles - s.pages_by_lang.values().sum::<usize>();
    let _ = writeln!(
        md,
        "- headlines of the corpus articles (their first real row, `news`): {corpus}"
    );
    let _ = writeln!(
        md,
        "- held back: {} Spanish `Fake` items used only for their headlines; {} Reuters stories not used (their titles feed inserts)",
        st.f.draw.donors.len(),
        st.f.draw.unused_reuters.len()
    );
}

/// The shape of each label (length, punctuation, digits, capitals, position): what a model
/// could latch onto.
fn shapes(md: &mut String, st: &Stats) {
    let _ = writeln!(md, "\nShape per label (check for artefacts):\n");
    let _ = writeln!(
        md,
        "| label | rows | mean chars | ends . ! ? … | ends : | no terminal punct. | has digit | ALL CAPS | position 0 | last in article |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut last_of: BTreeMap<&str, usize> = BTreeMap::new();
    let mut first_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, r) in st.f.rows.iter().enumerate() {
        last_of.insert(r.article, i);
        first_of.entry(r.article).or_insert(i);
    }
    for l in Label::ALL {
        let rows: Vec<(usize, &Row)> =
            st.f.rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.label == l)
                .collect();
        let n = rows.len().max(1) as f64;
        let pct = |f: &dyn Fn(usize, &Row) -> bool| {
            format!(
                "{:.1}%",
                100.0 * rows.iter().filter(|(i, r)| f(*i, r)).count() as f64 / n
            )
        };
        let ends = |r: &Row, set: &[char]| {
            r.text
                .trim_end_matches(['"', '”', '’', ')', ']', '»', '\''])
                .ends_with(set)
        };
        let mean = rows
            .iter()
            .map(|(_, r)| r.text.chars().count())
            .sum::<usize>() as f64
            / n;
        let _ = writeln!(
            md,
            "| {} | {} | {:.0} | {} | {} | {} | {} | {} | {} | {} |",
            l.as_str(),
            rows.len(),
            mean,
            pct(&|_, r| ends(r, &['.', '!', '?', '…'])),
            pct(&|_, r| r.text.ends_with(':')),
            pct(&|_, r| !ends(r, &['.', '!', '?', '…', ':'])),
            pct(&|_, r| r.text.chars().any(|c| c.is_ascii_digit())),
            pct(&|_, r| {
                let letters: Vec<char> = r.text.chars().filter(|c| c.is_alphabetic()).collect();
                letters.len() >= 4 && letters.iter().all(|c| !c.is_lowercase())
            }),
            pct(&|i, r| first_of[r.article] == i),
            pct(&|i, r| last_of[r.article] == i),
        );
    }
}

/// The sample pages.
fn samples(md: &mut String, st: &Stats) {
    let f = st.f;
    let _ = writeln!(
        md,
        "\nSample pages (`articles/`, held out of `train.csv` with their sites): {}",
        f.draw.samples.len()
    );
    for &i in &f.draw.samples {
        let a = &f.all[i];
        let per: Vec<String> = Label::ALL
            .iter()
            .filter_map(|l| {
                let n = a.paras.iter().filter(|p| p.label == *l).count();
                (n > 0).then(|| format!("{n} {}", l.as_str()))
            })
            .collect();
        let _ = writeln!(
            md,
            "- `{}` ({}, {}, {} paragraphs: {})",
            a.id,
            a.site,
            a.lang.code(),
            a.paras.len(),
            per.join(", ")
        );
    }
}

/// The markers of the statistics section of `README.md`.
const BEGIN_STATS: &str = "<!-- BEGIN STATS (generated by tools/build-data) -->";
const END_STATS: &str = "<!-- END STATS -->";

/// Replaces the text between the STATS markers of `README.md`, if it exists and has them.
fn splice_readme(path: &Path, stats: &str) -> Result<(), String> {
    let Ok(readme) = fs::read_to_string(path) else {
        return Ok(());
    };
    let (Some(b), Some(e)) = (readme.find(BEGIN_STATS), readme.find(END_STATS)) else {
        return Ok(());
    };
    if e < b {
        return Err(format!("{}: STATS markers out of order", path.display()));
    }
    let new = format!("{}{BEGIN_STATS}\n{stats}{}", &readme[..b], &readme[e..]);
    if new != readme {
        fs::write(path, new).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}
