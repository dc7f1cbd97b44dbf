//! `PublishError`: why one publication did not happen, by how far it got — refused before
//! anything was sent, never sent, sent without an answer, answered with a refusal, or
//! answered with something that cannot be read.
//!
//! How far a failure got is what decides whether another try is safe, so that is what the
//! variants tell apart. What the record keeps is each error's `Display`, scrubbed of
//! secrets, so its wording is part of the record format.

use std::time::Duration;

use super::reply::Reply;

/// Why a publication failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PublishError {
    /// Refused before sending: a secret the target names is not in the environment.
    #[error("environment variable `{variable}` is not set (`{key}` of target `{target}`)")]
    MissingSecret {
        variable: String,
        key: &'static str,
        target: String,
    },
    /// Refused before sending: a setting, or a secret's value, that cannot be used.
    #[error("{message}")]
    BadSetting { message: String },
    /// Refused before sending: this text or action cannot go to this target.
    #[error("{message}")]
    Unsendable { message: String },
    /// The request provably never left: DNS, connection refused, a failed TLS handshake,
    /// or (SMTP) a failure before the message itself was written.
    #[error("{detail}")]
    NeverSent { detail: String },
    /// The request was sent and no answer came within the timeout.
    #[error("no answer within {}s", .after.as_secs_f64())]
    Timeout { after: Duration },
    /// The request may have been written, and then the connection failed or went quiet.
    #[error("{detail}")]
    NoAnswer { detail: String },
    /// The remote answered with a status that is not success. `said` is its message,
    /// shortened to one line.
    #[error("{}", status_line(*.code, .said))]
    Status {
        code: u16,
        said: String,
        /// The whole answer, for targets that explain their own refusals.
        reply: Box<Reply>,
    },
    /// The remote refused, as the target explains it in the service's own terms (a
    /// WordPress error code, an SMTP reply); `code` is the status or reply code if any.
    #[error("{message}")]
    Refused { code: Option<u16>, message: String },
    /// The remote answered with success, but not with what the target needs to read.
    #[error("{message}")]
    Unreadable { message: String },
    /// A file target could not write its file.
    #[error("{message}")]
    Write { message: String },
    /// A failure in one step of a publication that takes several.
    #[error("{context}: {source}")]
    During {
        context: String,
        source: Box<PublishError>,
    },
}

impl PublishError {
    pub fn bad_setting(message: impl Into<String>) -> PublishError {
        PublishError::BadSetting {
            message: message.into(),
        }
    }

    pub fn unsendable(message: impl Into<String>) -> PublishError {
        PublishError::Unsendable {
            message: message.into(),
        }
    }

    pub fn unreadable(message: impl Into<String>) -> PublishError {
        PublishError::Unreadable {
            message: message.into(),
        }
    }

    /// Returns the error with `context` said first: "reading Ghost post 7: HTTP 404 …".
    pub fn during(self, context: impl Into<String>) -> PublishError {
        PublishError::During {
            context: context.into(),
            source: Box::new(self),
        }
    }

    /// Returns the remote's answer when the error is an unwanted status (for a step
    /// inside another, the innermost one).
    pub fn reply(&self) -> Option<&Reply> {
        match self {
            PublishError::Status { reply, .. } => Some(reply),
            PublishError::During { source, .. } => source.reply(),
            _ => None,
        }
    }

    /// Returns the error with `scrub` applied to every text it holds: what a server or a
    /// library said may carry a secret, and must not carry it into output or the record.
    pub fn scrubbed(self, scrub: &impl Fn(&str) -> String) -> PublishError {
        match self {
            PublishError::MissingSecret { .. } | PublishError::Timeout { .. } => self,
            PublishError::BadSetting { message } => PublishError::BadSetting {
                message: scrub(&message),
            },
            PublishError::Unsendable { message } => PublishError::Unsendable {
                message: scrub(&message),
            },
            PublishError::NeverSent { detail } => PublishError::NeverSent {
                detail: scrub(&detail),
            },
            PublishError::NoAnswer { detail } => PublishError::NoAnswer {
                detail: scrub(&detail),
            },
            PublishError::Status { code, said, reply } => PublishError::Status {
                code,
                said: scrub(&said),
                reply: Box::new(Reply {
                    status: reply.status,
                    body: scrub(&reply.body),
                    link: reply.link.as_deref().map(scrub),
                }),
            },
            PublishError::Refused { code, message } => PublishError::Refused {
                code,
                message: scrub(&message),
            },
            PublishError::Unreadable { message } => PublishError::Unreadable {
                message: scrub(&message),
            },
            PublishError::Write { message } => PublishError::Write {
                message: scrub(&message),
            },
            PublishError::During { context, source } => PublishError::During {
                context: scrub(&context),
                source: Box::new(source.scrubbed(scrub)),
            },
        }
    }
}

/// "HTTP 404 Not Found: Unknown Webhook": the code, its reason and what the server said.
fn status_line(code: u16, said: &str) -> String {
    let reason = reqwest::StatusCode::from_u16(code)
        .ok()
        .and_then(|status| status.canonical_reason())
        .unwrap_or("");
    let mut text = format!("HTTP {code} {reason}").trim_end().to_string();
    if !said.is_empty() {
        text.push_str(": ");
        text.push_str(said);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubbing_reaches_every_text_inside() {
        let error = PublishError::Status {
            code: 401,
            said: "bad token hunter2".to_string(),
            reply: Box::new(Reply {
                status: 401,
                body: "{\"message\":\"bad token hunter2\"}".to_string(),
                link: None,
            }),
        }
        .during("reading post hunter2");
        let scrubbed = error.scrubbed(&|text: &str| text.replace("hunter2", "****"));
        assert_eq!(
            scrubbed.to_string(),
            "reading post ****: HTTP 401 Unauthorized: bad token ****"
        );
        assert!(!scrubbed.reply().unwrap().body.contains("hunter2"));
        assert_eq!(
            PublishError::Timeout {
                after: Duration::from_millis(1500)
            }
            .to_string(),
            "no answer within 1.5s"
        );
    }
}
