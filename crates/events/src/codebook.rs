//! The project's own lookup tables: the CAMEO event codebook, FIPS 10-4 → ISO3, CAMEO actor
//! country codes → ISO3, country names and named actors → ISO3, actor sectors → CAMEO types.
//!
//! The tables are TSV files under `crates/events/data/`, compiled into the library with
//! `include_str!` and parsed once on first use.

use std::collections::HashMap;
use std::sync::LazyLock;

const CAMEO_EVENTS: &str = include_str!("../data/cameo_events.tsv");
const CAMEO_ALIASES: &str = include_str!("../data/cameo_aliases.tsv");
const FIPS_ISO3: &str = include_str!("../data/fips_iso3.tsv");
const COUNTRY_NAMES: &str = include_str!("../data/country_names.tsv");
const ACTORS: &str = include_str!("../data/actors.tsv");

/// One CAMEO event code from the codebook.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CameoEvent {
    /// The code, two to four digits ("14", "141", "1411").
    pub code: &'static str,
    /// The root code, 1..=20.
    pub root: u8,
    /// The quad class: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
    /// 4 material conflict.
    pub quad_class: u8,
    /// The Goldstein conflict–cooperation value, -10..=10.
    pub goldstein: f32,
    /// The codebook's short name.
    pub name: &'static str,
}

/// The quad class of a root code (1..=20), or `None` outside that range.
pub fn quad_class_of_root(root: u8) -> Option<u8> {
    match root {
        1..=5 => Some(1),
        6..=8 => Some(2),
        9..=13 => Some(3),
        14..=20 => Some(4),
        _ => None,
    }
}

struct Tables {
    events: HashMap<&'static str, CameoEvent>,
    by_name: HashMap<String, &'static str>,
    /// Indexed by `(a - b'A') * 26 + (b - b'A')`.
    fips: Vec<Option<&'static str>>,
    /// Indexed by [`code3_index`]: the position in `iso3` (plus one; 0 for none) of the ISO3
    /// code a 3-letter CAMEO country code stands for. Two bytes an entry keep the table (looked
    /// up twice for every GDELT row) in the core's cache.
    cameo_country: Vec<u16>,
    /// The ISO3 codes `cameo_country` points at.
    iso3: Vec<&'static str>,
    country_names: HashMap<String, &'static str>,
    actors: HashMap<String, (&'static str, &'static str)>,
}

/// Data rows of one of our TSV tables: comment lines (`#`) and the header line are skipped.
fn rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').collect())
}

fn code3_index(code: &[u8]) -> Option<usize> {
    match code {
        [a, b, c] if a.is_ascii_uppercase() && b.is_ascii_uppercase() && c.is_ascii_uppercase() => {
            Some((usize::from(a - b'A') * 26 + usize::from(b - b'A')) * 26 + usize::from(c - b'A'))
        }
        _ => None,
    }
}

