//! Body hard negatives: synthetic `news` sentences that start with a related-link cue word,
//! their templates and fillers, and where they go in an article.
//!
//! The natural corpora have almost no `news` paragraph starting with "Read", "See", "Follow",
//! "Lee", "Sigue", ... (a few dozen, against thousands of inserts), so a model learns "starts with
//! a cue word => related". Real article bodies do contain such sentences ("Read the full judgment
//! on the court's website.", "Sigue abierta la investigación, informó la Fiscalía."). A seeded
//! share of the training articles gets one, built from templates x fillers so that what is
//! learnt is the shape (cue word, lower case, an ordinary verb phrase, terminal punctuation,
//! often an attribution) rather than a list of sentences. They are placed in the body: a body
//! paragraph is split at a sentence boundary and the sentence goes between the two halves, or it
//! goes between two news paragraphs; never first, never last.

use crate::ads::{EN_MONTHS, ES_MONTHS};
use crate::article::{has_smart_quotes, news, Article, Label, Lang, Para, FORBIDDEN};
use crate::text::{fnv1a, group_thousands, pick, smart_quotes};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};

/// Per mille of the English training articles (by a hash of the id) that get one synthetic body
/// sentence starting with a cue word.
pub const BODY_CUE_PER_MILLE_EN: u64 = 90;
/// The same for Spanish articles (a little higher: the Spanish part is smaller).
pub const BODY_CUE_PER_MILLE_ES: u64 = 120;
/// Share of those placed by splitting a body paragraph at a sentence boundary (the rest go in
/// between two news paragraphs, or are split when there is no such gap).
const P_BODY_CUE_SPLIT: f64 = 0.65;
/// Mixed into [`crate::SEED`] for the body-sentence generator's own random stream, so that adding it
/// leaves every other choice of the build as it was.
const BODY_CUE_SALT: u64 = 0x626f_6479_6375_6573;

/// The CLI hard-case lines (`tests/cli/hard_cases.rs`) and DESIGN.md's, and the shapes they were
/// written in (a regex): a generated body sentence of one of these shapes is drawn again, so that
/// the hard-case tests measure generalisation, not recall. `tests/data.rs` of the main crate reads
/// the same file and checks that no row of `train.csv` has one of these shapes.
pub fn test_line_shapes() -> &'static str {
    crate::text::data_lines(include_str!("../templates/test_line_shapes.txt"))
        .next()
        .expect("templates/test_line_shapes.txt: a regex")
}

/// A cue word (as counted in the statistics), its weight among its language's cue words, and
/// its sentence templates (`{key}` placeholders are filled by [`body_filler`]).
struct CueTemplates {
    cue: &'static str,
    weight: u32,
    templates: &'static [&'static str],
}

