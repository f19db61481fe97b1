//! The eighteen factors of docs/theory.md and what the theory says about each.
//!
//! The factor list is closed: situation files, the case base, the model and the reports all index
//! factors by this enum, so a typo in a file is an error rather than a silently ignored key.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One of docs/theory.md's eighteen factors. Every factor is a number in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    AllyIncumbent,
    ContagionRisk,
    Reorientation,
    RivalSupport,
    MembershipProspect,
    StrategicAssets,
    Compatriots,
    ProtestScale,
    RepressionFailed,
    SecurityDefection,
    ArmedViolence,
    IncumbentInControl,
    ManagedTransition,
    ExpectedResistance,
    MassKillings,
    MilitarySignals,
    Invitation,
    MilitaryCapacity,
}

/// The theory's grouping of factors, which is also how explanations are organised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Core interest (a): the stability of the patron's own regime.
    RegimeSecurity,
    /// Core interest (b): the patron's military-strategic position against a rival bloc.
    StrategicPosition,
    /// The steps of the escalation path (Ukraine 2014).
    EscalationPath,
    /// What holds the patron back.
    Restraints,
    /// Observable signals of intent and capability.
    Signals,
}

/// The theory's expected effect of a factor on the chance of force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sign {
    /// Raises the chance of force.
    Positive,
    /// Raises it, but the theory expects a weak effect.
    WeakPositive,
    /// Lowers the chance of force.
    Negative,
    /// Depends on the direction of force (propping up an ally vs. acting against a hostile government).
    Direction,
}

struct Meta {
    factor: Factor,
    name: &'static str,
    label: &'static str,
    group: Group,
    sign: Sign,
    anchors: [&'static str; 3],
}

const META: [Meta; 18] = [
    Meta {
        factor: Factor::AllyIncumbent,
        name: "ally_incumbent",
        label: "incumbent allied to the patron",
        group: Group::RegimeSecurity,
        sign: Sign::Direction,
        anchors: [
            "incumbent hostile to the patron",
            "hedging, multi-vector",
            "close ally",
        ],
    },
    Meta {
        factor: Factor::ContagionRisk,
        name: "contagion_risk",
        label: "risk of contagion to the patron's regime",
        group: Group::RegimeSecurity,
        sign: Sign::Positive,
        anchors: [
            "crisis cannot spread to the patron",
            "some (shared media space, similar regime)",
            "high (similar regime and unrest at home)",
        ],
    },
    Meta {
        factor: Factor::Reorientation,
        name: "reorientation",
        label: "push toward the rival bloc",
        group: Group::StrategicPosition,
        sign: Sign::Positive,
        anchors: [
            "no push toward the rival bloc",
            "partial",
            "radical pro-rival-bloc course",
        ],
    },
    Meta {
        factor: Factor::RivalSupport,
        name: "rival_support",
        label: "rival-bloc support for the opposition",
        group: Group::StrategicPosition,
        sign: Sign::Positive,
        anchors: [
            "none",
            "rhetorical, minor sanctions",
            "material (money, arms, troops)",
        ],
    },
    Meta {
        factor: Factor::MembershipProspect,
        name: "membership_prospect",
        label: "prospect of rival-alliance membership",
        group: Group::StrategicPosition,
        sign: Sign::Positive,
        anchors: ["none", "discussed, aspiration", "promised or on track"],
    },
    Meta {
        factor: Factor::StrategicAssets,
        name: "strategic_assets",
        label: "strategic assets at stake",
        group: Group::StrategicPosition,
        sign: Sign::Positive,
        anchors: [
            "none at stake",
            "some",
            "critical (bases, fleet, corridor, buffer)",
        ],
    },
    Meta {
        factor: Factor::Compatriots,
        name: "compatriots",
        label: "compatriot population",
        group: Group::StrategicPosition,
        sign: Sign::Positive,
        anchors: [
            "none",
            "sizeable population the patron claims",
            "concentrated, mobilised",
        ],
    },
    Meta {
        factor: Factor::ProtestScale,
        name: "protest_scale",
        label: "scale of protest",
        group: Group::EscalationPath,
        sign: Sign::Positive,
        anchors: ["none or small", "large", "massive"],
    },
    Meta {
        factor: Factor::RepressionFailed,
        name: "repression_failed",
        label: "repression has failed",
        group: Group::EscalationPath,
        sign: Sign::Positive,
        anchors: ["not tried, or working", "faltering", "failed"],
    },
    Meta {
        factor: Factor::SecurityDefection,
        name: "security_defection",
        label: "security-force defection",
        group: Group::EscalationPath,
        sign: Sign::Positive,
        anchors: [
            "security forces loyal",
            "splits",
            "major defection, collapse",
        ],
    },
    Meta {
        factor: Factor::ArmedViolence,
        name: "armed_violence",
        label: "armed violence",
        group: Group::EscalationPath,
        sign: Sign::Positive,
        anchors: ["peaceful", "riots", "armed insurgency or war"],
    },
    Meta {
        factor: Factor::IncumbentInControl,
        name: "incumbent_in_control",
        label: "incumbent in control",
        group: Group::EscalationPath,
        sign: Sign::Negative,
        anchors: ["ousted", "shaky", "firmly in charge"],
    },
    Meta {
        factor: Factor::ManagedTransition,
        name: "managed_transition",
        label: "managed transition on offer",
        group: Group::Restraints,
        sign: Sign::Negative,
        anchors: [
            "no orderly transition on offer",
            "possible",
            "orderly transition including the patron",
        ],
    },
    Meta {
        factor: Factor::ExpectedResistance,
        name: "expected_resistance",
        label: "expected armed resistance",
        group: Group::Restraints,
        sign: Sign::Negative,
        anchors: [
            "none expected",
            "some (backlash, sanctions)",
            "strong armed resistance",
        ],
    },
    Meta {
        factor: Factor::MassKillings,
        name: "mass_killings",
        label: "mass killings",
        group: Group::Restraints,
        sign: Sign::WeakPositive,
        anchors: ["none", "some", "large-scale deliberate killings"],
    },
    Meta {
        factor: Factor::MilitarySignals,
        name: "military_signals",
        label: "overt military moves and threats",
        group: Group::Signals,
        sign: Sign::Positive,
        anchors: ["none", "exercises, warnings", "build-up, ultimatum"],
    },
    Meta {
        factor: Factor::Invitation,
        name: "invitation",
        label: "invitation by the incumbent",
        group: Group::Signals,
        sign: Sign::Positive,
        anchors: [
            "none",
            "informal or contingent request",
            "formal request for troops",
        ],
    },
    Meta {
        factor: Factor::MilitaryCapacity,
        name: "military_capacity",
        label: "military capacity within reach",
        group: Group::Signals,
        sign: Sign::Positive,
        anchors: [
            "no forces within reach",
            "reachable",
            "forces in place or adjacent",
        ],
    },
];

impl Factor {
    /// All factors in docs/theory.md's order. Indexes into per-factor arrays follow this order.
    pub const ALL: [Factor; 18] = [
        Factor::AllyIncumbent,
        Factor::ContagionRisk,
        Factor::Reorientation,
        Factor::RivalSupport,
        Factor::MembershipProspect,
        Factor::StrategicAssets,
        Factor::Compatriots,
        Factor::ProtestScale,
        Factor::RepressionFailed,
        Factor::SecurityDefection,
        Factor::ArmedViolence,
        Factor::IncumbentInControl,
        Factor::ManagedTransition,
        Factor::ExpectedResistance,
        Factor::MassKillings,
        Factor::MilitarySignals,
        Factor::Invitation,
        Factor::MilitaryCapacity,
    ];

