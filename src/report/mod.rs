//! The one result every command produces: the report model, the catalogue of check ids, and the
//! stage that turns checks into a verdict and a summary. Pure.

pub mod diff;
pub mod explain;
mod ids;
mod model;
pub mod schema;
pub mod verdict;

pub use ids::Id;

pub use model::*;