#[rustfmt::skip]
const EN_BODY_CUES: &[CueTemplates] = &[
    CueTemplates { cue: "Read", weight: 22, templates: &[
        "Read the full {doc} {where}.",
        "Read the {doc} in full {where}.",
        "Read {poss} {doc} {where}.",
        "Read together, the two {docs} suggest that {clause}.",
        "Read alongside last year's figures, the {data} point to {trend}.",
        "Read out in court, the {doc} described how {clause}.",
        "Read carefully, the {doc} leaves room for {loophole}, lawyers said.",
        "\"Read {fine_act},\" {person} {said}.",
    ] },
    CueTemplates { cue: "Read more about", weight: 4, templates: &[
        "Read more about how the {scheme} works {where}.",
        "Read more about the {topic} in the {doc} published on {day}.",
    ] },
    CueTemplates { cue: "See", weight: 16, templates: &[
        "See the {visual} below for {breakdown}.",
        "See the {visual} {where} for {breakdown}.",
        "See page {page} of the {doc} for {breakdown}.",
        "See the appendix for {breakdown}.",
        "\"See you in court,\" {person} told {audience}.",
        "\"See for yourself,\" {person} told reporters.",
    ] },
    CueTemplates { cue: "Follow", weight: 13, templates: &[
        "Follow {advice}, {attr_adv}.",
        "\"Follow {advice},\" {person} {said}.",
        "Follow-up {checks} are planned for {month}, {attr_adv}.",
        "\"Follow the money,\" {person} told {audience}.",
    ] },
    CueTemplates { cue: "Watch", weight: 10, templates: &[
        "Watch {event} in full {where_av}.",
        "Watch {person}'s {speech} {where_av}.",
        "\"Watch this space,\" {person} told reporters.",
        "Watch out for {hazard} {on_roads}, {attr_weather}.",
    ] },
    CueTemplates { cue: "Listen", weight: 6, templates: &[
        "Listen to the full interview {where_av}.",
        "Listen again to {programme} {where_audio}.",
        "\"Listen to {whom},\" {person} urged {audience}.",
    ] },
    CueTemplates { cue: "More", weight: 6, templates: &[
        "More than {big} {people} {were}, {attr_adv}.",
        "More details of the {doc} are expected {when}.",
        "More information about the {scheme} is available on {scheme_org}'s website.",
        "More work is needed before {goal}, {person} said.",
    ] },
    CueTemplates { cue: "Related", weight: 5, templates: &[
        "Related research {shows} that {clause}.",
        "Related charges against {few} other defendants were dropped in {month}.",
        "Related costs rose {pct}% to {amount} million, the company said.",
        "Related cases are being examined by {org}, officials said.",
    ] },
    CueTemplates { cue: "Also", weight: 6, templates: &[
        "Also on {day}, {also_did}.",
        "Also present at the {meeting} were {group}.",
        "Also among the {listed} was {someone}.",
    ] },
    CueTemplates { cue: "Check", weight: 7, templates: &[
        "Check {travel_org}'s website for the latest {updates} before travelling, {attr_adv}.",
        "\"Check on {vulnerable} during the cold snap,\" {person} urged.",
        "Check-in desks reopened at {hour} am, the airport said.",
        "Check your {check_what}, {attr_adv}.",
    ] },
    CueTemplates { cue: "Don't miss", weight: 2, templates: &[
        "\"Don't miss your appointment,\" {person} urged patients.",
        "Don't miss the {month} {dom} deadline, {deadline_org} warned {deadline_group}.",
    ] },
];

#[rustfmt::skip]
const ES_BODY_CUES: &[CueTemplates] = &[
    CueTemplates { cue: "Lee", weight: 15, templates: &[
        "Lee el {doc_m} completo {donde}.",
        "Lee la {doc_f} completa {donde}.",
        "\"Lee bien {cosa} antes de {accion}\", {aconsejo} {persona}.",
    ] },
    CueTemplates { cue: "Lea", weight: 15, templates: &[
        "Lea el {doc_m} íntegro {donde}.",
        "Lea la {doc_f} íntegra {donde}.",
        "Lea aquí el {doc_m} íntegro.",
        "Lea aquí la {doc_f} íntegra.",
        "\"Lea las instrucciones antes de {accion}\", recomendó {org_emerg}.",
    ] },
    CueTemplates { cue: "Leer", weight: 8, templates: &[
        "Leer la {doc_f} completa ayuda a entender por qué {clausula}, explicó {persona}.",
        "Leer el {doc_m} lleva apenas unos minutos, pero sus conclusiones son contundentes.",
        "Leer en voz alta a los niños mejora su vocabulario, según un estudio de {org_estudio}.",
    ] },
    CueTemplates { cue: "Mira", weight: 10, templates: &[
        "Mira el video completo de {evento} en el canal de {canal}.",
        "Mira la rueda de prensa íntegra de {persona} en el canal de {canal}.",
        "\"Mira lo que hicieron con el dinero\", reprochó {persona}.",
    ] },
    CueTemplates { cue: "Sigue", weight: 16, templates: &[
        "Sigue las indicaciones de {org_emerg}, pidió {persona}.",
        "Sigue abierta la investigación sobre {asunto}, informó {org_inv}.",
        "Sigue sin conocerse el paradero de {desaparecido}, según {org_inv}.",
        "Sigue en marcha el operativo de búsqueda en {lugar}, según {org_emerg}.",
        "Sigue vigente la alerta {color} por {fenomeno} en {pocos} provincias, informó {org_tiempo}.",
    ] },
    CueTemplates { cue: "Siga", weight: 10, templates: &[
        "Siga las recomendaciones de {org_emerg}, insistió {persona}.",
        "\"Siga las instrucciones del personal de emergencias\", indicaba el aviso difundido por {org_emerg}.",
    ] },
    CueTemplates { cue: "Ver", weight: 12, templates: &[
        "Ver el {visual_m} adjunto para los datos por {unidad}.",
        "Ver la tabla adjunta para el desglose por {unidad}.",
        "Ver a los {grupo} regresar a {sitio} fue un alivio, dijo {persona}.",
        "Ver la página {page} del {doc_m} para el desglose por {unidad}.",
    ] },
    CueTemplates { cue: "Más", weight: 12, templates: &[
        "Más de {big_es} personas {predicado}, según {fuente}.",
        "Más información sobre {tema} estará disponible en la web de {org} a partir del {dom} de {mes}.",
        "Más tarde, {mas_tarde}.",
    ] },
];

