//! The statistics: the build summary, `STATS.md` and its copy between the STATS markers of
//! `README.md`.

use crate::article::{Article, Label, Para, SOURCES};
use crate::body_cues::{BodyCues, BODY_CUE_PER_MILLE_EN, BODY_CUE_PER_MILLE_ES};
use crate::rows::Row;
use crate::sources::Patterns;
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
    /// Sample articles written to `articles/`.
    pub samples: usize,
    /// Rows per label.
    pub rows_by_label: BTreeMap<&'static str, usize>,
    /// Rows per (source, label).
    pub rows_by_source_label: BTreeMap<(&'static str, &'static str), usize>,
    /// Rows per (language, label).
    pub rows_by_lang_label: BTreeMap<(&'static str, &'static str), usize>,
    /// Articles per (source, language).
    pub articles_by_source_lang: BTreeMap<(&'static str, &'static str), usize>,
    /// Articles dropped because an earlier article had the same paragraphs, per source.
    pub duplicate_articles: BTreeMap<&'static str, usize>,
    /// Generated insert or ad lines drawn again because the text was already `news` somewhere,
    /// already used under another label, or forbidden.
    pub redrawn: usize,
    /// Texts found under two labels in the final rows and resolved (rows dropped).
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
    pub draw: &'a crate::Draw,
    /// The samples as woven.
    pub samples: &'a [(usize, Vec<Para>)],
    pub body_cues: &'a BodyCues,
    /// BBC paragraphs split at a sentence starting with a cue word.
    pub cue_splits: usize,
}

/// Fills `summary`, writes `STATS.md` and splices it into `README.md` (if `out` has one with
/// the markers).
pub fn write(out: &Path, summary: &mut Summary, f: &Facts, pat: &Patterns) -> Result<(), String> {
    let draw: &Draw = f.draw;
    let mut gambling_by_source: BTreeMap<&'static str, usize> = BTreeMap::new();
    for a in draw
        .train
        .iter()
        .chain(draw.samples.iter().map(|(i, _)| i))
        .map(|&i| &f.all[i])
    {
        if a.paras
            .iter()
            .any(|p| p.label == Label::News && pat.gambling.is_match(&p.text))
        {
            *gambling_by_source.entry(a.source).or_default() += 1;
        }
    }
    let stats = Stats {
        rows: f.rows,
        samples: &f
            .samples
            .iter()
            .map(|(i, p)| (&f.all[*i], p.len()))
            .collect::<Vec<_>>(),
        gambling: gambling_by_source.values().sum(),
        gambling_by_source,
        cue_paras: f
            .rows
            .iter()
            .filter(|r| {
                r.label == Label::News
                    && pat.cue_start.is_match(&r.text)
                    && !f.body_cues.texts.contains(&r.text)
            })
            .count(),
        body_cues: f.body_cues,
        cue_splits: f.cue_splits,
        donors: draw.donors.len(),
        unused_reuters: draw.unused_reuters.len(),
    };
    fill_summary(summary, &stats);
    summary.samples = f.samples.len();
    summary.stats_md = stats_markdown(summary, &stats);
    let stats_path = out.join("STATS.md");
    fs::write(&stats_path, &summary.stats_md)
        .map_err(|e| format!("{}: {e}", stats_path.display()))?;
    splice_readme(&out.join("README.md"), &summary.stats_md)
}

/// The numbers of `STATS.md` that are not in [`Summary`].
struct Stats<'a> {
    rows: &'a [Row<'a>],
    samples: &'a [(&'a Article, usize)],
    gambling: usize,
    gambling_by_source: BTreeMap<&'static str, usize>,
    cue_paras: usize,
    cue_splits: usize,
    body_cues: &'a BodyCues,
    donors: usize,
    unused_reuters: usize,
}

/// Counts the rows, articles and labels into `s`.
fn fill_summary(s: &mut Summary, st: &Stats) {
    s.rows = st.rows.len();
    let mut articles: BTreeSet<&str> = BTreeSet::new();
    for r in st.rows {
        *s.rows_by_label.entry(r.label.as_str()).or_default() += 1;
        *s.rows_by_source_label
            .entry((r.source, r.label.as_str()))
            .or_default() += 1;
        *s.rows_by_lang_label
            .entry((r.lang.code(), r.label.as_str()))
            .or_default() += 1;
        if articles.insert(r.article) {
            *s.articles_by_source_lang
                .entry((r.source, r.lang.code()))
                .or_default() += 1;
        }
    }
    s.articles = articles.len();
}