fn code2_index(code: &[u8]) -> Option<usize> {
    match code {
        [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => {
            Some(usize::from(a - b'A') * 26 + usize::from(b - b'A'))
        }
        _ => None,
    }
}

/// Lower case, letters and digits only, single spaces, without a trailing
/// "not specified below": the key under which event names are matched.
pub(crate) fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    if let Some(stripped) = out.strip_suffix(" not specified below") {
        out.truncate(stripped.len());
    }
    out
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let mut events = HashMap::new();
    let mut by_name = HashMap::new();
    for r in rows(CAMEO_EVENTS) {
        let ev = CameoEvent {
            code: r[0],
            root: r[1].parse().expect("root code in cameo_events.tsv"),
            quad_class: r[2].parse().expect("quad class in cameo_events.tsv"),
            goldstein: r[3].parse().expect("goldstein in cameo_events.tsv"),
            name: r[4],
        };
        events.insert(ev.code, ev);
        // Root rows (two digits) name the whole family; the three-digit "x0" rows carry the same
        // name plus "not specified below" and win for matching.
        if ev.code.len() > 2 {
            by_name.insert(normalise_name(ev.name), ev.code);
        }
    }
    for r in rows(CAMEO_ALIASES) {
        by_name.insert(normalise_name(r[0]), r[1]);
    }
    let mut iso3_known = vec![None; 26 * 26 * 26];
    let mut fips = vec![None; 26 * 26];
    for r in rows(FIPS_ISO3) {
        let i = code2_index(r[0].as_bytes()).expect("FIPS code is two capital letters");
        fips[i] = Some(r[1]);
        iso3_known[code3_index(r[1].as_bytes()).expect("ISO3 code")] = Some(r[1]);
    }
    let mut country_names = HashMap::new();
    for r in rows(COUNTRY_NAMES) {
        country_names.insert(r[0].to_lowercase(), r[1]);
        iso3_known[code3_index(r[1].as_bytes()).expect("ISO3 code")] = Some(r[1]);
    }
    // CAMEO's actor country codes are ISO3 except for a few older or local codes. Regional codes
    // (EUR, AFR, WST, ...) are not countries and map to nothing.
    let mut cameo_country = iso3_known;
    for (cameo, iso) in [
        ("ROM", "ROU"),
        ("TMP", "TLS"),
        ("IMY", "IMN"),
        ("MTN", "MNE"),
        ("WSB", "PSE"),
        ("GZS", "PSE"),
        ("BAG", "IRQ"),
        ("ZAR", "COD"),
        ("SCG", "SRB"),
        ("YUG", "SRB"),
    ] {
        let i = code3_index(cameo.as_bytes()).expect("code");
        let iso = cameo_country[code3_index(iso.as_bytes()).expect("code")].expect("known iso3");
        cameo_country[i] = Some(iso);
    }
    let mut iso3: Vec<&'static str> = cameo_country.iter().flatten().copied().collect();
    iso3.sort_unstable();
    iso3.dedup();
    let cameo_country: Vec<u16> = cameo_country
        .iter()
        .map(|c| c.map_or(0, |c| iso3.binary_search(&c).expect("listed") as u16 + 1))
        .collect();
    let mut actors = HashMap::new();
    for r in rows(ACTORS) {
        actors.insert(r[0].to_lowercase(), (r[1], r[2]));
    }
    Tables {
        events,
        by_name,
        fips,
        cameo_country,
        iso3,
        country_names,
        actors,
    }
});

/// The codebook entry for a CAMEO event code ("0211", "14", ...).
pub fn cameo_event(code: &str) -> Option<&'static CameoEvent> {
    TABLES.events.get(code)
}

/// All codebook entries, sorted by code.
pub fn cameo_events() -> Vec<&'static CameoEvent> {
    let mut v: Vec<_> = TABLES.events.values().collect();
    v.sort_by_key(|e| e.code);
    v
}

/// The CAMEO code for an event name such as ICEWS's "Use conventional military force".
/// Matching ignores case and punctuation and a trailing "not specified below".
pub fn cameo_code_for_name(name: &str) -> Option<&'static str> {
    TABLES.by_name.get(&normalise_name(name)).copied()
}

/// ISO3 code for a FIPS 10-4 country code (GDELT geography fields), e.g. "UP" → "UKR".
pub fn fips_to_iso3(fips: &str) -> Option<&'static str> {
    fips_bytes_to_iso3(fips.as_bytes())
}

pub(crate) fn fips_bytes_to_iso3(fips: &[u8]) -> Option<&'static str> {
    code2_index(fips).and_then(|i| TABLES.fips[i])
}

/// ISO3 code for a CAMEO actor country code (GDELT `Actor1CountryCode`), e.g. "ROM" → "ROU".
/// Regional codes such as "EUR" or "WST" are not countries and give `None`.
pub fn cameo_country_to_iso3(code: &str) -> Option<&'static str> {
    cameo_country_bytes_to_iso3(code.as_bytes())
}

pub(crate) fn cameo_country_bytes_to_iso3(code: &[u8]) -> Option<&'static str> {
    let t = &*TABLES;
    let i = code3_index(code)?;
    t.cameo_country[i]
        .checked_sub(1)
        .map(|j| t.iso3[usize::from(j)])
}

/// ISO3 code for a country or territory name as ICEWS writes it ("Russian Federation", "Crimea").
pub fn country_name_to_iso3(name: &str) -> Option<&'static str> {
    TABLES
        .country_names
        .get(&name.trim().to_lowercase())
        .copied()
}

