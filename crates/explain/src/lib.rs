//! Explanations in the article's terms, and what would change them.
//!
//! Given a fitted model ([`RiskModel`]), a [`casus_core::Situation`], the case base and the move
//! catalogue ([`Catalogue`]), [`explain`] builds an [`Explanation`] in the order of the article
//! "Will Russia intervene in Belarus?":
//!
//! - *Why would the patron intervene?* the two core [`interests`] with their state and evidence;
//! - *How likely is an intervention?* the probability on the [`estimative`] scale, the escalation
//!   [`path`] with the steps reached, the [`restraints`] in place, historical [`analogues`];
//! - what would change the answer: [`signposts`];
//! - *What can be done?* each actor's moves ranked by effect, and [`scenarios`] (combinations,
//!   grids and trees of moves);
//! - where the data disagree with the theory ([`theory`]), computed from the model.
//!
//! ```
//! use casus_explain::{Catalogue, ExplainOptions, explain, fixture::FixtureModel, text};
//! use casus_core::{Factor, FactorValue, Situation};
//! let src = "id = \"x\"\npatron = \"RUS\"\ntarget = \"BLR\"\ncrisis_type = \"mass_protest\"\nas_of = 2020-08-25\n";
//! let s = casus_data::parse_situation(std::path::Path::new("x.toml"), src).unwrap();
//! let moves = Catalogue::parse(std::path::Path::new("moves.toml"), casus_data::builtin::moves_toml().unwrap()).unwrap();
//! let x = explain(&FixtureModel::default(), &s, &[], &moves, ExplainOptions::default());
//! assert_eq!(x.interests.len(), 2);
//! assert!(text::render(&x).starts_with("Will Russia use force in or against Belarus?"));
//! ```

pub mod analogues;
mod error;
pub mod estimative;
mod explanation;
pub mod fitted;
pub mod fixture;
pub mod interests;
pub mod moves;
pub mod names;
pub mod notes;
pub mod path;
pub mod restraints;
mod risk;
pub mod scenarios;
pub mod sensitivity;
pub mod signposts;
pub mod text;
pub mod theory;

pub use error::{ExplainError, Location};
pub use explanation::{ExplainOptions, Explanation, SourcedFact, Subject, explain};
pub use moves::{Catalogue, Move};
pub use risk::{BASE_HORIZON_DAYS, DRAWS, Estimate, RiskModel, integrate, integrate_with};