/// One filler for a `{key}` placeholder of a body-sentence template (fillers may hold
/// placeholders themselves); `None` for an unknown key. Spanish `{org}` comes from
/// [`ES_BODY_ORGS`] instead (see [`body_fill`]).
#[rustfmt::skip]
fn body_filler(rng: &mut ChaCha8Rng, key: &str) -> Option<String> {
    let list: &[&str] = match key {
        // Numbers and dates.
        "page" => return Some(rng.gen_range(2..=60).to_string()),
        "few" => return Some(rng.gen_range(2..=9).to_string()),
        "pocos" => return Some(rng.gen_range(3..=14).to_string()),
        "pct" => return Some(rng.gen_range(2..=45).to_string()),
        "amount" => return Some(rng.gen_range(2..=900).to_string()),
        "hour" => return Some(rng.gen_range(5..=11).to_string()),
        "dom" => return Some(rng.gen_range(1..=28).to_string()),
        "big" => return Some(group_thousands(*pick(rng, &[40, 60, 120, 200, 300, 450, 600, 1000, 1200, 2500, 5000, 12000]), ",")),
        "big_es" => return Some(group_thousands(*pick(rng, &[40, 60, 120, 200, 300, 450, 600, 1000, 1200, 2500, 5000, 12000]), ".")),
        "month" => return Some(pick(rng, &EN_MONTHS).to_string()),
        "mes" => return Some(pick(rng, &ES_MONTHS).to_string()),
        "day" => &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        // English.
        "doc" => &["judgment", "ruling", "letter", "transcript", "decision", "indictment", "guidance",
            "consultation paper", "audit", "review", "findings", "submission", "opinion", "minutes",
            "white paper", "charge sheet", "speech", "text of the agreement", "report", "statement",
            "inquiry's conclusions", "resignation letter", "court filing", "budget documents",
            "inspection report", "policy paper"],
        "docs" => &["reports", "rulings", "letters", "studies", "surveys", "documents", "statements"],
        "poss" => &["the judge's", "the minister's", "her", "his", "the union's", "the company's",
            "the coroner's", "the inspectors'", "the committee's", "the regulator's", "the bishop's"],
        "where" => &["below", "above", "online", "on {org}'s website", "on the website of {org}",
            "in the appendix", "in the annex to the {doc}", "on page {page}", "in the box alongside this article",
            "on the court's website", "in the parliamentary record"],
        "org" => &["the Supreme Court", "the High Court", "the Court of Appeal", "the Treasury",
            "the Home Office", "the Department of Health", "the European Commission",
            "the World Health Organization", "the Bank of England", "the Federal Reserve",
            "the Met Office", "the Environment Agency", "the Electoral Commission",
            "the Office for National Statistics", "the United Nations", "the IMF", "the OECD",
            "the Food Standards Agency", "the Foreign Office", "Ofcom",
            "the Competition and Markets Authority", "the Securities and Exchange Commission",
            "the National Transportation Safety Board", "the Health and Safety Executive",
            "the Civil Aviation Authority", "the Charity Commission"],
        "data" => &["figures", "numbers", "data", "results", "statistics"],
        "trend" => &["a sharp fall in demand", "a slow recovery", "a widening gap between regions",
            "the first rise in five years", "a steady decline in visitor numbers"],
        "clause" => &["the economy slowed more sharply than expected", "officials knew about the problem for years",
            "the two sides are close to a deal", "the cuts will fall hardest on rural areas",
            "demand for housing is cooling", "the project is running behind schedule",
            "the rules were not properly enforced", "the number of cases has peaked",
            "the company misled investors", "the warnings were ignored",
            "the hospital had too few nurses on duty"],
        "loophole" => &["interpretation", "an appeal", "further talks", "exemptions", "a second vote"],
        "fine_act" => &["the small print before you sign anything", "the contract before signing",
            "the terms before you agree to anything", "the label before taking the medicine",
            "the letter carefully before replying", "the conditions before paying anything"],
        "person" => &["the minister", "the judge", "the prime minister", "the chief executive",
            "the head teacher", "the coroner", "the chief constable", "the union leader", "the mayor",
            "the health secretary", "the chairman", "her lawyer", "the prosecutor", "the coach",
            "a senior doctor", "the fire chief"],
        "said" => &["said", "told reporters", "said on Tuesday", "told the BBC", "added", "warned", "said in a statement"],
        "scheme" => &["scheme", "new system", "grant", "pension change", "loan programme", "tax credit", "recycling plan"],
        "topic" => &["proposals", "changes", "new rules", "investigation", "findings", "merger", "reforms"],
        "visual" => &["chart", "graph", "map", "graphic", "timeline", "diagram", "figures", "table"],
        "breakdown" => &["the regional breakdown", "the figures by age group", "a breakdown by region",
            "how each constituency voted", "the main dates in the case", "the route of the march",
            "the changes since 2010", "how prices have moved this year", "the number of cases in each area",
            "the full list of schools affected", "how the money will be spent", "the list of roads closed",
            "the timetable of the works"],
        "audience" => &["the jury", "reporters", "MPs", "the committee", "the inquiry", "the hearing",
            "the conference", "delegates", "shareholders", "the tribunal"],
        "advice" => &["the signs to the evacuation centre", "the diversions around the closed section of the motorway",
            "the advice of the emergency services", "the guidance issued by {advice_org}",
            "the directions of officers at the scene", "the marked route through the town centre",
            "the lifeguards' instructions at all times", "the evacuation orders", "the official advice on travel",
            "the recommendations of {advice_org}", "the rules on hand washing", "the one-way system inside the building",
            "the advice of your doctor"],
        "attr_adv" => &["police said", "the fire service said", "the coastguard said", "the health board said",
            "officials said", "a spokesperson said", "the emergency services said", "the ambulance service said",
            "the agency said in a statement", "the mayor urged residents", "organisers said", "officials urged"],
        "attr_weather" => &["the Met Office said", "forecasters warned", "police said", "the Environment Agency said",
            "the highways agency said", "the AA said"],
        "advice_org" => &["the Met Office", "the World Health Organization", "the Food Standards Agency",
            "the health authorities", "the Foreign Office", "the police"],
        "scheme_org" => &["the Treasury", "HM Revenue and Customs", "the Department for Work and Pensions",
            "the Department for Education", "the Department of Health", "the Scottish government"],
        "travel_org" => &["the Foreign Office", "the Met Office", "the airline", "the rail operator",
            "National Highways", "the Civil Aviation Authority", "the ferry company"],
        "deadline_org" => &["HM Revenue and Customs", "the Electoral Commission", "the tax office",
            "the Department for Education", "the Passport Office"],
        "deadline_group" => &["taxpayers", "voters", "parents", "applicants", "small businesses", "the self-employed"],
        "also_did" => &["the Bank of England raised interest rates", "the regulator announced new fines",
            "the Treasury published its spending plans", "the Met Office issued a fresh warning",
            "the Supreme Court rejected the appeal", "the European Commission opened an investigation",
            "the club confirmed the appointment of a new manager", "the company named a new chief executive",
            "the Office for National Statistics revised its growth figures"],
        "check_what" => &["tyres before setting off", "smoke alarms when the clocks go back",
            "passport's expiry date before booking", "bank statements for unfamiliar payments",
            "tickets before travelling", "boiler before the winter", "pension statement every year"],
        "checks" => &["inspections", "tests", "interviews", "visits", "hearings", "surveys", "scans"],
        "event" => &["the press conference", "the debate", "the hearing", "the minister's statement",
            "the launch", "the ceremony", "the committee session", "prime minister's questions", "the briefing"],
        "speech" => &["speech", "statement to parliament", "address", "evidence to the committee", "interview"],
        "where_av" => &["on the parliament channel", "above", "in the video above", "on the court's YouTube channel",
            "on {org}'s website", "on BBC iPlayer", "online"],
        "where_audio" => &["on BBC Sounds", "on the station's website", "online", "on the podcast feed"],
        "programme" => &["the Today programme", "Radio 4's World at One", "the debate", "the phone-in",
            "the programme", "the full broadcast"],
        "whom" => &["the patients", "the families", "the teachers", "the people of this city",
            "the evidence", "the scientists", "the victims"],
        "hazard" => &["black ice", "flooding", "falling branches", "fog patches", "debris", "loose tiles"],
        "on_roads" => &["on untreated roads", "on the coast road", "in low-lying areas", "on rural routes",
            "near rivers", "in exposed places"],
        "people" => &["people", "residents", "passengers", "workers", "students", "fans", "patients"],
        "were" => &["were evacuated", "were left stranded overnight", "have signed the petition",
            "attended the vigil", "were affected", "took part in the protest", "were treated in hospital"],
        "when" => &["next week", "in the spring", "on Thursday", "later this month", "when parliament returns",
            "before the summer", "in the autumn statement"],
        "goal" => &["the bridge can reopen", "the school is safe", "the deal is signed", "the ban is lifted",
            "patients see a difference"],
        "shows" => &["shows", "has found", "suggests", "indicates", "published last year found"],
        "meeting" => &["meeting", "talks", "funeral", "ceremony", "hearing", "summit"],
        "group" => &["senior officials from both countries", "the families of the victims", "several former ministers",
            "representatives of the unions", "local residents", "taxpayers", "small businesses"],
        "listed" => &["dead", "injured", "winners", "candidates", "new appointments", "people honoured"],
        "someone" => &["a retired teacher", "a local councillor's son", "a former international", "a 17-year-old student",
            "the company's founder"],
        "updates" => &["updates", "travel advice", "information", "timetables", "closures"],
        "vulnerable" => &["elderly neighbours", "vulnerable relatives", "people living alone", "older friends"],
        // Spanish.
        "doc_m" => &["comunicado", "informe", "auto", "fallo", "dictamen", "documento", "discurso",
            "decreto", "acuerdo", "escrito", "manifiesto", "reglamento", "protocolo", "expediente"],
        "doc_f" => &["sentencia", "carta", "resolución", "transcripción", "denuncia", "querella",
            "declaración", "propuesta", "circular", "iniciativa", "auditoría", "entrevista"],
        "donde" => &["en la web de {org}", "en la página web de {org}", "más abajo", "en el documento adjunto",
            "en el Boletín Oficial del Estado", "en el Diario Oficial de la Federación", "en la web del tribunal",
            "en el anexo de esta información"],
        "persona" => &["el alcalde", "la alcaldesa", "la ministra", "el juez", "la fiscal",
            "el portavoz del Gobierno", "la presidenta de la asociación", "el director del hospital",
            "el gobernador", "la consejera de Sanidad", "el jefe de bomberos", "la abogada de la familia"],
        "cosa" => &["la letra pequeña", "el contrato", "las condiciones", "la factura"],
        "accion" => &["firmar", "pagar", "aceptar la oferta", "rellenar el formulario", "tomar el medicamento"],
        "aconsejo" => &["advirtió", "aconsejó", "recomendó", "insistió"],
        "clausula" => &["el tribunal rechazó el recurso", "la obra se retrasó dos años", "las cuentas no cuadran",
            "el acuerdo fracasó", "la empresa fue sancionada"],
        "evento" => &["la rueda de prensa", "el debate", "la sesión de control", "la comparecencia del ministro",
            "la audiencia", "el pleno"],
        "asunto" => &["el incendio de la fábrica", "la desaparición de los fondos", "el accidente del autobús",
            "las irregularidades en la licitación", "el derrumbe del edificio", "la muerte del joven",
            "el robo en el museo"],
        "desaparecido" => &["los dos excursionistas", "el pescador desaparecido el domingo", "la menor",
            "el conductor del camión"],
        "lugar" => &["la sierra", "la costa", "el río", "la zona del derrumbe", "el parque nacional"],
        "color" => &["amarilla", "naranja", "roja"],
        "fenomeno" => &["lluvias", "calor", "viento", "nevadas", "oleaje"],
        "visual_m" => &["gráfico", "mapa", "cuadro"],
        "unidad" => &["provincia", "comunidad", "estado", "municipio", "grupo de edad", "sector"],
        "grupo" => &["niños", "vecinos", "trabajadores", "alumnos", "pacientes"],
        "sitio" => &["sus casas", "las aulas", "la fábrica", "el barrio"],
        "predicado" => &["fueron evacuadas", "se quedaron sin luz", "firmaron la petición",
            "participaron en la marcha", "resultaron heridas", "fueron atendidas en el hospital"],
        "tema" => &["las ayudas", "el nuevo calendario", "la convocatoria", "los cortes de tráfico",
            "el programa de vacunación"],
        "mas_tarde" => &["la Policía Nacional confirmó la detención de dos sospechosos",
            "el INE publicó las cifras definitivas", "la Fiscalía anunció un recurso",
            "el Ayuntamiento rectificó su versión inicial", "el Ministerio de Sanidad actualizó el balance de heridos",
            "la empresa emitió un comunicado"],
        "org_emerg" => &["Protección Civil", "la Guardia Civil", "la AEMET", "la Cruz Roja", "los bomberos",
            "las autoridades sanitarias", "el Ayuntamiento"],
        "org_inv" => &["la Fiscalía", "la Policía Nacional", "la Guardia Civil", "la Procuraduría",
            "los Mossos d'Esquadra", "la Policía Federal"],
        "org_tiempo" => &["la AEMET", "el Servicio Meteorológico Nacional", "Protección Civil"],
        "org_estudio" => &["la Universidad de Salamanca", "la UNAM", "el CSIC", "la Universidad Complutense",
            "el Ministerio de Educación", "la OCDE"],
        "canal" => &["el Congreso", "el Senado", "la Presidencia", "la Cámara de Diputados", "el Ayuntamiento",
            "el tribunal"],
        "fuente" => &["Protección Civil", "la Cruz Roja", "los organizadores", "la policía",
            "las autoridades locales", "la Delegación del Gobierno"],
        _ => return None,
    };
    Some(pick(rng, list).to_string())
}

