//! Rendering updates into each channel's shape (being written).

mod draft;

pub use draft::Draft;
