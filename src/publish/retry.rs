//! The one retry loop every target's tries go through (HTTP requests and SMTP sessions
//! alike), and how long it waits between tries: exponential backoff with jitter, or what
//! the server asked for (`Retry-After` in seconds or as an HTTP date, or a provider's own
//! field such as Discord's `retry_after`).
//!
//! Whether a failed try is tried again follows from the target kind's [`DeliveryRule`] and
//! from how far the try got ([`Reach`]), in [`Attempt::failed`]: a try that never left, or
//! that the remote asked us to repeat, is repeated for every kind; one that may have arrived
//! is repeated only for a *keyed* kind, handed back to a *findable* kind to look for what
//! it made, and for a *blind* kind becomes *uncertain* at once.

use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::PublishError;
use super::error::Reach;
use crate::config::DeliveryRule;

/// How one try ended.
#[derive(Debug)]
pub enum Attempt<T> {
    Done(T),
    Failed {
        error: PublishError,
        /// Whether another try may help and cannot deliver twice.
        retry: bool,
        /// How long the remote asked us to wait first, if it did.
        wait: Option<Duration>,
    },
}

impl<T> Attempt<T> {
    /// A failed try, to be tried again or not as `rule` and the failure say; `wait` is
    /// what the remote asked for. For a *blind* kind, a try that may have arrived ends as
    /// [`PublishError::Uncertain`].
    pub fn failed(rule: DeliveryRule, error: PublishError, wait: Option<Duration>) -> Attempt<T> {
        let (error, retry) = match (error.reach(), rule) {
            (Reach::NeverSent | Reach::AskedToRetry, _) => (error, true),
            (Reach::MayHaveArrived, DeliveryRule::Keyed) => (error, true),
            // The target looks for what the try made before it makes it again.
            (Reach::MayHaveArrived, DeliveryRule::Findable) => (error, false),
            (Reach::MayHaveArrived, DeliveryRule::Blind) => (error.uncertain(), false),
            (Reach::Refused, _) => (error, false),
        };
        Attempt::Failed {
            error,
            retry,
            wait: if retry { wait } else { None },
        }
    }
}

/// The outcome of a series of tries.
#[derive(Debug)]
pub struct Tried<T> {
    pub result: Result<T, PublishError>,
    pub tries: u32,
    /// What went wrong on each failed try, in order.
    pub errors: Vec<PublishError>,
}

/// Makes up to `attempts` tries with `attempt` (given the try's number, from 1), stopping
/// at the first success or at a failure that says not to retry, and waiting between tries
/// as the failure asks or else with [`backoff`].
pub async fn retrying<T, F, Fut>(attempts: u32, mut attempt: F) -> Tried<T>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Attempt<T>>,
{
    let attempts = attempts.max(1);
    let mut errors = Vec::new();
    let mut tries = 0;
    loop {
        tries += 1;
        match attempt(tries).await {
            Attempt::Done(value) => {
                return Tried {
                    result: Ok(value),
                    tries,
                    errors,
                };
            }
            Attempt::Failed { error, retry, wait } => {
                errors.push(error.clone());
                if !retry || tries >= attempts {
                    return Tried {
                        result: Err(error),
                        tries,
                        errors,
                    };
                }
                tokio::time::sleep(wait.unwrap_or_else(|| backoff(tries + 1))).await;
            }
        }
    }
}

/// The first wait; each later one doubles, up to [`MAX_BACKOFF`].
const BASE_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// The longest a server may make us wait between two tries.
pub const MAX_SERVER_WAIT: Duration = Duration::from_secs(120);

pub use super::error::is_retryable;

/// Returns the wait before try number `next_try` (2 for the first retry): 0.5 s, 1 s, 2 s…
/// each scaled by a random factor between 0.5 and 1 so that many clients do not retry in
/// step.
pub fn backoff(next_try: u32) -> Duration {
    let exponent = next_try.saturating_sub(2).min(16);
    let full = BASE_BACKOFF.saturating_mul(1 << exponent).min(MAX_BACKOFF);
    full.mul_f64(0.5 + 0.5 * random_unit())
}

/// Reads how long the server asked us to wait: `Retry-After` (seconds or an HTTP date),
/// else a JSON body's `retry_after` in seconds (Discord). Capped at [`MAX_SERVER_WAIT`].
pub fn server_wait(retry_after: Option<&str>, body: &str, now: DateTime<Utc>) -> Option<Duration> {
    let from_header = retry_after.and_then(|value| {
        let value = value.trim();
        match value.parse::<f64>() {
            Ok(seconds) => seconds_to_duration(seconds),
            Err(_) => DateTime::parse_from_rfc2822(value).ok().map(|at| {
                (at.with_timezone(&Utc) - now)
                    .to_std()
                    .unwrap_or(Duration::ZERO)
            }),
        }
    });
    let from_body = || {
        serde_json::from_str::<serde_json::Value>(body)
            .ok()?
            .get("retry_after")?
            .as_f64()
            .and_then(seconds_to_duration)
    };
    from_header
        .or_else(from_body)
        .map(|wait| wait.min(MAX_SERVER_WAIT))
}

