//! The vocabulary: the terms most associated with the labels (chi-square), near-duplicates
//! skipped, and the map from a row's term ids to the chosen columns.

use rustc_hash::FxHashMap;

use crate::features::FeaturizerSettings;

use super::rows::Row;

/// The `vocab_size` term ids most associated with the labels (chi-square over a term-present
/// by label table) among `train_rows`, in id order, skipping near-duplicates: a term found in
/// nearly the same paragraphs as a term already chosen (see [`NEAR_DUPLICATE`]) adds nothing
/// but takes a column. Character n-grams come in overlapping families (`read:`, `ead: `,
/// `ad: `), and without this they fill most of the vocabulary with copies of a few lead-ins.
pub(super) fn select_vocabulary(
    rows: &[Row],
    train_rows: &[usize],
    n_labels: usize,
    settings: &FeaturizerSettings,
) -> Vec<u32> {
    // Paragraphs per term and label, flat: term ids are dense, so no map is needed.
    let n_terms = train_rows
        .iter()
        .filter_map(|&i| rows[i].terms.last())
        .max()
        .map_or(0, |&t| t as usize + 1);
    let mut counts = vec![0u32; n_terms * n_labels];
    let mut label_totals = vec![0u32; n_labels];
    for &i in train_rows {
        let row = &rows[i];
        label_totals[row.label] += 1;
        for &t in &row.terms {
            counts[t as usize * n_labels + row.label] += 1;
        }
    }
    let n = train_rows.len() as f64;
    let mut scored: Vec<(f64, u32)> = counts
        .chunks(n_labels.max(1))
        .enumerate()
        .filter(|(_, c)| c.iter().sum::<u32>() >= settings.min_df.max(1))
        .map(|(t, c)| {
            let df = f64::from(c.iter().sum::<u32>());
            let mut chi2 = 0.0;
            for (l, &o) in c.iter().enumerate() {
                let nl = f64::from(label_totals[l]);
                let e_in = df * nl / n;
                let e_out = (n - df) * nl / n;
                let o_in = f64::from(o);
                let o_out = nl - o_in;
                if e_in > 0.0 {
                    chi2 += (o_in - e_in).powi(2) / e_in;
                }
                if e_out > 0.0 {
                    chi2 += (o_out - e_out).powi(2) / e_out;
                }
            }
            (chi2, t as u32)
        })
        .collect();
    drop(counts);
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    // Walk the ranking in windows, listing the paragraphs of only the terms in the window.
    let mut vocab: Vec<u32> = Vec::with_capacity(settings.vocab_size);
    let mut chosen = Chosen::default();
    let mut start = 0;
    while vocab.len() < settings.vocab_size && start < scored.len() {
        let end = scored
            .len()
            .min(start + 2 * (settings.vocab_size - vocab.len()));
        let window = &scored[start..end];
        let slot: FxHashMap<u32, usize> = window
            .iter()
            .enumerate()
            .map(|(k, (_, t))| (*t, k))
            .collect();
        let mut postings = vec![Vec::new(); window.len()];
        for (pos, &i) in train_rows.iter().enumerate() {
            for t in &rows[i].terms {
                if let Some(&k) = slot.get(t) {
                    postings[k].push(pos as u32);
                }
            }
        }
        for ((_, t), list) in window.iter().zip(postings) {
            if vocab.len() == settings.vocab_size {
                break;
            }
            if !chosen.has_near_duplicate(&list) {
                vocab.push(*t);
                chosen.push(list);
            }
        }
        start = end;
    }
    vocab.sort_unstable();
    vocab
}

/// The posting lists of the terms chosen so far, indexed by the paragraphs of their prefixes,
/// so a candidate is compared only with the chosen terms that can be its near-duplicates
/// (prefix filtering): two lists with a Jaccard index of at least [`NEAR_DUPLICATE`] share at
/// least `floor(NEAR_DUPLICATE * len)` paragraphs, so their first `len - that + 1` paragraphs
/// meet. The answer is that of comparing with every chosen term; the work no longer grows with
/// the square of the vocabulary.
#[derive(Default)]
struct Chosen {
    lists: Vec<Vec<u32>>,
    /// Paragraph -> the chosen terms whose prefix holds it.
    by_prefix: FxHashMap<u32, Vec<u32>>,
    /// Per chosen term, the last candidate it was compared with (each is compared once).
    seen_by: Vec<u32>,
    candidates: u32,
}

impl Chosen {
    fn prefix(list: &[u32]) -> &[u32] {
        let shared = (NEAR_DUPLICATE * list.len() as f64).floor() as usize;
        &list[..(list.len() - shared + 1).min(list.len())]
    }

    fn has_near_duplicate(&mut self, list: &[u32]) -> bool {
        if list.is_empty() {
            return self
                .lists
                .iter()
                .any(|c| near_duplicate(list, c, NEAR_DUPLICATE));
        }
        self.candidates += 1;
        for p in Self::prefix(list) {
            for &c in self.by_prefix.get(p).map_or(&[][..], Vec::as_slice) {
                let c = c as usize;
                if self.seen_by[c] != self.candidates {
                    self.seen_by[c] = self.candidates;
                    if near_duplicate(list, &self.lists[c], NEAR_DUPLICATE) {
                        return true;
                    }
                }
            }
        }
        false
    }

