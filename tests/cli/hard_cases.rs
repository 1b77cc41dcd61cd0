//! The hard cases of shared/DESIGN.md on the built-in model, in excerpts of seven real pages
//! that no training row comes from (`tests/data/hard-cases/`, with their sources): an author's
//! own pointers and odds in the body, related-link inserts between paragraphs, ad-slot markers
//! and newsletter lines. A check in `tests/data.rs` keeps their text out of `data/train.csv`.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::util::{label, labels, root, TestDir};

/// Labels one article (paragraphs joined by blank lines) with the default model.
fn label_article(paragraphs: &[&str]) -> Vec<Value> {
    let dir = TestDir::new();
    let path = dir.write("article.txt", paragraphs.join("\n\n"));
    label([path])
}

fn labels_of(paragraphs: &[&str]) -> Vec<String> {
    labels(&label_article(paragraphs))
}

/// One paragraph of a hard case, as labelled by reading it in its page.
struct Case {
    case: String,
    label: String,
    text: String,
}

/// The hard-case excerpts by article, each in page order.
fn cases() -> BTreeMap<String, Vec<Case>> {
    let path = root().join("tests/data/hard-cases/cases.csv");
    let mut reader = csv::Reader::from_path(&path).expect("hard cases");
    let mut out: BTreeMap<String, Vec<(usize, Case)>> = BTreeMap::new();
    for record in reader.records() {
        let r = record.unwrap();
        let case = Case {
            case: r[0].to_owned(),
            label: r[3].to_owned(),
            text: r[4].to_owned(),
        };
        out.entry(r[1].to_owned())
            .or_default()
            .push((r[2].parse().unwrap(), case));
    }
    out.into_iter()
        .map(|(id, mut rows)| {
            rows.sort_by_key(|(position, _)| *position);
            (id, rows.into_iter().map(|(_, c)| c).collect())
        })
        .collect()
}

/// Each case article labelled by the built-in model: its paragraphs with their records.
fn labelled_cases() -> Vec<(String, Vec<(Case, Value)>)> {
    let cases = cases();
    assert_eq!(cases.len(), 7, "the seven hard-case pages");
    cases
        .into_iter()
        .map(|(id, rows)| {
            let texts: Vec<&str> = rows.iter().map(|c| c.text.as_str()).collect();
            let records = label_article(&texts);
            assert_eq!(records.len(), rows.len(), "{id}: one record per paragraph");
            (id, rows.into_iter().zip(records).collect())
        })
        .collect()
}

fn p_news(record: &Value) -> f64 {
    record["probs"]["news"].as_f64().unwrap()
}

/// Every news paragraph of the real pages is kept: the author's pointers ("Listen to some of
/// the reactions…", "Consulta aquí el texto de la demanda…"), the bookmakers' odds of a
/// referendum, a fact box's one-word headings.
#[test]
fn real_pages_keep_every_news_paragraph() {
    let mut lost = Vec::new();
    for (id, rows) in labelled_cases() {
        for (case, record) in &rows {
            if case.label == "news" && record["kept"] != true {
                lost.push(format!("{id}: {:?} -> {}", case.text, record["label"]));
            }
        }
    }
    assert!(lost.is_empty(), "news removed:\n{}", lost.join("\n"));
}

/// The likeliest label of each related-link insert between body paragraphs ("READ MORE: …",
/// "Related: …", "Lee: …") is `related`; whether the default threshold removes it is in
/// docs/evaluation.md (the ranking test below checks it can).
#[test]
fn real_related_inserts_are_likeliest_related() {
    let mut inserts = 0;
    for (id, rows) in labelled_cases() {
        for (case, record) in rows.iter().filter(|(c, _)| c.label == "related") {
            inserts += 1;
            let probs = record["probs"].as_object().unwrap();
            let likeliest = probs
                .iter()
                .max_by(|a, b| a.1.as_f64().unwrap().total_cmp(&b.1.as_f64().unwrap()))
                .map(|(label, _)| label.as_str());
            assert_eq!(
                likeliest,
                Some("related"),
                "{id}: {:?} {probs:?}",
                case.text
            );
        }
    }
    assert_eq!(inserts, 3);
}

/// Every junk line ranks below every news paragraph of its own article, so the keep threshold
/// can part them; whether the default threshold does is in docs/evaluation.md.
#[test]
fn real_junk_lines_rank_below_their_articles_news() {
    let mut junk = 0;
    for (id, rows) in labelled_cases() {
        let news_floor = rows
            .iter()
            .filter(|(c, _)| c.label == "news")
            .map(|(_, r)| p_news(r))
            .fold(f64::INFINITY, f64::min);
        for (case, record) in rows.iter().filter(|(c, _)| c.label != "news") {
            junk += 1;
            assert!(
                p_news(record) < news_floor,
                "{id} ({}): {:?} has p(news) {} against its news' lowest {news_floor}",
                case.case,
                case.text,
                p_news(record)
            );
        }
    }
    assert_eq!(junk, 8);
}

/// News about gambling and its regulation stays news (articles written for this test, in
/// English and Spanish).
#[test]
fn news_about_gambling_stays_news() {
    let articles: [&[&str]; 2] = [
        &[
            "Bookmaker's profits rise as sports betting grows in the United States",
            "Shares in the bookmaker rose 4% on Tuesday after it reported a sharp rise in first-half profits, driven by strong growth in its American sports betting business.",
            "The group said revenue from online casino games and sports betting had climbed 18%, helped by the launch of its app in three more states.",
            "Analysts said the results showed the company was gaining market share, but warned that tighter rules on gambling advertising in Britain could weigh on growth.",
        ],
        &[
            "El Gobierno endurece las reglas de la publicidad de casas de apuestas",
            "El Ministerio de Consumo aprobó este martes un decreto que limita los anuncios de casas de apuestas y casinos en línea a la franja horaria de la madrugada.",
            "Según el texto, los operadores de juego no podrán ofrecer bonos de bienvenida a nuevos clientes ni utilizar a deportistas famosos en sus campañas.",
            "Las asociaciones del sector advirtieron de que la medida podría empujar a los jugadores hacia webs ilegales sin licencia en España.",
        ],
    ];
    for article in articles {
        let labels = labels_of(article);
        assert!(
            labels.iter().all(|l| l == "news"),
            "{article:?} -> {labels:?}"
        );
    }
}

/// A known miss: the headline of an article about a regulator fining an online casino
/// operator is taken for an ad, and its neighbours with it, since no training row of news
/// mentions online casinos while hundreds of real ad lines do (docs/evaluation.md, Known misses).
#[test]
#[ignore = "known miss: news about online casinos reads as an ad (no training news mentions them)"]
fn news_about_an_online_casino_fine_stays_news() {
    let article: &[&str] = &[
        "Regulator fines online casino operator over failures to protect problem gamblers",
        "The Gambling Commission has fined an online casino operator 6.2 million after finding that it failed to carry out proper checks on customers who lost large sums in a short time.",
        "Investigators found that one customer was allowed to deposit more than 80,000 over four months without any questions about the source of the money, the regulator said.",
        "The company said it accepted the findings and had since overhauled its procedures, adding that it had hired extra staff to monitor accounts showing signs of harm.",
    ];
    let labels = labels_of(article);
    assert!(
        labels.iter().all(|l| l == "news"),
        "{article:?} -> {labels:?}"
    );
}
