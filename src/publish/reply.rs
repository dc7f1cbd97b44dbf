//! `Reply`: what a remote answered, kept by a failed try so a target can explain it.

/// What came back.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    /// The `Link` header, which WordPress uses to say where its REST API is.
    pub link: Option<String>,
}