#[rustfmt::skip]
const ES_BODY_ORGS: &[&str] = &[
    "el Ministerio de Sanidad", "la Fiscalía General", "el Tribunal Supremo", "la Secretaría de Salud",
    "el Banco de España", "el Ayuntamiento", "la Comisión Europea", "la Suprema Corte",
    "la Secretaría de Hacienda", "el Banco de México", "la Junta de Andalucía", "el Congreso",
    "el Senado", "la Audiencia Nacional", "el Tribunal Constitucional", "la Presidencia",
];

/// Fills a body-sentence template; `Err` names an unknown placeholder.
fn body_fill(rng: &mut ChaCha8Rng, template: &str, lang: Lang) -> Result<String, String> {
    let mut s = template.to_string();
    for _ in 0..32 {
        let Some(start) = s.find('{') else {
            break;
        };
        let Some(len) = s[start..].find('}') else {
            break;
        };
        let key = s[start + 1..start + len].to_string();
        let value = if key == "org" && lang == Lang::Es {
            pick(rng, ES_BODY_ORGS).to_string()
        } else {
            body_filler(rng, &key)
                .ok_or_else(|| format!("body-sentence template {template:?}: unknown {{{key}}}"))?
        };
        s.replace_range(start..start + len + 1, &value);
    }
    if s.contains(['{', '}']) {
        return Err(format!("body-sentence template {template:?}: left {s:?}"));
    }
    // Grammar the fillers cannot know: "de el" contracts, "Customs's" is "Customs'".
    s = if lang == Lang::Es {
        s.replace(" de el ", " del ").replace(" a el ", " al ")
    } else {
        s.replace("s's ", "s' ")
    };
    Ok(s)
}

