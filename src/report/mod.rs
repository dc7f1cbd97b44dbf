//! Looking back at an incident: whether promises were kept, its timeline as a picture, and
//! the postmortem draft.

pub mod postmortem;
pub mod promises;
pub mod svg;
