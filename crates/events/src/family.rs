//! Indicator families: which CAMEO codes stand for which of docs/theory.md's signals. The import
//! classifies every event with [`Family::classify`]; the indicator SQL names families with
//! [`Family::sql_condition`].

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use serde::Serialize;

use crate::error::{EventsError, Result};

/// Indicator families: groups of CAMEO codes that stand for one of docs/theory.md's signals.
///
/// Families are disjoint: an event belongs to the first family, in the order below, whose rule
/// matches (see [`Family::sql_condition`]). The order puts the most severe reading first, so a
/// killing is never counted as mere repression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Root 20, unconventional mass violence (mass killings 202, ethnic cleansing 203, mass
    /// expulsion 201, WMD 204): docs/theory.md's `mass_killings`.
    MassViolence,
    /// Roots 18 (assault, bombings, assassinations) and 19 (fighting, occupation, blockade): the
    /// `armed_violence` ladder from riots to war.
    ArmedViolence,
    /// 172x administrative sanctions (curfews, bans, martial law), 173 arrests, 174 expulsions,
    /// 175 violent repression: the regime's coercion behind `repression_failed`.
    Repression,
    /// Root 15, exhibit force posture (150 demonstrate power, 151/152 raise alert, 153/154
    /// mobilise police or armed forces): the patron's `military_signals`.
    ForcePosture,
    /// Root 14, protest (demonstrations, hunger strikes, strikes, blockades, riots):
    /// `protest_scale`.
    Protest,
    /// Root 13, threaten (including 138x threats of force and 139 ultimatums): `military_signals`
    /// when the patron threatens the target or its partners.
    Threat,
    /// 112x accuse (crime, human-rights abuses, aggression, war crimes, espionage/treason). CAMEO
    /// has no "foreign meddling" code; the article's "talk of foreign meddling" is coded as
    /// accusations (1125 espionage/treason and 1123 aggression most directly, but most
    /// sources land in the generic 112), so the family is all of 112x, read on the
    /// patron → rival-bloc dyad.
    Accusation,
    /// Support for the opposition: 113 rally opposition against (a government), and diplomatic
    /// cooperation, material cooperation and aid (roots 05–07) aimed at opposition, rebel or
    /// separatist actors (OPP, REB, SEP, INS). Read on rival-bloc → target dyads:
    /// `rival_support`.
    RivalSupport,
    /// Patron–incumbent cooperation: intent to cooperate (03), visits and negotiation
    /// (042, 043, 046), diplomatic and material cooperation and aid (05–07) to actors that are not
    /// opposition. Plain consultation (040, 041, 044) is left out as too common to signal.
    Cooperation,
}

impl Family {
    /// All families, in precedence order.
    pub const ALL: [Family; 9] = [
        Family::MassViolence,
        Family::ArmedViolence,
        Family::Repression,
        Family::ForcePosture,
        Family::Protest,
        Family::Threat,
        Family::Accusation,
        Family::RivalSupport,
        Family::Cooperation,
    ];