fn stats_markdown(s: &Summary, st: &Stats) -> String {
    let mut md = String::new();
    counts(&mut md, s);
    duplicates(&mut md, s, st);
    hard_negatives(&mut md, s, st);
    shapes(&mut md, st);
    let _ = writeln!(
        md,
        "\nSample articles (`articles/`, held out of `train.csv`): {}",
        st.samples.len()
    );
    for (a, n) in st.samples {
        let _ = writeln!(
            md,
            "- `{}` ({}, {}, {n} paragraphs)",
            a.id,
            a.source,
            a.lang.code()
        );
    }
    md
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
    let _ = writeln!(
        md,
        "`train.csv`: **{} rows** in **{} articles**: {} `news`, {} `related`, {} `ad`.\n",
        s.rows,
        s.articles,
        s.rows_by_label.get("news").copied().unwrap_or(0),
        s.rows_by_label.get("related").copied().unwrap_or(0),
        s.rows_by_label.get("ad").copied().unwrap_or(0),
    );
    let _ = writeln!(md, "| source | articles | rows | news | related | ad |");
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|");
    for src in SOURCES {
        let arts: usize = ["en", "es", "pt"]
            .iter()
            .map(|l| g(&s.articles_by_source_lang, src, l))
            .sum();
        let per: Vec<usize> = Label::ALL
            .iter()
            .map(|l| g(&s.rows_by_source_label, src, l.as_str()))
            .collect();
        let _ = writeln!(
            md,
            "| {src} | {arts} | {} | {} | {} | {} |",
            per.iter().sum::<usize>(),
            per[0],
            per[1],
            per[2]
        );
    }
    let _ = writeln!(md, "\n| language | articles | rows | news | related | ad |");
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|");
    for lang in ["en", "es", "pt"] {
        let arts: usize = SOURCES
            .iter()
            .map(|src| g(&s.articles_by_source_lang, src, lang))
            .sum();
        let per: Vec<usize> = Label::ALL
            .iter()
            .map(|l| g(&s.rows_by_lang_label, lang, l.as_str()))
            .collect();
        let _ = writeln!(
            md,
            "| {lang} | {arts} | {} | {} | {} | {} |",
            per.iter().sum::<usize>(),
            per[0],
            per[1],
            per[2]
        );
    }
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
        "- generated lines drawn again (text already `news`, already under another label, or forbidden): {}",
        s.redrawn
    );
    let _ = writeln!(
        md,
        "- texts under two labels after weaving, resolved: {} ({} rows dropped)",
        s.conflicts_resolved, s.conflict_rows_dropped
    );
    let mut per_label: BTreeMap<Label, (usize, BTreeSet<&str>)> = BTreeMap::new();
    for r in st.rows {
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
        "- natural news paragraphs starting with a cue word (Read, See, Follow, Following, Watch, Listen, Related, Lee, Mira, Sigue, ...): {} ({} of them split off BBC paragraphs at a sentence boundary)",
        st.cue_paras, st.cue_splits
    );
    let bc = st.body_cues;
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
        "- synthetic body sentences starting with a cue word (templated, one per article in about {}% of English and {}% of Spanish articles): {} ({} placed by splitting a body paragraph at a sentence boundary, {} between two news paragraphs; {} chosen articles had no place; {} draws rejected as an existing text or a test line's shape)",
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
    let _ = writeln!(md, "- headlines (position 0, `news`): {}", s.articles);
    let _ = writeln!(
        md,
        "- held back: {} Spanish `Fake` items used only for their headlines; {} Reuters stories not used (their titles feed inserts)",
        st.donors, st.unused_reuters
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
    for (i, r) in st.rows.iter().enumerate() {
        last_of.insert(r.article, i);
        first_of.entry(r.article).or_insert(i);
    }
    for l in Label::ALL {
        let rows: Vec<(usize, &Row)> = st
            .rows
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