    /// Number of factors.
    pub const COUNT: usize = 18;

    fn meta(self) -> &'static Meta {
        let m = &META[self.index()];
        debug_assert_eq!(m.factor, self);
        m
    }

    /// Position in [`Factor::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The canonical snake_case name used in files and JSON.
    pub fn name(self) -> &'static str {
        self.meta().name
    }

    /// A short human label for reports.
    pub fn label(self) -> &'static str {
        self.meta().label
    }

    /// The theory's group.
    pub fn group(self) -> Group {
        self.meta().group
    }

    /// The theory's expected direction of effect.
    pub fn sign(self) -> Sign {
        self.meta().sign
    }

    /// What 0, 0.5 and 1 mean for this factor.
    pub fn anchors(self) -> [&'static str; 3] {
        self.meta().anchors
    }

    /// The anchor text nearest to a value.
    pub fn describe(self, value: f64) -> &'static str {
        let a = self.anchors();
        if value < 0.25 {
            a[0]
        } else if value < 0.75 {
            a[1]
        } else {
            a[2]
        }
    }

    /// Parse a canonical name.
    pub fn from_name(name: &str) -> Option<Factor> {
        META.iter().find(|m| m.name == name).map(|m| m.factor)
    }

    /// All canonical names, for error messages.
    pub fn names() -> impl Iterator<Item = &'static str> {
        META.iter().map(|m| m.name)
    }
}

impl fmt::Display for Factor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Group {
    /// A heading in the article's vocabulary.
    pub fn title(self) -> &'static str {
        match self {
            Group::RegimeSecurity => "regime security",
            Group::StrategicPosition => "strategic position",
            Group::EscalationPath => "escalation path",
            Group::Restraints => "restraints",
            Group::Signals => "signals",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_order_matches_enum() {
        for (i, f) in Factor::ALL.iter().enumerate() {
            assert_eq!(f.index(), i);
            assert_eq!(META[i].factor, *f);
            assert_eq!(Factor::from_name(f.name()), Some(*f));
        }
    }

    #[test]
    fn serde_uses_canonical_names() {
        for f in Factor::ALL {
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.name()));
        }
    }

    #[test]
    fn describe_picks_nearest_anchor() {
        assert_eq!(Factor::ProtestScale.describe(0.0), "none or small");
        assert_eq!(Factor::ProtestScale.describe(0.5), "large");
        assert_eq!(Factor::ProtestScale.describe(1.0), "massive");
    }
}