/// One body sentence in `lang`, and its cue word.
fn body_cue_sentence(rng: &mut ChaCha8Rng, lang: Lang) -> Result<(&'static str, String), String> {
    let cues = if lang == Lang::Es {
        ES_BODY_CUES
    } else {
        EN_BODY_CUES
    };
    let total: u32 = cues.iter().map(|c| c.weight).sum();
    let mut r = rng.gen_range(0..total);
    let mut chosen = &cues[0];
    for c in cues {
        if r < c.weight {
            chosen = c;
            break;
        }
        r -= c.weight;
    }
    let template = *pick(rng, chosen.templates);
    Ok((chosen.cue, body_fill(rng, template, lang)?))
}

/// Byte ranges `(end of the left sentence, start of the right one)` where `text` may be split
/// into two sentences: after `.`, `!` or `?` (and a closing quote), before a capital, with at
/// least 50 characters on the left and 30 on the right, not after an abbreviation or initial.
fn sentence_boundaries(text: &str, re: &Regex) -> Vec<(usize, usize)> {
    const ABBREV: &[&str] = &[
        "Inc", "Corp", "Ltd", "Sra", "Gov", "Sen", "Rep", "Capt", "Prof", "Dña", "Gral", "Lic",
        "Ing", "etc", "vs", "approx", "Col", "Gen", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov",
        "Dec",
    ];
    let mut out = Vec::new();
    for caps in re.captures_iter(text) {
        let (Some(punct), Some(next)) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        let left = &text[..punct.end()];
        let right = &text[next.start()..];
        if left.chars().count() < 50 || right.chars().count() < 30 {
            continue;
        }
        let last = text[..punct.start()].rsplit(' ').next().unwrap_or("");
        let word = last.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
        let short_capital =
            word.chars().count() <= 3 && word.chars().next().is_some_and(char::is_uppercase);
        if word.is_empty() || word.contains('.') || short_capital || ABBREV.contains(&word) {
            continue;
        }
        out.push((punct.end(), next.start()));
    }
    out
}

