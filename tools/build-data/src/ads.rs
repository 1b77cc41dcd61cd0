//! Generated gambling ad lines: list titles, brand lines, offers, ratings, calls to action and
//! disclaimers.

use crate::article::Lang;
use crate::text::{capitalise_first, group_thousands, pick};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Bookmaker and casino brands (real ones; BetMGM is deliberately absent: the seed test article
/// uses it, so the test shows generalisation to an unseen brand).
#[rustfmt::skip]
pub const BRANDS: &[&str] = &[
    "Bet365", "bet365", "William Hill", "Betway", "Paddy Power", "Betfair", "Ladbrokes", "Coral",
    "Unibet", "888casino", "888sport", "LeoVegas", "Betsson", "bwin", "DraftKings", "FanDuel",
    "Caesars Sportsbook", "PointsBet", "PokerStars", "Codere", "Caliente", "Sportium", "Luckia",
    "Betfred", "Sky Bet", "Mr Green", "Casumo", "Stake", "Stake.com", "BetVictor", "BoyleSports",
    "Betano", "1xBet", "Bodog", "Betsafe", "NordicBet", "Interwetten", "Tipico", "bet-at-home",
    "Marathonbet", "Pinnacle", "BetRivers", "WynnBET", "Hard Rock Bet", "ESPN BET",
    "Fanatics Sportsbook", "Borgata", "Golden Nugget Casino", "PartyCasino", "partypoker",
    "Grosvenor Casino", "Virgin Bet", "Betclic", "Winamax", "Retabet", "Kirolbet",
    "Marca Apuestas", "Betcris", "Rushbet", "Wplay", "BetPlay", "Strendus", "Playdoit", "Big Bola",
    "Winpot", "Novibet", "Betwarrior", "Jackpot City", "Spin Casino", "Royal Panda", "Wildz",
    "Videoslots", "Rizk", "Betmotion", "NetBet", "Genting Casino", "Bally Bet", "Roobet",
    "BC.Game", "Cloudbet", "Sportingbet", "KTO", "Superbet", "Fortuna", "STS", "Bet9ja",
    "SportyBet", "Betika", "Hollywoodbets", "Sportsbet", "TAB", "Neds", "Ignition", "BetOnline",
    "Bovada", "MyBookie", "Betsson Casino", "Codere Casino", "Caliente.mx", "Yajuego", "Zamba",
    "Betsala", "Rivalo", "Dafabet", "Parimatch", "Mostbet", "22Bet", "Melbet", "Betboo", "Bet777",
    "Casino Barcelona", "Casino Gran Madrid", "Sisal", "Snai", "Lottomatica", "Eurobet", "Goldbet",
];

#[rustfmt::skip]
pub const GAMES: &[&str] = &[
    "Book of Dead", "Starburst", "Gates of Olympus", "Sweet Bonanza", "Big Bass Bonanza",
    "Gonzo's Quest", "Mega Moolah", "Wolf Gold", "Aviator", "Sugar Rush", "Razor Shark",
    "Fire Joker", "Reactoonz", "Book of Ra", "Legacy of Dead", "Dead or Alive 2",
];

#[rustfmt::skip]
pub const TEAMS: &[&str] = &[
    "Arsenal", "Liverpool", "Man City", "Chelsea", "Real Madrid", "Barcelona", "América", "Chivas",
    "Boca Juniors", "River Plate", "Lakers", "Chiefs", "Yankees", "PSG", "Bayern", "Juventus",
    "Cruz Azul", "Tigres", "Atlético", "Man Utd", "Celtics", "Dodgers", "Pumas",
];

#[rustfmt::skip]
pub const EN_MONTHS: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
];
#[rustfmt::skip]
pub const ES_MONTHS: [&str; 12] = [
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
    "octubre", "noviembre", "diciembre",
];
#[rustfmt::skip]
pub const EN_COUNTRIES: &[&str] = &[
    "the UK", "UK", "Ireland", "Canada", "the US", "New Jersey", "Ontario", "Australia", "India",
    "Nigeria", "South Africa", "New Zealand", "Pennsylvania", "Michigan", "Kenya",
];
#[rustfmt::skip]
pub const ES_COUNTRIES: &[&str] = &[
    "México", "España", "Argentina", "Colombia", "Chile", "Perú", "Ecuador", "Uruguay",
];

