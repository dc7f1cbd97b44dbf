//! `SiteError`: why the status site could not be built.

use std::path::PathBuf;

use crate::fsutil::IoError;
use crate::record::StoreError;
use crate::render::RenderError;

#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error(transparent)]
    Io(#[from] IoError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A template failed: a page's or feed's, or the status channel's for an update.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The status channel's template failed for one update.
    #[error("incident `{id}` update {seq}: {source}")]
    Update {
        id: String,
        seq: usize,
        source: RenderError,
    },
    #[error("the site cannot be written into `{}`, which holds the incident record", path.display())]
    OutHoldsRecord { path: PathBuf },
}
