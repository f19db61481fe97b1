//! Words for readers: the scale of estimative probability and country names.

use serde::Serialize;

/// One band of the scale of estimative words.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Band {
    /// The phrase, e.g. "very unlikely".
    pub words: &'static str,
    /// Lower bound of the band (inclusive).
    pub low: f64,
    /// Upper bound of the band (exclusive, except the last).
    pub high: f64,
}

/// The scale of estimative words casus uses, from the US Intelligence Community Directive 203
/// (2015), the scale analysts and policy readers already know. The article's "very unlikely" is
/// its 5–20% band.
pub const ESTIMATIVE_SCALE: [Band; 7] = [
    Band {
        words: "almost no chance",
        low: 0.00,
        high: 0.05,
    },
    Band {
        words: "very unlikely",
        low: 0.05,
        high: 0.20,
    },
    Band {
        words: "unlikely",
        low: 0.20,
        high: 0.45,
    },
    Band {
        words: "roughly even chance",
        low: 0.45,
        high: 0.55,
    },
    Band {
        words: "likely",
        low: 0.55,
        high: 0.80,
    },
    Band {
        words: "very likely",
        low: 0.80,
        high: 0.95,
    },
    Band {
        words: "almost certain",
        low: 0.95,
        high: 1.00,
    },
];

/// The band a probability falls in.
pub fn estimative_band(p: f64) -> Band {
    let p = p.clamp(0.0, 1.0);
    ESTIMATIVE_SCALE
        .iter()
        .copied()
        .find(|b| p < b.high)
        .unwrap_or(ESTIMATIVE_SCALE[ESTIMATIVE_SCALE.len() - 1])
}

/// A probability as a reader should see it: whole percent, "<1%" and ">99%" at the ends.
pub fn percent(p: f64) -> String {
    let x = p * 100.0;
    if x > 0.0 && x < 0.5 {
        "<1%".into()
    } else if (99.5..100.0).contains(&x) {
        ">99%".into()
    } else {
        format!("{:.0}%", x)
    }
}

/// English short names for the countries that appear in casus's data; the code itself otherwise.
pub fn country_name(code: &str) -> &str {
    COUNTRIES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, n)| n)
}

const COUNTRIES: &[(&str, &str)] = &[
    ("AFG", "Afghanistan"),
    ("ARG", "Argentina"),
    ("ARM", "Armenia"),
    ("AZE", "Azerbaijan"),
    ("BFA", "Burkina Faso"),
    ("BGD", "Bangladesh"),
    ("BHR", "Bahrain"),
    ("BLR", "Belarus"),
    ("BOL", "Bolivia"),
    ("BRA", "Brazil"),
    ("CAF", "the Central African Republic"),
    ("CHN", "China"),
    ("CIV", "Côte d'Ivoire"),
    ("CMR", "Cameroon"),
    ("COD", "DR Congo"),
    ("COG", "Congo"),
    ("CUB", "Cuba"),
    ("CYP", "Cyprus"),
    ("CZE", "Czechia"),
    ("CSK", "Czechoslovakia"),
    ("DDR", "East Germany"),
    ("DEU", "Germany"),
    ("DOM", "the Dominican Republic"),
    ("ECU", "Ecuador"),
    ("EGY", "Egypt"),
    ("EST", "Estonia"),
    ("ETH", "Ethiopia"),
    ("FRA", "France"),
    ("GAB", "Gabon"),
    ("GBR", "the United Kingdom"),
    ("GEO", "Georgia"),
    ("GIN", "Guinea"),
    ("GMB", "The Gambia"),
    ("GNB", "Guinea-Bissau"),
    ("GTM", "Guatemala"),
    ("HND", "Honduras"),
    ("HTI", "Haiti"),
    ("HUN", "Hungary"),
    ("IND", "India"),
    ("IRN", "Iran"),
    ("IRQ", "Iraq"),
    ("JOR", "Jordan"),
    ("KAZ", "Kazakhstan"),
    ("KGZ", "Kyrgyzstan"),
    ("KHM", "Cambodia"),
    ("KOR", "South Korea"),
    ("LBN", "Lebanon"),
    ("LBY", "Libya"),
    ("LKA", "Sri Lanka"),
    ("LSO", "Lesotho"),
    ("LTU", "Lithuania"),
    ("LVA", "Latvia"),
    ("MDA", "Moldova"),
    ("MDG", "Madagascar"),
    ("MDV", "the Maldives"),
    ("MEX", "Mexico"),
    ("MLI", "Mali"),
    ("MMR", "Myanmar"),
    ("MNG", "Mongolia"),
    ("NER", "Niger"),
    ("NGA", "Nigeria"),
    ("NIC", "Nicaragua"),
    ("NPL", "Nepal"),
    ("OMN", "Oman"),
    ("PAK", "Pakistan"),
    ("PAN", "Panama"),
    ("PHL", "the Philippines"),
    ("POL", "Poland"),
    ("PRK", "North Korea"),
    ("PRY", "Paraguay"),
    ("QAT", "Qatar"),
    ("ROU", "Romania"),
    ("RUS", "Russia"),
    ("RWA", "Rwanda"),
    ("SAU", "Saudi Arabia"),
    ("SDN", "Sudan"),
    ("SEN", "Senegal"),
    ("SLE", "Sierra Leone"),
    ("SOM", "Somalia"),
    ("SSD", "South Sudan"),
    ("SUN", "the Soviet Union"),
    ("SWZ", "Eswatini"),
    ("SYR", "Syria"),
    ("TCD", "Chad"),
    ("TGO", "Togo"),
    ("THA", "Thailand"),
    ("TJK", "Tajikistan"),
    ("TKM", "Turkmenistan"),
    ("TUN", "Tunisia"),
    ("TUR", "Turkey"),
    ("TZA", "Tanzania"),
    ("UGA", "Uganda"),
    ("UKR", "Ukraine"),
    ("USA", "the United States"),
    ("UZB", "Uzbekistan"),
    ("VEN", "Venezuela"),
    ("VNM", "Vietnam"),
    ("YEM", "Yemen"),
    ("ZAF", "South Africa"),
    ("ZWE", "Zimbabwe"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_cover_the_unit_interval() {
        assert_eq!(estimative_band(0.0).words, "almost no chance");
        assert_eq!(estimative_band(0.07).words, "very unlikely");
        assert_eq!(estimative_band(0.2).words, "unlikely");
        assert_eq!(estimative_band(0.5).words, "roughly even chance");
        assert_eq!(estimative_band(0.7).words, "likely");
        assert_eq!(estimative_band(1.0).words, "almost certain");
        for w in ESTIMATIVE_SCALE.windows(2) {
            assert_eq!(w[0].high, w[1].low);
        }
    }

    #[test]
    fn percents_avoid_false_precision() {
        assert_eq!(percent(0.0712), "7%");
        assert_eq!(percent(0.001), "<1%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.998), ">99%");
        assert_eq!(percent(1.0), "100%");
    }

    #[test]
    fn country_names() {
        assert_eq!(country_name("BLR"), "Belarus");
        assert_eq!(country_name("XYZ"), "XYZ");
    }
}