    /// The family's name in the SQL output.
    pub fn name(self) -> &'static str {
        match self {
            Family::MassViolence => "mass_violence",
            Family::ArmedViolence => "armed_violence",
            Family::Repression => "repression",
            Family::ForcePosture => "force_posture",
            Family::Protest => "protest",
            Family::Threat => "threat",
            Family::Accusation => "accusation",
            Family::RivalSupport => "rival_support",
            Family::Cooperation => "cooperation",
        }
    }

    /// The rule that puts an event in this family (given that no earlier family matched).
    ///
    /// The rules are data so that the one definition gives both the SQL of
    /// [`Family::sql_condition`] and the import-time [`Family::classify`] behind the dyad-day
    /// rollup; a test runs both over every code in the codebook.
    fn rule(self) -> Rule {
        match self {
            Family::MassViolence => Rule::roots(&[20]),
            Family::ArmedViolence => Rule::roots(&[18, 19]),
            Family::Repression => {
                Rule::codes(&["172", "1721", "1722", "1723", "1724", "173", "174", "175"])
            }
            Family::ForcePosture => Rule::roots(&[15]),
            Family::Protest => Rule::roots(&[14]),
            Family::Threat => Rule::roots(&[13]),
            Family::Accusation => Rule::codes(&["112", "1121", "1122", "1123", "1124", "1125"]),
            Family::RivalSupport => Rule {
                roots: &[],
                codes: &["113"],
                roots_to_opposition: &[5, 6, 7],
            },
            Family::Cooperation => Rule {
                roots: &[3, 5, 6, 7],
                codes: &["042", "043", "046"],
                roots_to_opposition: &[],
            },
        }
    }

    /// The SQL condition over the event table's columns that puts an event in this family
    /// (given that no earlier family matched).
    pub fn sql_condition(self) -> String {
        let r = self.rule();
        let list = |xs: Vec<String>| xs.join(", ");
        let mut parts = Vec::new();
        match r.roots {
            [] => {}
            [one] => parts.push(format!("root_code = {one}")),
            many => parts.push(format!(
                "root_code IN ({})",
                list(many.iter().map(i8::to_string).collect())
            )),
        }
        match r.codes {
            [] => {}
            [one] => parts.push(format!("event_code = '{one}'")),
            many => parts.push(format!(
                "event_code IN ({})",
                list(many.iter().map(|c| format!("'{c}'")).collect())
            )),
        }
        if !r.roots_to_opposition.is_empty() {
            parts.push(format!(
                "(root_code IN ({}) AND target_type IN ({}))",
                list(r.roots_to_opposition.iter().map(i8::to_string).collect()),
                list(OPPOSITION_TYPES.iter().map(|t| format!("'{t}'")).collect())
            ));
        }
        match parts.len() {
            1 => parts.remove(0),
            _ => format!("({})", parts.join(" OR ")),
        }
    }

    /// The family of an event with CAMEO root `root`, event code `code` and target actor type
    /// `target_type`: the first family whose rule matches, as the SQL `CASE` of
    /// [`family_case_sql`] decides it.
    pub fn classify(root: i8, code: &str, target_type: Option<&str>) -> Option<Family> {
        let opposition = target_type.is_some_and(|t| OPPOSITION_TYPES.contains(&t));
        match code_index(code) {
            Some(i) => {
                let f = CODE_TABLE[i][usize::from(opposition)];
                Family::ALL.get(usize::from(f)).copied()
            }
            None => Family::by_rules(root, code, opposition),
        }
    }

    /// [`Family::classify`] by walking the rules (the definition; the table is built from it).
    fn by_rules(root: i8, code: &str, opposition: bool) -> Option<Family> {
        Family::ALL.into_iter().find(|f| {
            let r = f.rule();
            r.roots.contains(&root)
                || r.codes.contains(&code)
                || (opposition && r.roots_to_opposition.contains(&root))
        })
    }

    /// The family's index in [`Family::ALL`].
    pub(crate) fn index(self) -> u8 {
        self as u8
    }
}

/// Index of a two- to four-digit code in [`CODE_TABLE`]: "00".."99", then "000".."999", then
/// "0000".."9999", so that "04" and "040" are different codes.
fn code_index(code: &str) -> Option<usize> {
    let b = code.as_bytes();
    if !(2..=4).contains(&b.len()) || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = b
        .iter()
        .fold(0usize, |a, &c| a * 10 + usize::from(c - b'0'));
    Some(match b.len() {
        2 => n,
        3 => 100 + n,
        _ => 1100 + n,
    })
}

/// The family of every possible CAMEO code, for a target that is not and that is an
/// opposition-type actor (`u8::MAX` for none), computed from the rules once: the import
/// classifies every event, and a lookup is much cheaper than walking nine rules.
static CODE_TABLE: LazyLock<Vec<[u8; 2]>> = LazyLock::new(|| {
    let mut table = vec![[u8::MAX; 2]; 11_100];
    for (width, offset) in [(2usize, 0usize), (3, 100), (4, 1100)] {
        for n in 0..10usize.pow(width as u32) {
            let code = format!("{n:0width$}");
            let root = code[..2].parse::<i8>().unwrap_or(0);
            for (slot, opposition) in [false, true].into_iter().enumerate() {
                if let Some(f) = Family::by_rules(root, &code, opposition) {
                    table[offset + n][slot] = f.index();
                }
            }
        }
    }
    table
});

/// Actor types that count as the opposition side for [`Family::RivalSupport`].
const OPPOSITION_TYPES: [&str; 4] = ["OPP", "REB", "SEP", "INS"];

/// Membership rule of a family: any of `roots`, any of `codes`, or any of `roots_to_opposition`
/// when the target is an opposition, rebel, separatist or insurgent actor.
struct Rule {
    roots: &'static [i8],
    codes: &'static [&'static str],
    roots_to_opposition: &'static [i8],
}

impl Rule {
    const fn roots(roots: &'static [i8]) -> Rule {
        Rule {
            roots,
            codes: &[],
            roots_to_opposition: &[],
        }
    }
    const fn codes(codes: &'static [&'static str]) -> Rule {
        Rule {
            roots: &[],
            codes,
            roots_to_opposition: &[],
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Family {
    type Err = EventsError;

    fn from_str(s: &str) -> Result<Self> {
        Family::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| EventsError::InvalidQuery {
                name: "family",
                value: s.to_string(),
                reason: "not a family name",
            })
    }
}