fn seconds_to_duration(seconds: f64) -> Option<Duration> {
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds.min(1e6)))
}

/// A number in [0, 1) that differs from call to call: the standard library's per-process
/// random hash keys are plenty for jitter.
fn random_unit() -> f64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(u64::from(std::process::id()));
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
impl<T> Attempt<T> {
    fn error(self) -> PublishError {
        match self {
            Attempt::Failed { error, .. } => error,
            Attempt::Done(_) => panic!("not a failure"),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    fn failed(retry: bool) -> Attempt<u32> {
        Attempt::Failed {
            error: PublishError::NeverSent {
                detail: "refused".to_string(),
            },
            retry,
            wait: Some(Duration::ZERO),
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn retries_until_success_a_stop_or_the_last_attempt() {
        let calls = Cell::new(0);
        let tried = retrying(5, |n| {
            calls.set(calls.get() + 1);
            async move {
                if n < 3 {
                    failed(true)
                } else {
                    Attempt::Done(n)
                }
            }
        })
        .await;
        assert_eq!(
            (tried.result.unwrap(), tried.tries, tried.errors.len()),
            (3, 3, 2)
        );

        let tried = retrying(5, |_| async { failed(false) }).await;
        assert_eq!((tried.tries, tried.errors.len()), (1, 1));
        assert!(tried.result.is_err());

        calls.set(0);
        let tried = retrying(3, |_| {
            calls.set(calls.get() + 1);
            async { failed(true) }
        })
        .await;
        assert_eq!((tried.tries, calls.get(), tried.errors.len()), (3, 3, 3));
        assert_eq!(tried.result.unwrap_err().to_string(), "refused");

        let tried = retrying(0, |_| async { failed(true) }).await;
        assert_eq!(tried.tries, 1, "at least one try");
    }

    #[test]
    fn the_delivery_rule_decides_what_may_have_arrived() {
        use DeliveryRule::*;
        let timeout = || PublishError::Timeout {
            after: Duration::from_secs(1),
        };
        let never = || PublishError::NeverSent {
            detail: "connection refused".to_string(),
        };
        let busy = || PublishError::Status {
            code: 503,
            said: String::new(),
            reply: Box::default(),
        };
        let gone = || PublishError::Status {
            code: 404,
            said: String::new(),
            reply: Box::default(),
        };
        let decided = |rule, error| match Attempt::<()>::failed(rule, error, None) {
            Attempt::Failed { error, retry, .. } => (retry, error.is_uncertain()),
            Attempt::Done(()) => unreachable!(),
        };
        for rule in [Keyed, Findable, Blind] {
            assert_eq!(decided(rule, never()), (true, false), "{rule}");
            assert_eq!(decided(rule, busy()), (true, false), "{rule}");
            assert_eq!(decided(rule, gone()), (false, false), "{rule}");
        }
        assert_eq!(decided(Keyed, timeout()), (true, false));
        assert_eq!(decided(Findable, timeout()), (false, false));
        assert_eq!(decided(Blind, timeout()), (false, true));
        let unreadable = PublishError::unreadable("not JSON");
        assert_eq!(decided(Blind, unreadable), (false, true));
        assert_eq!(
            Attempt::<()>::failed(Blind, timeout(), None)
                .error()
                .to_string(),
            "no answer within 1s; it may have arrived, so it was not sent again"
        );
    }

    #[test]
    fn retries_only_what_can_get_better() {
        for status in [408, 420, 429, 500, 502, 503, 504] {
            assert!(is_retryable(status), "{status}");
        }
        for status in [200, 301, 400, 401, 403, 404, 410, 422] {
            assert!(!is_retryable(status), "{status}");
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_a_cap() {
        for _ in 0..100 {
            let first = backoff(2);
            assert!((250..=500).contains(&first.as_millis()), "{first:?}");
            let third = backoff(4);
            assert!((1000..=2000).contains(&third.as_millis()), "{third:?}");
            assert!(backoff(40) <= MAX_BACKOFF);
        }
    }

    #[test]
    fn honours_retry_after_in_seconds_dates_and_discord_bodies() {
        let now: DateTime<Utc> = "2015-10-21T07:27:58Z".parse().unwrap();
        assert_eq!(
            server_wait(Some("1"), "", now),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            server_wait(Some("Wed, 21 Oct 2015 07:28:00 GMT"), "", now),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            server_wait(
                None,
                r#"{"message":"You are being rate limited.","retry_after":0.25,"global":false}"#,
                now
            ),
            Some(Duration::from_millis(250))
        );
        assert_eq!(server_wait(Some("86400"), "", now), Some(MAX_SERVER_WAIT));
        assert_eq!(server_wait(Some("soon"), "not json", now), None);
        assert_eq!(server_wait(Some("-5"), "", now), None);
    }
}
