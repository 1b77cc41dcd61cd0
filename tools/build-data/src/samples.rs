//! The sample articles (`articles/*.txt`, `articles-labels.csv`): about twenty real pages,
//! English and Spanish, from different sites and collections, each with some junk, written with
//! their labels as they are. Their whole sites are held out of `train.csv`.

use crate::article::{Article, Label, Lang};
use crate::rows::{write_csv, CsvRow};
use crate::text::sorted_entries;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Fewest and most paragraphs of a sample page (a page to read whole, not a 300-row table).
const MIN_PARAS: usize = 6;
const MAX_PARAS: usize = 60;

/// One sample: its language, collection (`None`: any) and what else it must show.
struct SampleSpec {
    lang: Lang,
    collection: Option<&'static str>,
    filter: fn(&Article) -> bool,
}

fn count(a: &Article, l: Label) -> usize {
    a.paras.iter().filter(|p| p.label == l).count()
}

fn with_ad(a: &Article) -> bool {
    (1..=2).contains(&count(a, Label::Ad))
}

fn with_related(a: &Article) -> bool {
    count(a, Label::Related) > 0
}

fn with_boilerplate(a: &Article) -> bool {
    count(a, Label::Boilerplate) > 0
}

/// Ends in junk: what cleaning removes last (the CLI tests read the samples as one stream).
fn ends_in_junk(a: &Article) -> bool {
    a.paras.last().is_some_and(|p| p.label != Label::News)
}

fn any_junk(a: &Article) -> bool {
    a.paras.iter().any(|p| p.label != Label::News)
}

fn sample_specs() -> Vec<SampleSpec> {
    fn spec(
        lang: Lang,
        collection: Option<&'static str>,
        filter: fn(&Article) -> bool,
    ) -> SampleSpec {
        SampleSpec {
            lang,
            collection,
            filter,
        }
    }
    use Lang::{En, Es};
    vec![
        // Ads are rare in the real pages: one page with one or two in each language.
        spec(En, None, with_ad),
        spec(Es, None, with_ad),
        spec(En, Some("trafilatura"), with_related),
        spec(En, Some("trafilatura"), ends_in_junk),
        spec(En, Some("trafilatura"), with_boilerplate),
        spec(En, Some("fundus"), with_related),
        spec(En, Some("fundus"), ends_in_junk),
        spec(En, Some("newspaper4k"), with_boilerplate),
        spec(En, Some("newspaper4k"), any_junk),
        spec(En, Some("readability"), any_junk),
        spec(Es, Some("trafilatura"), with_related),
        spec(Es, Some("trafilatura"), ends_in_junk),
        spec(Es, Some("trafilatura"), with_boilerplate),
        spec(Es, Some("trafilatura"), any_junk),
        spec(Es, Some("es-htmldate"), any_junk),
        spec(Es, Some("es-jaschaff-cs532-s17"), any_junk),
        spec(Es, Some("es-cosmicmeow-cs595-f13"), any_junk),
        spec(Es, Some("es-grantat-cs532-s17"), any_junk),
        spec(Es, Some("es-narfman0-cs595-f13"), any_junk),
        spec(Es, Some("es-udochukwunweke-cs532-s17"), any_junk),
    ]
}

/// Chooses the sample pages, one per spec, among the pages whose site has no other article
/// (page or corpus) and whose `news` paragraphs occur in no other article (whatever the quote
/// style; a furniture line such as "Advertisement" may),
/// with some junk and `MIN_PARAS..=MAX_PARAS` paragraphs; their ids go into `taken`.
pub fn choose(
    all: &[Article],
    taken: &mut BTreeSet<String>,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<usize>, String> {
    let plain = |t: &str| t.replace(['“', '”'], "\"").replace(['‘', '’'], "'");
    let mut occurrences: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_site: BTreeMap<&str, usize> = BTreeMap::new();
    for a in all {
        let texts: BTreeSet<String> = a.paras.iter().map(|p| plain(&p.text)).collect();
        for t in texts {
            *occurrences.entry(t).or_default() += 1;
        }
        *per_site.entry(a.site.as_str()).or_default() += 1;
    }
    let eligible = |a: &Article| {
        a.is_page()
            && per_site[a.site.as_str()] == 1
            && (MIN_PARAS..=MAX_PARAS).contains(&a.paras.len())
            && any_junk(a)
            && count(a, Label::News) >= 3
            && a.paras
                .iter()
                .filter(|p| p.label == Label::News)
                .all(|p| occurrences[&plain(&p.text)] == 1)
    };
    let mut samples: Vec<usize> = Vec::new();
    for spec in sample_specs() {
        let mut candidates: Vec<usize> = (0..all.len())
            .filter(|&i| {
                let a = &all[i];
                a.lang == spec.lang
                    && spec
                        .collection
                        .is_none_or(|c| a.page.as_ref().is_some_and(|p| p.collection == c))
                    && !taken.contains(&a.id)
                    && eligible(a)
                    && (spec.filter)(a)
            })
            .collect();
        candidates.shuffle(rng);
        let Some(&i) = candidates.first() else {
            return Err(format!(
                "no candidate for a {} sample page of {}",
                spec.lang.code(),
                spec.collection.unwrap_or("any collection")
            ));
        };
        taken.insert(all[i].id.clone());
        samples.push(i);
    }
    Ok(samples)
}

/// Writes `articles/<id>.txt` (paragraphs separated by a blank line; older `.txt` files are
/// removed) and `articles-labels.csv`.
pub fn write(out: &Path, all: &[Article], samples: &[usize]) -> Result<(), String> {
    for old in sorted_entries(&out.join("articles"))? {
        if old.extension().and_then(|s| s.to_str()) == Some("txt") {
            fs::remove_file(&old).map_err(|e| format!("{}: {e}", old.display()))?;
        }
    }
    let mut rows: Vec<CsvRow> = Vec::new();
    for &i in samples {
        let a = &all[i];
        let text: Vec<&str> = a.paras.iter().map(|p| p.text.as_str()).collect();
        let path = out.join("articles").join(format!("{}.txt", a.id));
        fs::write(&path, text.join("\n\n") + "\n")
            .map_err(|e| format!("{}: {e}", path.display()))?;
        rows.extend(a.paras.iter().map(|p| CsvRow::of(a, p)));
    }
    write_csv(&out.join("articles-labels.csv"), rows.iter())
}
