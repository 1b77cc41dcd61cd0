//! The sample articles (`articles/*.txt`, `articles-labels.csv`): which articles are held out,
//! how they are woven, and writing them.

use crate::article::{Article, Label, Para, BBC, ES_NEWS, ES_WEB, REUTERS, WEB};
use crate::rows::write_csv;
use crate::text::sorted_entries;
use crate::weave::WeaveOpts;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// One sample: its source, how it is woven, and which articles qualify.
struct SampleSpec {
    source: &'static str,
    opts: WeaveOpts,
    filter: fn(&Article) -> bool,
}

fn body_between(a: &Article, lo: usize, hi: usize) -> bool {
    (lo..=hi).contains(&a.body_len()) && a.paras.iter().all(|p| p.label == Label::News)
}

fn sample_specs() -> Vec<SampleSpec> {
    let ad = WeaveOpts {
        force_ad: true,
        min_inserts: 1,
        ..WeaveOpts::default()
    };
    let plain = WeaveOpts {
        min_inserts: 1,
        ..WeaveOpts::default()
    };
    let bare = WeaveOpts {
        force_bare: true,
        min_inserts: 2,
        ..WeaveOpts::default()
    };
    let lee = WeaveOpts {
        force_lead: Some("Lee también: {headline}"),
        min_inserts: 2,
        force_ad: true,
        ..WeaveOpts::default()
    };
    let bare_es = WeaveOpts {
        force_bare: true,
        min_inserts: 1,
        ..WeaveOpts::default()
    };
    fn spec(source: &'static str, opts: &WeaveOpts, filter: fn(&Article) -> bool) -> SampleSpec {
        SampleSpec {
            source,
            opts: opts.clone(),
            filter,
        }
    }
    vec![
        // A gambling-regulation article (casinos bill) with a gambling ad block: the hardest case.
        spec(BBC, &ad, |a| a.id == "bbc-en-politics-133"),
        spec(REUTERS, &ad, |a| {
            a.headline().contains("CASINO") && body_between(a, 3, 12)
        }),
        spec(BBC, &bare, |a| {
            a.topic == "business" && !a.hard && body_between(a, 5, 12)
        }),
        spec(BBC, &plain, |a| {
            a.topic == "entertainment" && !a.hard && body_between(a, 4, 12)
        }),
        spec(BBC, &plain, |a| {
            a.topic == "politics" && !a.hard && body_between(a, 5, 14)
        }),
        spec(BBC, &ad, |a| {
            a.topic == "sport" && !a.hard && body_between(a, 5, 14)
        }),
        spec(BBC, &plain, |a| {
            a.topic == "tech" && !a.hard && body_between(a, 5, 14)
        }),
        spec(BBC, &bare, |a| {
            a.topic == "tech" && !a.hard && body_between(a, 6, 14)
        }),
        spec(REUTERS, &plain, |a| !a.hard && body_between(a, 4, 10)),
        spec(REUTERS, &bare, |a| !a.hard && body_between(a, 5, 10)),
        spec(REUTERS, &ad, |a| !a.hard && body_between(a, 4, 10)),
        spec(ES_NEWS, &lee, |a| body_between(a, 6, 16)),
        spec(ES_NEWS, &lee, |a| body_between(a, 5, 16)),
        spec(ES_NEWS, &bare_es, |a| body_between(a, 5, 16)),
        spec(ES_NEWS, &ad, |a| body_between(a, 5, 16)),
        spec(ES_WEB, &plain, |a| body_between(a, 4, 14)),
        spec(ES_WEB, &ad, |a| body_between(a, 4, 14)),
        spec(WEB, &ad, |a| a.id == "web-en-telegraph"),
        spec(WEB, &bare, |a| a.id == "web-en-ars-1"),
        spec(BBC, &ad, |a| {
            a.topic == "business" && !a.hard && body_between(a, 4, 10)
        }),
    ]
}

/// Chooses the sample articles, one per spec, among the articles whose paragraphs occur in no
/// other article (whatever the quote style); their ids go into `taken`.
pub fn choose(
    all: &[Article],
    taken: &mut BTreeSet<String>,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<(usize, WeaveOpts)>, String> {
    let plain = |t: &str| t.replace(['“', '”'], "\"").replace(['‘', '’'], "'");
    let mut occurrences: BTreeMap<String, usize> = BTreeMap::new();
    for a in all {
        for p in &a.paras {
            *occurrences.entry(plain(&p.text)).or_default() += 1;
        }
    }
    let unique = |a: &Article| a.paras.iter().all(|p| occurrences[&plain(&p.text)] == 1);
    let mut samples: Vec<(usize, WeaveOpts)> = Vec::new();
    for spec in sample_specs() {
        let mut candidates: Vec<usize> = (0..all.len())
            .filter(|&i| {
                let a = &all[i];
                a.source == spec.source && !taken.contains(&a.id) && (spec.filter)(a) && unique(a)
            })
            .collect();
        candidates.shuffle(rng);
        let Some(&i) = candidates.first() else {
            return Err(format!("no candidate for a {} sample article", spec.source));
        };
        taken.insert(all[i].id.clone());
        samples.push((i, spec.opts));
    }
    Ok(samples)
}

/// Writes `articles/<id>.txt` (paragraphs separated by a blank line; older `.txt` files are
/// removed) and `articles-labels.csv`.
pub fn write(out: &Path, all: &[Article], samples: &[(usize, Vec<Para>)]) -> Result<(), String> {
    for old in sorted_entries(&out.join("articles"))? {
        if old.extension().and_then(|s| s.to_str()) == Some("txt") {
            fs::remove_file(&old).map_err(|e| format!("{}: {e}", old.display()))?;
        }
    }
    let mut sample_csv: Vec<(&str, &str, Label, &'static str)> = Vec::new();
    for (i, paras) in samples {
        let a = &all[*i];
        let text: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
        let path = out.join("articles").join(format!("{}.txt", a.id));
        fs::write(&path, text.join("\n\n") + "\n")
            .map_err(|e| format!("{}: {e}", path.display()))?;
        for p in paras {
            sample_csv.push((&a.id, &p.text, p.label, a.source));
        }
    }
    write_csv(&out.join("articles-labels.csv"), sample_csv.iter().copied())
}