    fn push(&mut self, list: Vec<u32>) {
        let id = self.lists.len() as u32;
        for p in Self::prefix(&list) {
            self.by_prefix.entry(*p).or_default().push(id);
        }
        self.lists.push(list);
        self.seen_by.push(0);
    }
}

/// Two terms are near-duplicates when the paragraphs that hold them overlap this much (Jaccard
/// index; see `docs/experiments.md` for the values tried).
pub(super) const NEAR_DUPLICATE: f64 = 0.8;

/// Whether two sorted posting lists have a Jaccard index of at least `min`; returns early when
/// their lengths alone rule it out.
pub(super) fn near_duplicate(a: &[u32], b: &[u32], min: f64) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // |a ∩ b| / |a ∪ b| <= |short| / |long|.
    if (short.len() as f64) < min * long.len() as f64 {
        return false;
    }
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < short.len() && j < long.len() {
        match short[i].cmp(&long[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    both as f64 >= min * union as f64
}

/// The sorted vocabulary columns of a row's term ids (terms outside the vocabulary dropped).
pub(super) fn columns_of(terms: &[u32], column: &FxHashMap<u32, u32>) -> Vec<u32> {
    let mut columns: Vec<u32> = terms
        .iter()
        .filter_map(|t| column.get(t).copied())
        .collect();
    columns.sort_unstable();
    columns
}

pub(super) fn column_map(vocab: &[u32]) -> FxHashMap<u32, u32> {
    vocab
        .iter()
        .enumerate()
        .map(|(c, t)| (*t, c as u32))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::rows::{featurize_all, term_names};
    use crate::train::tests::toy_articles;

    #[test]
    fn near_duplicate_is_a_jaccard_index() {
        let a: Vec<u32> = (0..100).collect();
        let b: Vec<u32> = (5..100).collect(); // 95 of 100
        let c: Vec<u32> = (0..100).step_by(2).collect(); // 50 of 100
        assert!(near_duplicate(&a, &b, 0.9));
        assert!(near_duplicate(&b, &a, 0.9));
        assert!(!near_duplicate(&a, &b, 0.96));
        assert!(!near_duplicate(&a, &c, 0.9));
        let d: Vec<u32> = (100..200).collect(); // same size, disjoint
        assert!(!near_duplicate(&a, &d, 0.9));
    }

    /// The prefix index answers as comparing with every chosen list does, on families of
    /// lists that overlap by every amount around the threshold, long and short.
    #[test]
    fn prefix_filter_finds_every_near_duplicate() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let mut chosen = Chosen::default();
        let mut all: Vec<Vec<u32>> = Vec::new();
        let (mut near, mut far) = (0, 0);
        for _ in 0..3000 {
            let list: Vec<u32> = if !all.is_empty() && next(3) > 0 {
                // A variant of an earlier list: some paragraphs dropped, some added.
                let base = &all[next(all.len() as u64) as usize];
                let drop = next(4);
                let mut l: Vec<u32> = Vec::new();
                for &p in base {
                    if next(10) >= drop {
                        l.push(p);
                    }
                }
                for _ in 0..next(3) {
                    l.push(next(400) as u32);
                }
                l.sort_unstable();
                l.dedup();
                l
            } else {
                let longest = if next(4) == 0 { 60 } else { 6 };
                let len = 1 + next(longest);
                let mut l: Vec<u32> = (0..len).map(|_| next(400) as u32).collect();
                l.sort_unstable();
                l.dedup();
                l
            };
            let expected = chosen
                .lists
                .iter()
                .any(|c| near_duplicate(&list, c, NEAR_DUPLICATE));
            assert_eq!(chosen.has_near_duplicate(&list), expected, "{list:?}");
            if expected {
                near += 1;
            } else {
                far += 1;
                chosen.push(list.clone());
            }
            all.push(list);
        }
        assert!(near > 300 && far > 300, "{near} near, {far} far");
    }

    #[test]
    fn vocabulary_keeps_one_of_each_family_of_overlapping_ngrams() {
        let articles = toy_articles();
        let settings = FeaturizerSettings {
            vocab_size: 20,
            min_df: 2,
            ..FeaturizerSettings::default()
        };
        let labels: Vec<String> = ["ad", "news", "related"].map(String::from).to_vec();
        let (rows, hashes) = featurize_all(&articles, &labels, &settings, &[]);
        let all: Vec<usize> = (0..rows.len()).collect();
        let vocab = select_vocabulary(&rows, &all, 3, &settings);
        assert_eq!(vocab.len(), 20);
        // Every pair of chosen terms is found in clearly different sets of paragraphs.
        let postings = |t: u32| -> Vec<u32> {
            (0..rows.len() as u32)
                .filter(|&r| rows[r as usize].terms.contains(&t))
                .collect()
        };
        let lists: Vec<Vec<u32>> = vocab.iter().map(|&t| postings(t)).collect();
        for (i, a) in lists.iter().enumerate() {
            for b in &lists[i + 1..] {
                assert!(!near_duplicate(a, b, NEAR_DUPLICATE));
            }
        }
        // "Read more:" gives many n-grams found in exactly the related paragraphs; one is kept.
        let names = term_names(&articles, &settings, &vocab, &hashes);
        let related_only: Vec<&String> = names
            .iter()
            .zip(&lists)
            .filter(|(_, l)| l.iter().all(|&r| rows[r as usize].label == 2) && l.len() == 40)
            .map(|(n, _)| n)
            .collect();
        assert_eq!(related_only.len(), 1, "{related_only:?}");
    }
}