/// What an actor string tells about the actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActorInfo {
    /// ISO3 code of the state the actor belongs to or acts for.
    pub country: Option<&'static str>,
    /// CAMEO actor type code (GOV, MIL, COP, OPP, REB, CVL, ...).
    pub actor_type: Option<&'static str>,
}

/// Read an ICEWS actor string: "Police (Ukraine)" → (UKR, COP), "Russia" → (RUS, none),
/// "Sergey Viktorovich Lavrov" → (RUS, GOV) from the named-actor table. Unknown actors give
/// an empty [`ActorInfo`].
pub fn parse_actor(s: &str) -> ActorInfo {
    let s = s.trim();
    if let Some(&(country, actor_type)) = TABLES.actors.get(&s.to_lowercase()) {
        return ActorInfo {
            country: Some(country),
            actor_type: Some(actor_type),
        };
    }
    if let Some(country) = country_name_to_iso3(s) {
        return ActorInfo {
            country: Some(country),
            actor_type: None,
        };
    }
    if let Some(open) = s.rfind(" (")
        && s.ends_with(')')
    {
        let inner = &s[open + 2..s.len() - 1];
        let sector = &s[..open];
        return ActorInfo {
            country: country_name_to_iso3(inner),
            actor_type: actor_type_from_sectors(sector),
        };
    }
    ActorInfo {
        country: None,
        actor_type: actor_type_from_sectors(s),
    }
}