pub fn ad_date(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    let y = rng.gen_range(2012..=2026);
    let m = rng.gen_range(0..12);
    let d = rng.gen_range(1..=28);
    match lang {
        Lang::En => match rng.gen_range(0..10) {
            0..=2 => format!("{} {d} {y}", EN_MONTHS[m]),
            3 => format!("{} {d}, {y}", EN_MONTHS[m]),
            4 => format!("{d} {} {y}", EN_MONTHS[m]),
            5 => format!("{d:02}/{:02}/{y}", m + 1),
            6 => format!("{:02}/{d:02}/{y}", m + 1),
            7 => format!("{}. {y}", &EN_MONTHS[m][..3]),
            8 => format!("{} {y}", EN_MONTHS[m]),
            _ => format!("{y}-{:02}-{d:02}", m + 1),
        },
        _ => match rng.gen_range(0..7) {
            0..=2 => format!("{d} de {} de {y}", ES_MONTHS[m]),
            3 => format!("{d:02}/{:02}/{y}", m + 1),
            4 => format!("{} {y}", capitalise_first(ES_MONTHS[m])),
            5 => format!("{} de {y}", ES_MONTHS[m]),
            _ => format!("{d} {} {y}", ES_MONTHS[m]),
        },
    }
}

pub fn month_year(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    let y = rng.gen_range(2012..=2026);
    let m = rng.gen_range(0..12);
    match lang {
        Lang::En => format!("{} {y}", EN_MONTHS[m]),
        _ => format!("{} {y}", capitalise_first(ES_MONTHS[m])),
    }
}

/// A currency as one ad line writes it; every amount of a line uses the same one.
#[derive(Clone, Copy)]
pub struct Currency {
    prefix: &'static str,
    suffix: &'static str,
    sep: &'static str,
    /// Amounts in coins ("1 BTC"), not in thousands.
    crypto: bool,
    /// Multiplies the amounts (pesos: a $500 stake is a small one).
    scale: u32,
}

impl Currency {
    pub fn pick(rng: &mut ChaCha8Rng, lang: Lang) -> Currency {
        let c = |prefix, suffix, sep, scale| Currency {
            prefix,
            suffix,
            sep,
            crypto: false,
            scale,
        };
        let crypto = Currency {
            prefix: "",
            suffix: " BTC",
            sep: "",
            crypto: true,
            scale: 1,
        };
        let en_sep = if rng.gen_bool(0.75) { "," } else { "" };
        let es_sep = match rng.gen_range(0..10) {
            0..=4 => ".",
            5..=8 => ",",
            _ => "",
        };
        match lang {
            Lang::En => match rng.gen_range(0..20) {
                0..=5 => c("£", "", en_sep, 1),
                6..=10 => c("$", "", en_sep, 1),
                11..=14 => c("€", "", en_sep, 1),
                15 => c("C$", "", en_sep, 1),
                16 => c("A$", "", en_sep, 1),
                17 => c("₹", "", en_sep, 50),
                18 => crypto,
                _ => c("", " USDT", en_sep, 1),
            },
            _ => match rng.gen_range(0..20) {
                0..=6 => c("$", " MXN", es_sep, 20),
                7..=10 => c("", " €", es_sep, 1),
                11..=12 => c("€", "", es_sep, 1),
                13..=14 => c("$", " ARS", es_sep, 100),
                15 => c("$", " COP", es_sep, 1000),
                16 => c("S/ ", "", es_sep, 4),
                17 => c("", " USD", es_sep, 1),
                18 => c("$", "", es_sep, 20),
                _ => Currency {
                    suffix: " BTC",
                    ..crypto
                },
            },
        }
    }

    pub fn format(&self, v: u32) -> String {
        format!(
            "{}{}{}",
            self.prefix,
            group_thousands(v * self.scale, self.sep),
            self.suffix
        )
    }

