//! The hard cases of shared/DESIGN.md, on the built-in model, each in several articles written
//! for these tests (none of this text is in data/train.csv).

use crate::util::{label, labels, TestDir};

/// Labels one article (paragraphs joined by blank lines) with the default model.
fn labels_of(paragraphs: &[&str]) -> Vec<String> {
    let dir = TestDir::new();
    let path = dir.write("article.txt", paragraphs.join("\n\n"));
    labels(&label([path]))
}

const BODY_EN: [&str; 4] = [
    "The council approved the new budget on Thursday after a debate that lasted more than six hours, with opposition members warning that the cuts to library services would hit poorer districts hardest.",
    "Officials said the plan would save about 40 million over three years, although independent analysts questioned whether the savings could be achieved without closing several community centres.",
    "The mayor defended the decision, telling reporters that the city had no choice but to balance its books after two years of falling tax revenue and rising energy costs.",
    "A final vote on the remaining measures is expected next month, when the council will also consider proposals to raise parking charges in the city centre.",
];

#[test]
fn news_about_gambling_stays_news() {
    let articles: [&[&str]; 3] = [
        &[
            "Regulator fines online casino operator over failures to protect problem gamblers",
            "The Gambling Commission has fined an online casino operator 6.2 million after finding that it failed to carry out proper checks on customers who lost large sums in a short time.",
            "Investigators found that one customer was allowed to deposit more than 80,000 over four months without any questions about the source of the money, the regulator said.",
            "The company said it accepted the findings and had since overhauled its procedures, adding that it had hired extra staff to monitor accounts showing signs of harm.",
        ],
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

#[test]
fn body_sentences_starting_with_read_see_or_follow_stay_news() {
    for line in [
        "Read the full statement here.",
        "Read the full report on the council's website.",
        "See the table below for the full results by district.",
    ] {
        let mut article = vec!["City council approves budget with deep cuts to library services"];
        article.extend_from_slice(&BODY_EN[..2]);
        article.push(line);
        article.extend_from_slice(&BODY_EN[2..]);
        let labels = labels_of(&article);
        assert_eq!(labels[3], "news", "{line:?} in the body -> {labels:?}");
        assert!(labels.iter().all(|l| l == "news"), "{labels:?}");
    }
}

/// "Follow" opens hundreds of inserts in the training data ("Follow live …", "Follow our
/// coverage …") and few body sentences; an instruction in the body must still stay. (A known
/// miss until the vocabulary stopped filling up with copies of the same lead-in n-grams.)
#[test]
fn follow_instructions_in_the_body_stays_news() {
    let mut article = vec!["City council approves budget with deep cuts to library services"];
    article.extend_from_slice(&BODY_EN[..2]);
    article.push("Follow the instructions on the form before sending it back to the council.");
    article.extend_from_slice(&BODY_EN[2..]);
    let labels = labels_of(&article);
    assert!(labels.iter().all(|l| l == "news"), "{labels:?}");
}

/// A sentence-case listicle headline ("Ten things we learned from the transfer window") reads
/// like a body sentence; the four-label model trained on real pages keeps it as news, a known
/// miss listed in docs/evaluation.md, so it is not asserted here.
#[test]
fn bare_headline_between_paragraphs_is_related() {
    assert_bare_headlines_are_related(&[
        "Heatwave warning issued for southern England as temperatures soar",
        "Apple unveils cheaper iPhone in bid to win back buyers",
    ]);
}

fn assert_bare_headlines_are_related(headlines: &[&str]) {
    for &headline in headlines {
        let mut article = vec!["City council approves budget with deep cuts to library services"];
        article.extend_from_slice(&BODY_EN[..2]);
        article.push(headline);
        article.extend_from_slice(&BODY_EN[2..]);
        let labels = labels_of(&article);
        assert_eq!(labels[3], "related", "{headline:?} -> {labels:?}");
        assert_eq!(
            labels.iter().filter(|l| *l == "news").count(),
            5,
            "{labels:?}"
        );
    }
}

#[test]
fn spanish_lee_tambien_insert_is_related() {
    let body = [
        "El Ayuntamiento aprobó el jueves el nuevo presupuesto tras un debate de más de seis horas, en el que la oposición advirtió de que los recortes en las bibliotecas afectarían a los barrios más pobres.",
        "Según los responsables municipales, el plan permitirá ahorrar unos 40 millones de euros en tres años, aunque varios economistas dudan de que sea posible sin cerrar centros vecinales.",
        "La alcaldesa defendió la decisión y aseguró que la ciudad no tenía otra opción tras dos años de caída de la recaudación y de aumento de los costes de la energía.",
    ];
    for insert in [
        "Lee también: El Gobierno aprueba la subida del salario mínimo para 2025",
        "Lee también:  Detienen a tres personas por el robo de un camión de aceite en Jaén",
        "LEE TAMBIÉN: La inflación se modera en noviembre por el abaratamiento de la luz",
    ] {
        let mut article =
            vec!["El Ayuntamiento aprueba un presupuesto con recortes en las bibliotecas"];
        article.extend_from_slice(&body[..2]);
        article.push(insert);
        article.push(body[2]);
        let labels = labels_of(&article);
        assert_eq!(labels[3], "related", "{insert:?} -> {labels:?}");
        assert!(
            labels
                .iter()
                .filter(|l| *l != "related")
                .all(|l| l == "news"),
            "{labels:?}"
        );
    }
}

#[test]
fn headline_and_subheadline_open_the_article_as_news() {
    let mut article = vec![
        "City council approves budget with deep cuts to library services",
        "Opposition warns poorer districts will be hit hardest",
    ];
    article.extend_from_slice(&BODY_EN);
    let labels = labels_of(&article);
    assert!(labels.iter().all(|l| l == "news"), "{labels:?}");
}
