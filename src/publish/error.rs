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
    #[error("{}", excerpt(.detail))]
    NeverSent { detail: String },
    /// The request was sent and no answer came within the timeout.
    #[error("no answer within {}s", .after.as_secs_f64())]
    Timeout { after: Duration },
    /// The request may have been written, and then the connection failed or went quiet.
    #[error("{}", excerpt(.detail))]
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
    #[error("{}", excerpt(.message))]
    Refused { code: Option<u16>, message: String },
    /// The remote refused for now and said to try again later (an SMTP 4xx reply).
    #[error("{}", excerpt(.message))]
    Busy { code: Option<u16>, message: String },
    /// The remote answered with success, but not with what the target needs to read.
    #[error("{}", excerpt(.message))]
    Unreadable { message: String },
    /// A try that may have reached a target which cannot tell us whether it did (a *blind*
    /// kind): it is not sent again until a person checks and says `--resend`.
    #[error("{source}; it may have arrived, so it was not sent again")]
    Uncertain { source: Box<PublishError> },
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

    /// Returns the error as *uncertain*: it may have arrived at a target that cannot say.
    pub fn uncertain(self) -> PublishError {
        match self {
            PublishError::Uncertain { .. } => self,
            other => PublishError::Uncertain {
                source: Box::new(other),
            },
        }
    }

    /// Whether the publication is uncertain: it may have arrived, and nothing can tell.
    pub fn is_uncertain(&self) -> bool {
        match self {
            PublishError::Uncertain { .. } => true,
            PublishError::During { source, .. } => source.is_uncertain(),
            _ => false,
        }
    }

    /// Returns how far the failed try got, which decides whether another try is safe.
    pub fn reach(&self) -> Reach {
        match self {
            PublishError::NeverSent { .. } => Reach::NeverSent,
            PublishError::Status { code, .. } if is_retryable(*code) => Reach::AskedToRetry,
            PublishError::Busy { .. } => Reach::AskedToRetry,
            PublishError::Timeout { .. }
            | PublishError::NoAnswer { .. }
            | PublishError::Unreadable { .. }
            | PublishError::Uncertain { .. } => Reach::MayHaveArrived,
            PublishError::During { source, .. } => source.reach(),
            _ => Reach::Refused,
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
            PublishError::Busy { code, message } => PublishError::Busy {
                code,
                message: scrub(&message),
            },
            PublishError::Unreadable { message } => PublishError::Unreadable {
                message: scrub(&message),
            },
            PublishError::Write { message } => PublishError::Write {
                message: scrub(&message),
            },
            PublishError::Uncertain { source } => PublishError::Uncertain {
                source: Box::new(source.scrubbed(scrub)),
            },
            PublishError::During { context, source } => PublishError::During {
                context: scrub(&context),
                source: Box::new(source.scrubbed(scrub)),
            },
        }
    }
}

/// Whether an HTTP status is worth another try: timeouts, throttling (Statuspage says 420)
/// and server errors. Other 4xx mean the request itself is wrong; 3xx are not followed.
pub fn is_retryable(status: u16) -> bool {
    matches!(status, 408 | 420 | 429) || (500..600).contains(&status)
}

/// How far a failed try got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The request provably never left: another try is safe for every kind.
    NeverSent,
    /// The remote answered that it did not take it and asked (408, 429, 5xx) for another try.
    AskedToRetry,
    /// The remote may have taken it: a timeout or a reset after the request was written, or
    /// a success we cannot read.
    MayHaveArrived,
    /// Refused for good, before or by the remote: another try would be refused too.
    Refused,
}

/// The most of a server's or a library's words an error shows, in characters.
pub const EXCERPT_CHARS: usize = 300;

/// Returns `text` on one line, cut to [`EXCERPT_CHARS`] with "…". Errors keep the whole text
/// and cut it only when shown, so secrets are scrubbed from the whole text first and a cut
/// never leaves part of one behind.
pub fn excerpt(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// "HTTP 404 Not Found: Unknown Webhook": the code, its reason and what the server said.
fn status_line(code: u16, said: &str) -> String {
    let reason = reqwest::StatusCode::from_u16(code)
        .ok()
        .and_then(|status| status.canonical_reason())
        .unwrap_or("");
    let mut text = format!("HTTP {code} {reason}").trim_end().to_string();
    let said = excerpt(said);
    if !said.is_empty() {
        text.push_str(": ");
        text.push_str(&said);
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
