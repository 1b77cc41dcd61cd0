//! Generated gambling ad lines: list titles, brand lines, offers, ratings, calls to action and
//! disclaimers, from the templates of `templates/ad_*.txt`.

use crate::article::Lang;
use crate::templates::{fill, pick_template, templates};
use crate::text::{capitalise_first, group_thousands, pick};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Fills an ad template whose every key `value` knows (the templates are compiled in: an unknown
/// key is a bug, which the byte-for-byte rebuild test would show at once).
fn fill_ad(
    rng: &mut ChaCha8Rng,
    template: &str,
    value: impl FnMut(&mut ChaCha8Rng, &str) -> Option<String>,
) -> String {
    fill(rng, template, value).unwrap_or_else(|e| panic!("templates/ad_*.txt: {e}"))
}

/// A date of a list title (`ad_dates.txt`).
fn ad_date(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    let y = rng.gen_range(2012..=2026);
    let m = rng.gen_range(0..12);
    let d = rng.gen_range(1..=28);
    let month = templates().months.of(lang)[m];
    let format = pick_template(rng, templates().ad_dates.of(lang));
    fill_ad(rng, format, |_, key| {
        Some(match key {
            "y" => y.to_string(),
            "d" => d.to_string(),
            "dd" => format!("{d:02}"),
            "mm" => format!("{:02}", m + 1),
            "month" => month.to_string(),
            "Month" => capitalise_first(month),
            "mon" => month[..3].to_string(),
            _ => return None,
        })
    })
}

/// "March 2019", "Marzo 2019".
fn month_year(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    let y = rng.gen_range(2012..=2026);
    let m = rng.gen_range(0..12);
    format!("{} {y}", capitalise_first(templates().months.of(lang)[m]))
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

fn promo_code(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{}{}",
        pick(rng, &templates().promo_prefixes),
        pick(rng, &[10, 20, 25, 50, 100, 200, 250, 365, 500])
    )
}

fn odds(rng: &mut ChaCha8Rng) -> String {
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

/// A rating (`ad_ratings.txt`).
pub fn rating(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    let r = rng.gen_range(38..=50);
    let (int, dec) = (r / 10, r % 10);
    let template = pick_template(rng, templates().ratings.of(lang));
    fill_ad(rng, template, |_, key| {
        Some(match key {
            "int" => int.to_string(),
            "dec" => dec.to_string(),
            _ => return None,
        })
    })
}

/// A call to action (`ad_ctas.txt`).
pub fn cta(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    pick(rng, templates().ctas.of(lang)).to_string()
}

/// A disclaimer (`ad_disclaimers.txt`).
pub fn disclaimer(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    pick(rng, templates().disclaimers.of(lang)).to_string()
}

/// An offer (`ad_offers.txt`): the amounts are drawn first, then the template.
pub fn offer(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    let pct = *pick(rng, &[50, 100, 100, 100, 125, 150, 200, 250, 300]);
    let spins = *pick(rng, &[10, 20, 25, 30, 50, 100, 150, 200, 250, 300, 500]);
    let x = *pick(rng, &[20, 25, 30, 35, 40, 45, 50]);
    let cur = Currency::pick(rng, lang);
    let bonus = cur.bonus(rng);
    let (stake, reward) = cur.stake_and_reward(rng);
    let template = pick_template(rng, templates().offers.of(lang));
    fill_ad(rng, template, |rng, key| {
        Some(match key {
            "pct" => pct.to_string(),
            "spins" => spins.to_string(),
            "x" => x.to_string(),
            "bonus" => bonus.clone(),
            "stake" => stake.clone(),
            "reward" => reward.clone(),
            "game" => pick(rng, &templates().games).to_string(),
            "team" => pick(rng, &templates().teams).to_string(),
            "odds" => odds(rng),
            "code" => promo_code(rng),
            _ => return None,
        })
    })
}

/// The title of an ad list (`ad_titles.txt`).
pub fn ad_title(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    let template = pick_template(rng, templates().ad_titles.of(lang));
    fill_ad(rng, template, |rng, key| {
        Some(match key {
            "date" => ad_date(rng, lang),
            "month_year" => month_year(rng, lang),
            "country" => pick(rng, templates().countries.of(lang)).to_string(),
            "country_bare" => pick(rng, templates().countries.of(lang))
                .trim_start_matches("the ")
                .to_string(),
            _ => return None,
        })
    })
}

/// A brand line (`ad_brand_lines.txt`): the brand is drawn first, then the template.
pub fn brand_line(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    let brand = *pick(rng, &templates().brands);
    let template = pick_template(rng, templates().brand_lines.of(lang));
    fill_ad(rng, template, |rng, key| {
        Some(match key {
            "brand" => brand.to_string(),
            "rating" => rating(rng, lang),
            "offer" => offer(rng, lang),
            "cta" => cta(rng, lang),
            _ => return None,
        })
    })
}