/// A CAMEO actor type from an ICEWS sector list or sector-like name ("Military,Government",
/// "Protester", "Head of Government"). The most specific security role wins: police, military,
/// rebels and opposition before government.
pub fn actor_type_from_sectors(sectors: &str) -> Option<&'static str> {
    const RULES: &[(&str, &[&str])] = &[
        ("COP", &["police"]),
        ("SPY", &["intelligence", "security service"]),
        (
            "MIL",
            &[
                "military",
                "naval",
                "navy",
                "army",
                "air force",
                "armed forces",
                "defense",
                "defence",
                "soldier",
                "admiral",
                "reserve personnel",
            ],
        ),
        ("SEP", &["separatist"]),
        (
            "REB",
            &["rebel", "insurgent", "militant", "militia", "guerrilla"],
        ),
        (
            "OPP",
            &["protest", "rioter", "opposition", "dissident", "activist"],
        ),
        (
            "JUD",
            &["court", "judge", "judiciary", "lawyer", "attorney"],
        ),
        ("LEG", &["lawmaker", "legislat", "parliament", "senate"]),
        ("MED", &["media", "journalist", "news"]),
        ("CRM", &["criminal", "gang", "murderer"]),
        ("REF", &["refugee"]),
        ("LAB", &["labor", "labour", "worker", "trade union"]),
        ("EDU", &["education", "student", "teacher", "scholar"]),
        ("HLH", &["medical", "health"]),
        ("BUS", &["business", "bank", "company", "industry"]),
        (
            "GOV",
            &[
                "government",
                "ministry",
                "minister",
                "head of",
                "foreign affairs",
                "cabinet",
                "executive",
                "official",
                "civil servant",
                "mayor",
                "governor",
                "representative",
                "president",
                "ruling party",
            ],
        ),
        (
            "CVL",
            &["citizen", "civilian", "men", "women", "children", "people"],
        ),
    ];
    // Keys match at the start of a word: " men" must not match "government".
    let mut padded = String::with_capacity(sectors.len() + 1);
    padded.push(' ');
    for c in sectors.chars() {
        if c.is_alphanumeric() {
            padded.extend(c.to_lowercase());
        } else if !padded.ends_with(' ') {
            padded.push(' ');
        }
    }
    if padded.trim().is_empty() {
        return None;
    }
    RULES
        .iter()
        .find(|(_, keys)| {
            keys.iter().any(|k| {
                padded
                    .match_indices(k)
                    .any(|(i, _)| padded.as_bytes()[i - 1] == b' ')
            })
        })
        .map(|(t, _)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codebook_has_roots_quads_and_goldstein() {
        let e = cameo_event("190").unwrap();
        assert_eq!((e.root, e.quad_class, e.goldstein), (19, 4, -10.0));
        assert_eq!(cameo_event("0211").unwrap().quad_class, 1);
        assert_eq!(cameo_event("061").unwrap().quad_class, 2);
        assert_eq!(cameo_event("1125").unwrap().quad_class, 3);
        assert!(cameo_events().len() > 300);
        for e in cameo_events() {
            assert_eq!(e.code[..2].parse::<u8>().unwrap(), e.root, "{}", e.code);
            assert_eq!(quad_class_of_root(e.root), Some(e.quad_class));
            assert!((-10.0..=10.0).contains(&e.goldstein));
        }
    }

    #[test]
    fn event_names_match_icews_wording() {
        assert_eq!(cameo_code_for_name("Make statement"), Some("010"));
        assert_eq!(
            cameo_code_for_name("fight with small arms and light weapons"),
            Some("193")
        );
        assert_eq!(
            cameo_code_for_name("Meet at a 'third' location"),
            Some("044")
        );
        assert_eq!(
            cameo_code_for_name("Threaten with military force"),
            Some("138")
        );
        assert_eq!(
            cameo_code_for_name("Return, release person(s)"),
            Some("0841")
        );
        assert_eq!(cameo_code_for_name("Accuse"), Some("112"));
        assert_eq!(cameo_code_for_name("no such event"), None);
    }

    #[test]
    fn country_codes_map_to_iso3() {
        assert_eq!(fips_to_iso3("UP"), Some("UKR"));
        assert_eq!(fips_to_iso3("RS"), Some("RUS"));
        assert_eq!(fips_to_iso3("GM"), Some("DEU"));
        assert_eq!(fips_to_iso3("BO"), Some("BLR"));
        assert_eq!(fips_to_iso3("zz"), None);
        assert_eq!(cameo_country_to_iso3("RUS"), Some("RUS"));
        assert_eq!(cameo_country_to_iso3("ROM"), Some("ROU"));
        assert_eq!(cameo_country_to_iso3("EUR"), None);
        assert_eq!(cameo_country_to_iso3("RUSGOV"), None);
    }

    #[test]
    fn actor_strings() {
        let a = parse_actor("Citizen (Russia)");
        assert_eq!((a.country, a.actor_type), (Some("RUS"), Some("CVL")));
        let a = parse_actor("Police (Ukraine)");
        assert_eq!((a.country, a.actor_type), (Some("UKR"), Some("COP")));
        let a = parse_actor("Defense / Security Ministry (Russia)");
        assert_eq!((a.country, a.actor_type), (Some("RUS"), Some("MIL")));
        // The sector-and-country strings that carry most of a state's events in ICEWS.
        for (s, country, actor_type) in [
            ("Military (Russia)", "RUS", "MIL"),
            ("Foreign Affairs (Russia)", "RUS", "GOV"),
            ("Admiral (Russia)", "RUS", "MIL"),
            ("Civil Servant (Russia)", "RUS", "GOV"),
            ("Naval (Ukraine)", "UKR", "MIL"),
            ("Separatist Leader (Crimea)", "UKR", "SEP"),
        ] {
            let a = parse_actor(s);
            assert_eq!(
                (a.country, a.actor_type),
                (Some(country), Some(actor_type)),
                "{s}"
            );
        }
        assert_eq!(parse_actor("Vladimir Putin").country, Some("RUS"));
        assert_eq!(parse_actor("Russian Federation").country, Some("RUS"));
        assert_eq!(parse_actor("Activist (Crimea)").country, Some("UKR"));
        assert_eq!(parse_actor("Boko Haram"), ActorInfo::default());
        assert_eq!(
            actor_type_from_sectors("Executive,Foreign Ministry,Government"),
            Some("GOV")
        );
        assert_eq!(actor_type_from_sectors("Military,Government"), Some("MIL"));
        assert_eq!(actor_type_from_sectors(""), None);
        assert_eq!(actor_type_from_sectors("Department of Energy"), None);
        assert_eq!(actor_type_from_sectors("Women"), Some("CVL"));
    }
}
