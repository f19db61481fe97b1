//! Reading and validating casus's files: situation files (what an analyst writes), the case base
//! (`data/cases/*.toml`) and the embedded built-in data.
//!
//! Every error names the file and, where it can, the line, column and field, and why:
//!
//! ```
//! use std::path::Path;
//! let err = casus_data::parse_situation(Path::new("s.toml"), "id = \"x\"\npatron = \"RUS\"\n").unwrap_err();
//! assert!(err.to_string().starts_with("s.toml"));
//!
//! let ok = casus_data::parse_situation(Path::new("s.toml"), r#"
//! id = "RUS-BLR-2020-08-25"
//! patron = "RUS"
//! target = "BLR"
//! crisis_type = "mass_protest"
//! as_of = 2020-08-25
//! [factors]
//! ally_incumbent = 1.0
//! contagion_risk = { low = 0.5, high = 1.0 }
//! "#).unwrap();
//! assert_eq!(ok.horizon_days, 365);
//! ```

pub mod builtin;
mod case;
mod error;
pub mod evidence;
mod fields;
mod record;
mod situation;

pub use case::{check_pairs, load_case, load_cases_dir, parse_case, parse_cases};
pub use error::{DataError, Location};
pub use fields::MAX_HORIZON_DAYS;
pub use record::CaseRecord;
pub use situation::{load_situation, parse_situation, situation_from_json};