    /// A bonus amount ("up to £500").
    pub fn bonus(&self, rng: &mut ChaCha8Rng) -> String {
        if self.crypto {
            return format!(
                "{}{}",
                pick(rng, &["0.5", "1", "1.5", "2", "3", "5"]),
                self.suffix
            );
        }
        self.format(*pick(
            rng,
            &[
                50, 100, 150, 200, 250, 300, 500, 750, 1000, 1500, 2000, 2500, 5000,
            ],
        ))
    }

    /// A stake and what it earns ("Bet £10, get £30").
    pub fn stake_and_reward(&self, rng: &mut ChaCha8Rng) -> (String, String) {
        if self.crypto {
            return (
                format!("0.01{}", self.suffix),
                format!("0.05{}", self.suffix),
            );
        }
        let stake = *pick(rng, &[5, 10, 10, 20, 25, 50]);
        let reward = stake * *pick(rng, &[2, 3, 4, 5, 6, 10, 20]);
        (self.format(stake), self.format(reward))
    }
}

pub fn promo_code(rng: &mut ChaCha8Rng) -> String {
    const PREFIX: &[&str] = &[
        "BONUS", "WELCOME", "SPIN", "BET", "VIP", "MAX", "GOLD", "NEW", "PLAY", "APUESTA", "BONO",
        "GIROS", "FREE", "KING", "ACE",
    ];
    format!(
        "{}{}",
        pick(rng, PREFIX),
        pick(rng, &[10, 20, 25, 50, 100, 200, 250, 365, 500])
    )
}

pub fn odds(rng: &mut ChaCha8Rng) -> String {
    match rng.gen_range(0..3) {
        0 => format!("{}/{}", rng.gen_range(2..=20), pick(rng, &[1, 2, 4])),
        1 => format!(
            "{}.{:02}",
            rng.gen_range(1..=12),
            pick(rng, &[10, 25, 50, 75, 80, 90])
        ),
        _ => format!("+{}", rng.gen_range(11..=60) * 10),
    }
}

pub fn rating(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    let r = rng.gen_range(38..=50);
    let (int, dec) = (r / 10, r % 10);
    let stars = "★".repeat(((r + 5) / 10) as usize) + &"☆".repeat(5 - ((r + 5) / 10) as usize);
    match lang {
        Lang::En => match rng.gen_range(0..7) {
            0 => format!("{int}.{dec}/5"),
            1 => format!("Rating: {int}.{dec}/5"),
            2 => format!("{}.{}/10", rng.gen_range(8..=9), rng.gen_range(0..=9)),
            3 => "★★★★★".to_string(),
            4 => format!("{stars} {int}.{dec}"),
            5 => format!("Score: {}/100", rng.gen_range(80..=99)),
            _ => format!("⭐ {int}.{dec}"),
        },
        _ => match rng.gen_range(0..6) {
            0 => format!("{int},{dec}/5"),
            1 => format!("Valoración: {int},{dec}/5"),
            2 => format!(
                "Puntuación: {},{}/10",
                rng.gen_range(8..=9),
                rng.gen_range(0..=9)
            ),
            3 => "★★★★★".to_string(),
            4 => format!("{stars} ({int},{dec})"),
            _ => format!("Nota: {int},{dec} de 5"),
        },
    }
}

pub fn cta(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    #[rustfmt::skip]
    const EN: &[&str] = &[
        "Claim bonus", "Claim Bonus", "CLAIM NOW", "Play now", "Play Now", "Bet now", "Get offer",
        "Get Bonus", "Visit site", "Join now", "Sign up", "Claim offer ›", "Visit Casino",
        "Bet Now →", "Get Started", "PLAY NOW", "Claim Free Bets", "Get the offer", "Spin now",
    ];
    #[rustfmt::skip]
    const ES: &[&str] = &[
        "Reclamar bono", "Reclamar Bono", "Apostar ahora", "Jugar ahora", "Obtener bono",
        "Visitar casino", "Regístrate", "¡Apuesta ya!", "Ir a la web", "Conseguir bono",
        "Jugar ya", "APOSTAR", "Obtener Bono", "Quiero mi bono", "Ver oferta",
    ];
    pick(rng, if lang == Lang::En { EN } else { ES }).to_string()
}