/// What [`add_body_cues`] did, for the statistics.
#[derive(Default)]
pub struct BodyCues {
    /// Sentences per (language, cue word).
    pub by_cue: BTreeMap<(&'static str, &'static str), usize>,
    /// Placed by splitting a body paragraph.
    pub split: usize,
    /// Placed between two news paragraphs.
    pub between: usize,
    /// Chosen articles with no place for one (no body paragraph to split, no gap).
    pub no_place: usize,
    /// Sentences drawn again (already a text of the corpus, or of a test line's shape).
    pub redrawn: usize,
    /// The sentences.
    pub texts: BTreeSet<String>,
}

/// Adds one synthetic body sentence starting with a cue word to a hash-chosen share of the woven
/// training articles (see the module docs). `taken` holds every text of the corpus
/// (news, inserts and ads of train and samples): a sentence is never one of them.
pub fn add_body_cues(
    woven: &mut [(usize, Vec<Para>)],
    all: &[Article],
    taken: &dyn Fn(&str) -> bool,
    seed: u64,
) -> Result<BodyCues, String> {
    let shapes = Regex::new(test_line_shapes()).expect("static regex");
    let boundary = Regex::new(r#"([.!?]["”’»]?)\s+(["“«¿¡]?[A-ZÁÉÍÓÚÑ])"#).expect("static regex");
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ BODY_CUE_SALT);
    let mut out = BodyCues::default();
    for (i, paras) in woven.iter_mut() {
        let a = &all[*i];
        let per_mille = match a.lang {
            Lang::En => BODY_CUE_PER_MILLE_EN,
            Lang::Es => BODY_CUE_PER_MILLE_ES,
            Lang::Pt => continue,
        };
        if fnv1a(&format!("body-cue:{}", a.id)) % 1000 >= per_mille {
            continue;
        }
        // Body paragraphs that can be split, and gaps between two news paragraphs (not right
        // after the headline).
        let splits: Vec<(usize, Vec<(usize, usize)>)> = (1..paras.len())
            .filter(|&j| paras[j].label == Label::News)
            .map(|j| (j, sentence_boundaries(&paras[j].text, &boundary)))
            .filter(|(_, b)| !b.is_empty())
            .collect();
        let gaps: Vec<usize> = (2..paras.len())
            .filter(|&j| paras[j - 1].label == Label::News && paras[j].label == Label::News)
            .collect();
        let split = match (splits.is_empty(), gaps.is_empty()) {
            (true, true) => {
                out.no_place += 1;
                continue;
            }
            (false, true) => true,
            (true, false) => false,
            (false, false) => rng.gen_bool(P_BODY_CUE_SPLIT),
        };
        let mut sentence = None;
        for _ in 0..50 {
            let (cue, s) = body_cue_sentence(&mut rng, a.lang)?;
            let s = if has_smart_quotes(a) {
                smart_quotes(&s)
            } else {
                s
            };
            if taken(&s)
                || out.texts.contains(&s)
                || FORBIDDEN.contains(&s.as_str())
                || shapes.is_match(&s)
            {
                out.redrawn += 1;
                continue;
            }
            sentence = Some((cue, s));
            break;
        }
        let Some((cue, s)) = sentence else {
            return Err(format!("{}: no new body sentence in 50 draws", a.id));
        };
        if split {
            let (j, bounds) = pick(&mut rng, &splits);
            let (left_end, right_start) = *pick(&mut rng, bounds);
            let text = paras[*j].text.clone();
            let left = news(text[..left_end].trim().to_string());
            let right = news(text[right_start..].trim().to_string());
            paras.splice(*j..=*j, [left, news(s.clone()), right]);
            out.split += 1;
        } else {
            let j = *pick(&mut rng, &gaps);
            paras.insert(j, news(s.clone()));
            out.between += 1;
        }
        *out.by_cue.entry((a.lang.code(), cue)).or_default() += 1;
        out.texts.insert(s);
    }
    Ok(out)
}
