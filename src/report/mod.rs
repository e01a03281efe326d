//! The one result every command produces: the report model, the catalogue of check ids, and the
//! stage that turns checks into a verdict and a summary. Pure.

mod ids;
mod model;
pub mod verdict;

pub use ids::Id;

pub use model::*;