pub fn disclaimer(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    #[rustfmt::skip]
    const EN: &[&str] = &[
        "18+ | T&Cs apply | BeGambleAware.org", "18+. New customers only. T&Cs apply.",
        "18+ T&Cs apply. Please gamble responsibly.", "Gambling problem? Call 1-800-GAMBLER.",
        "21+. Gambling problem? Call 1-800-GAMBLER. Terms apply.",
        "When the fun stops, stop. BeGambleAware.org", "Play responsibly. 18+ only.",
        "#ad 18+ | Gamble responsibly", "Ad | 18+ | Commercial content",
        "Please gamble responsibly. GambleAware.org", "19+ Ontario only. Please play responsibly.",
        "18+ | Play Responsibly | GamCare", "Advertisement", "Sponsored",
        "T&Cs apply. 18+ only. Please gamble responsibly.",
        "New players only. Wagering requirements apply. Full T&Cs apply.",
        "Take time to think. BeGambleAware.org | 18+", "18+ GambleAware.org #ad",
    ];
    #[rustfmt::skip]
    const ES: &[&str] = &[
        "Juega con responsabilidad. +18", "+18 | Juega con responsabilidad | Aplican T&C",
        "Juego responsable. Prohibido para menores de 18 años.",
        "Solo mayores de 18 años. Aplican términos y condiciones.", "jugarbien.es | +18",
        "Juega seguro. 18+", "Publicidad | +18", "Contenido patrocinado",
        "Las apuestas pueden crear adicción. Juega con moderación.",
        "Términos y condiciones aplican. Solo nuevos usuarios.",
        "Autoprohibición | Juego seguro | +18", "+18. Juego responsable. Aplican TyC.",
        "Publicidad", "Juega con responsabilidad. Solo para mayores de edad.",
        "Operador autorizado por SEGOB. +18", "Juego seguro. Apuesta con cabeza. +18",
    ];
    pick(rng, if lang == Lang::En { EN } else { ES }).to_string()
}

pub fn offer(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    let pct = *pick(rng, &[50, 100, 100, 100, 125, 150, 200, 250, 300]);
    let spins = *pick(rng, &[10, 20, 25, 30, 50, 100, 150, 200, 250, 300, 500]);
    let x = *pick(rng, &[20, 25, 30, 35, 40, 45, 50]);
    let cur = Currency::pick(rng, lang);
    let bonus = cur.bonus(rng);
    let (stake, reward) = cur.stake_and_reward(rng);
    match lang {
        Lang::En => match rng.gen_range(0..16) {
            0 => format!("Up to {bonus} + {spins} Free Spins"),
            1 => format!("{pct}% up to {bonus}"),
            2 => format!("{pct}% up to {bonus} + {spins} free spins"),
            3 => format!("Bet {stake}, Get {reward} in Free Bets"),
            4 => format!("Bet {stake} Get {reward} in Bonus Bets"),
            5 => format!("{spins} Free Spins, No Deposit Required"),
            6 => format!(
                "No deposit bonus: {spins} free spins on {}",
                pick(rng, GAMES)
            ),
            7 => format!("First bet up to {bonus} back in bonus bets"),
            8 => format!("Welcome Bonus: {pct}% up to {bonus}"),
            9 => format!("Deposit {stake}, play with {reward}"),
            10 => format!("Use code {} for {reward} free", promo_code(rng)),
            11 => format!("{bonus} Risk-Free Bet"),
            12 => format!("Get {spins} free spins on {}", pick(rng, GAMES)),
            13 => format!(
                "Price boost: {} to win {} (was {})",
                pick(rng, TEAMS),
                odds(rng),
                odds(rng)
            ),
            14 => format!("{pct}% Welcome Bonus up to {bonus} | {x}x wagering"),
            _ => format!("Get {reward} in free bets when you bet {stake}"),
        },
        _ => match rng.gen_range(0..14) {
            0 => format!("Hasta {bonus} + {spins} giros gratis"),
            1 => format!("Bono del {pct}% hasta {bonus}"),
            2 => format!("{pct}% de bono hasta {bonus} en tu primer depósito"),
            3 => format!("Apuesta {stake} y llévate {reward} en apuestas gratis"),
            4 => format!("{spins} giros gratis sin depósito"),
            5 => format!("Bono de bienvenida: {pct}% hasta {bonus}"),
            6 => format!("Regístrate y recibe {reward} de bono"),
            7 => format!("Código promocional {}: {reward} gratis", promo_code(rng)),
            8 => format!("Cuota mejorada: gana {} a {}", pick(rng, TEAMS), odds(rng)),
            9 => format!("Hasta {bonus} en tu primera apuesta"),
            10 => format!("Recibe {reward} en freebets"),
            11 => format!("{spins} tiradas gratis en {}", pick(rng, GAMES)),
            12 => format!("Bono {pct}% hasta {bonus} · rollover {x}x"),
            _ => format!("Duplica tu primer depósito hasta {bonus}"),
        },
    }
}

pub fn ad_title(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    match lang {
        Lang::En => match rng.gen_range(0..15) {
            0 | 1 => format!("The Best Online Bookmakers {}", ad_date(rng, lang)),
            2 => format!("Best Online Bookmakers {}", ad_date(rng, lang)),
            3 => format!("Best Betting Sites {}", ad_date(rng, lang)),
            4 => format!(
                "Top {} Online Casinos {}",
                rng.gen_range(3..=10),
                ad_date(rng, lang)
            ),
            5 => format!(
                "Top Casinos in {} ({})",
                pick(rng, EN_COUNTRIES),
                month_year(rng, lang)
            ),
            6 => format!("Best Casino Bonuses {}", rng.gen_range(2012..=2026)),
            7 => format!("Best Sportsbook Promos {}", ad_date(rng, lang)),
            8 => "Today's Top Betting Offers".to_string(),
            9 => "Top Rated Casinos".to_string(),
            10 => format!("New Betting Sites {}", rng.gen_range(2012..=2026)),
            11 => format!(
                "Best {} Online Casinos – Updated {}",
                pick(rng, EN_COUNTRIES).trim_start_matches("the "),
                ad_date(rng, lang)
            ),
            12 => format!("Our Top Casino Picks for {}", month_year(rng, lang)),
            13 => format!("The best free bets – {}", ad_date(rng, lang)),
            _ => format!("The Best Online Casinos {}", ad_date(rng, lang)),
        },
        _ => match rng.gen_range(0..11) {
            0 | 1 => format!("Mejores casas de apuestas {}", ad_date(rng, lang)),
            2 => format!(
                "Las mejores casas de apuestas de {} {}",
                pick(rng, ES_COUNTRIES),
                rng.gen_range(2012..=2026)
            ),
            3 => format!("Top casinos online {}", ad_date(rng, lang)),
            4 => format!(
                "Mejores casinos online en {} ({})",
                pick(rng, ES_COUNTRIES),
                month_year(rng, lang)
            ),
            5 => format!("Mejores bonos de casino {}", rng.gen_range(2012..=2026)),
            6 => "Casas de apuestas recomendadas".to_string(),
            7 => format!("Los mejores bonos de bienvenida – {}", ad_date(rng, lang)),
            8 => format!("Ranking de casinos online {}", month_year(rng, lang)),
            9 => "Apuestas deportivas: mejores ofertas de hoy".to_string(),
            _ => format!(
                "Las Mejores Casas de Apuestas Online {}",
                ad_date(rng, lang)
            ),
        },
    }
}

pub fn brand_line(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    let b = *pick(rng, BRANDS);
    match rng.gen_range(0..12) {
        0..=2 => b.to_string(),
        3 => {
            if lang == Lang::En {
                format!("{b} Casino")
            } else {
                format!("Casino {b}")
            }
        }
        4 => {
            if lang == Lang::En {
                format!("{b} Sportsbook")
            } else {
                format!("{b} Apuestas")
            }
        }
        5 => format!("{b} – {}", rating(rng, lang)),
        6 => format!("{b} | {}", offer(rng, lang)),
        7 => format!("{b}: {}", offer(rng, lang)),
        8 => format!("{b} — {} — {}", offer(rng, lang), cta(rng, lang)),
        9 => format!("{b} {}", rating(rng, lang)),
        10 => format!("{b} Casino"),
        _ => format!("{b} Bet"),
    }
}
