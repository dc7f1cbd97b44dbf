//! Requests as data (so a dry run can print exactly what would be sent, secrets redacted),
//! and sending them through the one retry loop with a timeout per try, reading at most
//! [`MAX_BODY`] of an answer.

use std::fmt::Write as _;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::PublishError;
pub use super::reply::Reply;
use super::retry::{self, Attempt};
use crate::config::{DeliveryRule, Secret};

/// The most of a successful answer read: far more than any target's answer needs, and a
/// bound on what a broken or hostile server can make us hold.
pub const MAX_BODY: usize = 1 << 20;
/// The most of a refusal read, to explain it; the rest is not needed.
pub const MAX_ERROR_BODY: usize = 64 << 10;

/// One HTTP request, with what must never be shown marked as such. `Debug` shows it as a
/// dry run does, secrets redacted.
#[derive(Clone)]
pub struct Outgoing {
    pub method: reqwest::Method,
    /// The URL sent to.
    pub url: String,
    /// The URL as shown: an environment variable's name stands in for a secret URL.
    pub shown_url: String,
    pub headers: Vec<Header>,
    pub body: Option<Body>,
    /// Whether a successful answer's body is read at all.
    pub read: Read,
}

/// How much of a successful answer a target needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// The body, up to [`MAX_BODY`]; a longer one is an error naming the limit.
    Body,
    /// Only the status: the body is never read.
    StatusOnly,
}

#[derive(Debug, Clone)]
pub struct Header {
    pub name: String,
    pub value: HeaderValue,
}

/// A header's value; a secret one is shown as `[redacted]` in dry runs and `Debug`.
#[derive(Debug, Clone)]
pub enum HeaderValue {
    Plain(String),
    Secret(Secret),
}

impl HeaderValue {
    /// The value as it goes on the wire: the one place a secret header is exposed.
    fn wire(&self) -> &str {
        match self {
            HeaderValue::Plain(value) => value,
            HeaderValue::Secret(secret) => secret.expose(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Body {
    pub content_type: &'static str,
    pub text: String,
}

impl std::fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown())
    }
}

impl Outgoing {
    pub fn new(method: reqwest::Method, url: &Url) -> Outgoing {
        Outgoing {
            method,
            url: url.real.clone(),
            shown_url: url.shown.clone(),
            headers: Vec::new(),
            body: None,
            read: Read::Body,
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Outgoing {
        self.headers.push(Header {
            name: name.to_string(),
            value: HeaderValue::Plain(value.into()),
        });
        self
    }

    /// Adds a header holding a credential, which only the wire sees.
    pub fn secret_header(mut self, name: &str, value: &Secret) -> Outgoing {
        self.headers.push(Header {
            name: name.to_string(),
            value: HeaderValue::Secret(value.clone()),
        });
        self
    }

    /// Reads only the status of a successful answer, never its body.
    pub fn status_only(mut self) -> Outgoing {
        self.read = Read::StatusOnly;
        self
    }

    /// Sets a JSON body, serialized once so that what is signed is what is sent.
    pub fn json(mut self, value: &serde_json::Value) -> Outgoing {
        self.body = Some(Body {
            content_type: "application/json",
            text: serde_json::to_string(value).expect("a JSON value always serializes"),
        });
        self
    }

    /// Sets an `application/x-www-form-urlencoded` body.
    pub fn form(mut self, fields: &[(&str, &str)]) -> Outgoing {
        self.body = Some(Body {
            content_type: "application/x-www-form-urlencoded",
            text: fields
                .iter()
                .map(|(key, value)| format!("{}={}", encode_segment(key), encode_segment(value)))
                .collect::<Vec<_>>()
                .join("&"),
        });
        self
    }

    /// Returns the request as a dry run prints it: method and URL, headers, a blank line and
    /// the body, with every secret redacted.
    pub fn shown(&self) -> String {
        let mut text = format!("{} {}\n", self.method, self.shown_url);
        if let Some(body) = &self.body {
            let _ = writeln!(text, "content-type: {}", body.content_type);
        }
        for header in &self.headers {
            let value = match &header.value {
                HeaderValue::Plain(value) => value.as_str(),
                HeaderValue::Secret(_) => "[redacted]",
            };
            let _ = writeln!(text, "{}: {value}", header.name);
        }
        if let Some(body) = &self.body {
            let _ = writeln!(text, "\n{}", body.text);
        }
        text
    }
}

/// Percent-encodes everything but the unreserved characters of RFC 3986, which is valid in
/// a form value and in a path segment alike.
pub fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A URL that may carry a credential (chat webhooks do, in their path). `Debug` shows only
/// the shown form.
#[derive(Clone, PartialEq, Eq)]
pub struct Url {
    pub real: String,
    pub shown: String,
}

impl std::fmt::Debug for Url {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Url({})", self.shown)
    }
}

impl Url {
    /// A URL that is not secret.
    pub fn plain(url: &str) -> Url {
        Url {
            real: url.to_string(),
            shown: url.to_string(),
        }
    }

    /// A secret URL from environment variable `variable`, shown as `$VARIABLE`.
    pub fn secret(url: &str, variable: &str) -> Url {
        Url {
            real: url.to_string(),
            shown: format!("${variable}"),
        }
    }

    /// Appends `/segment` to the path, keeping any query.
    pub fn join(&self, segment: &str) -> Url {
        let join = |url: &str| match url.split_once('?') {
            Some((path, query)) => format!("{}/{segment}?{query}", path.trim_end_matches('/')),
            None => format!("{}/{segment}", url.trim_end_matches('/')),
        };
        Url {
            real: join(&self.real),
            shown: join(&self.shown),
        }
    }

    /// Adds `key=value` to the query.
    pub fn query(&self, key: &str, value: &str) -> Url {
        let add = |url: &str| {
            let separator = if url.contains('?') { '&' } else { '?' };
            format!("{url}{separator}{key}={value}")
        };
        Url {
            real: add(&self.real),
            shown: add(&self.shown),
        }
    }
}

/// How hard to try, and how a try that may have arrived is treated.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub attempts: u32,
    pub timeout: Duration,
    /// The target kind's delivery rule, or [`DeliveryRule::Keyed`] for a request that is
    /// harmless to repeat (a lookup, an overwrite of a known post).
    pub rule: DeliveryRule,
}

impl Policy {
    /// The same policy for a request that is harmless to repeat: a read, or a write that
    /// sets a known post to one text.
    pub fn repeatable(self) -> Policy {
        Policy {
            rule: DeliveryRule::Keyed,
            ..self
        }
    }

    /// The same policy for a create whose result can be looked up (by slug): a try that
    /// may have arrived is handed back to be looked for, whatever rule the delivery has.
    pub fn findable(self) -> Policy {
        Policy {
            rule: DeliveryRule::Findable,
            ..self
        }
    }
}

/// The outcome of sending one request, retries included.
pub type Sent = retry::Tried<Reply>;

impl Sent {
    /// Returns the last answer when it was not a success, for targets that explain their
    /// own errors.
    pub fn refusal(&self) -> Option<&Reply> {
        self.result.as_ref().err().and_then(PublishError::reply)
    }
}

/// The HTTP client every target shares.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
}

impl Http {
    pub fn new() -> Result<Http, PublishError> {
        // reqwest is built without a default crypto provider; without one installed,
        // building a client panics.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("incident/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| {
                PublishError::unsendable(format!("cannot start the HTTP client: {error}"))
            })?;
        Ok(Http { client })
    }

    /// Sends the request `build` makes for each try (a try may need a fresh timestamp and
    /// signature) through the one retry loop. Any 2xx is success; what else is tried again
    /// follows from `policy.rule` and the failure ([`Attempt::failed`]).
    pub async fn send(
        &self,
        policy: Policy,
        now: impl Fn() -> DateTime<Utc>,
        build: impl Fn(DateTime<Utc>) -> Outgoing,
    ) -> Sent {
        self.send_reading(policy, now, build, Ok).await
    }

    /// Sends as [`Http::send`] does, reading each successful answer with `read` inside the
    /// loop: a success that cannot be read may be tried again like any other failure (for a
    /// keyed kind the remote answers a repeat with what the first try made).
    pub async fn send_reading<T>(
        &self,
        policy: Policy,
        now: impl Fn() -> DateTime<Utc>,
        build: impl Fn(DateTime<Utc>) -> Outgoing,
        read: impl Fn(Reply) -> Result<T, PublishError>,
    ) -> retry::Tried<T> {
        retry::retrying(policy.attempts, |_| {
            let outgoing = build(now());
            let now = &now;
            let read = &read;
            async move {
                match self.try_once(&outgoing, policy.timeout).await {
                    Ok(answer) if (200..300).contains(&answer.status) => match read(answer.reply) {
                        Ok(value) => Attempt::Done(value),
                        Err(error) => Attempt::failed(policy.rule, error, None),
                    },
                    Ok(answer) => {
                        let wait =
                            retry::server_wait(answer.retry_after.as_deref(), &answer.body, now());
                        Attempt::failed(policy.rule, status_error(answer.reply), wait)
                    }
                    Err(error) => Attempt::failed(policy.rule, error, None),
                }
            }
        })
        .await
    }

    async fn try_once(
        &self,
        outgoing: &Outgoing,
        timeout: Duration,
    ) -> Result<Answer, PublishError> {
        let mut request = self
            .client
            .request(outgoing.method.clone(), &outgoing.url)
            .timeout(timeout);
        for header in &outgoing.headers {
            request = request.header(&header.name, header.value.wire());
        }
        if let Some(body) = &outgoing.body {
            request = request
                .header("content-type", body.content_type)
                .body(body.text.clone());
        }
        let response = request
            .send()
            .await
            .map_err(|error| network_error(error, timeout))?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string)
        };
        let retry_after = header("retry-after");
        let link = header("link");
        let success = response.status().is_success();
        let body = match (success, outgoing.read) {
            (true, Read::StatusOnly) => String::new(),
            (true, Read::Body) => read_body(response, MAX_BODY, timeout).await?.ok_or_else(
                || {
                    PublishError::unreadable(format!(
                        "the answer is longer than {} MiB, the most read; it was not read further",
                        MAX_BODY >> 20
                    ))
                },
            )?,
            // A refusal is explained from its start; the rest is not needed.
            (false, _) => match read_body(response, MAX_ERROR_BODY, timeout).await {
                Ok(Some(body)) => body,
                Ok(None) | Err(_) => String::new(),
            },
        };
        Ok(Answer {
            reply: Reply { status, body, link },
            retry_after,
        })
    }
}

/// Reads at most `limit` bytes of `response`'s body as text: `None` when it is longer, or
/// (for a refusal read only in part) the part read.
async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
    timeout: Duration,
) -> Result<Option<String>, PublishError> {
    let mut body: Vec<u8> = Vec::new();
    // The answer has begun: a failure now came after the request was taken.
    let failed = |error| match network_error(error, timeout) {
        PublishError::NeverSent { detail } => PublishError::NoAnswer { detail },
        other => other,
    };
    while let Some(chunk) = response.chunk().await.map_err(failed)? {
        if body.len() + chunk.len() > limit {
            if limit < MAX_BODY {
                body.extend_from_slice(&chunk[..limit - body.len()]);
                return Ok(Some(String::from_utf8_lossy(&body).into_owned()));
            }
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(String::from_utf8_lossy(&body).into_owned()))
}

/// A reply and the `Retry-After` header it carried.
struct Answer {
    reply: Reply,
    retry_after: Option<String>,
}

impl std::ops::Deref for Answer {
    type Target = Reply;
    fn deref(&self) -> &Reply {
        &self.reply
    }
}

/// Describes a failed request without its URL, which may hold a secret, by how far it got:
/// a failed connection (DNS, refused, TLS handshake) never sent anything.
fn network_error(error: reqwest::Error, timeout: Duration) -> PublishError {
    if error.is_timeout() {
        return PublishError::Timeout { after: timeout };
    }
    let connect = error.is_connect();
    let error = error.without_url();
    let mut detail = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    if connect {
        PublishError::NeverSent { detail }
    } else {
        PublishError::NoAnswer { detail }
    }
}

/// Returns the error of an unwanted status: its code and what the server said, shortened.
pub fn status_error(reply: Reply) -> PublishError {
    PublishError::Status {
        code: reply.status,
        said: server_message(&reply.body),
        reply: Box::new(reply),
    }
}

/// Returns what a server said in an error body, on one line: a JSON `message` (Discord,
/// WordPress), `error` and `error_description` (Mastodon, Statuspage), Ghost's
/// `errors[0].message` with its `context`, or the text itself (Slack, Mattermost).
fn server_message(body: &str) -> String {
    let from_json = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|value| {
            let text =
                |value: &serde_json::Value, key: &str| value.get(key)?.as_str().map(str::to_string);
            if let Some(first) = value.get("errors").and_then(|errors| errors.get(0)) {
                let message = text(first, "message")?;
                return Some(match text(first, "context") {
                    Some(context) => format!("{message} ({context})"),
                    None => message,
                });
            }
            ["message", "error", "error_description"]
                .iter()
                .find_map(|key| text(&value, key))
        });
    // Kept whole: it is cut when shown, after secrets are scrubbed from all of it.
    let text = from_json.unwrap_or_else(|| body.to_string());
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(status: u16, body: &str) -> String {
        status_error(Reply {
            status,
            body: body.to_string(),
            link: None,
        })
        .to_string()
    }

    /// Sends one GET to `url` with `attempts` tries of at most `timeout` each.
    fn get(url: &str, attempts: u32, timeout: Duration) -> Sent {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let http = Http::new().unwrap();
        let outgoing = Outgoing::new(reqwest::Method::GET, &Url::plain(url));
        let policy = Policy {
            attempts,
            timeout,
            rule: DeliveryRule::Keyed,
        };
        runtime.block_on(http.send(policy, Utc::now, |_| outgoing.clone()))
    }

    #[test]
    fn a_refused_connection_never_sent_anything_and_is_retried() {
        // A port that was just free: nothing listens there.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let sent = get(
            &format!("http://127.0.0.1:{port}/hook"),
            2,
            Duration::from_secs(5),
        );
        assert_eq!((sent.tries, sent.errors.len()), (2, 2));
        let error = sent.result.unwrap_err();
        assert!(matches!(error, PublishError::NeverSent { .. }), "{error:?}");
        assert!(!error.to_string().contains("/hook"), "no URL: {error}");
    }

    #[test]
    fn a_server_that_reads_and_never_answers_is_a_timeout() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let held = std::thread::spawn(move || {
            // Take the request and keep the connection open without a word.
            let (stream, _) = listener.accept().unwrap();
            std::thread::sleep(Duration::from_millis(800));
            drop(stream);
        });
        let sent = get(
            &format!("http://127.0.0.1:{port}/"),
            1,
            Duration::from_millis(200),
        );
        let error = sent.result.unwrap_err();
        assert!(matches!(error, PublishError::Timeout { .. }), "{error:?}");
        assert_eq!(error.to_string(), "no answer within 0.2s");
        held.join().unwrap();
    }

    /// Serves one connection: reads the request, writes `head` and `body_bytes` bytes of
    /// `x`, and closes.
    fn serve_once(head: &'static str, body_bytes: usize) -> (u16, std::thread::JoinHandle<()>) {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let served = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ =
                stream.write_all(format!("{head}content-length: {body_bytes}\r\n\r\n").as_bytes());
            let _ = stream.write_all(&vec![b'x'; body_bytes]);
        });
        (port, served)
    }

    #[test]
    fn answers_are_read_only_up_to_the_limit() {
        let (port, served) = serve_once("HTTP/1.1 200 OK\r\n", MAX_BODY + 1);
        let sent = get(
            &format!("http://127.0.0.1:{port}/"),
            1,
            Duration::from_secs(5),
        );
        let error = sent.result.unwrap_err();
        assert!(
            matches!(error, PublishError::Unreadable { .. }),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "the answer is longer than 1 MiB, the most read; it was not read further"
        );
        served.join().unwrap();

        let (port, served) = serve_once("HTTP/1.1 200 OK\r\n", MAX_BODY);
        let sent = get(
            &format!("http://127.0.0.1:{port}/"),
            1,
            Duration::from_secs(5),
        );
        assert_eq!(sent.result.unwrap().body.len(), MAX_BODY);
        served.join().unwrap();

        // A refusal is read in part, and shown as a short excerpt.
        let (port, served) = serve_once("HTTP/1.1 400 Bad Request\r\n", 10 * MAX_ERROR_BODY);
        let sent = get(
            &format!("http://127.0.0.1:{port}/"),
            1,
            Duration::from_secs(5),
        );
        let error = sent.result.unwrap_err();
        assert_eq!(error.reply().unwrap().body.len(), MAX_ERROR_BODY);
        assert!(error.to_string().chars().count() < 400, "{error}");
        served.join().unwrap();
    }

    #[test]
    fn encodes_form_values() {
        let outgoing = Outgoing::new(reqwest::Method::POST, &Url::plain("https://x.example"))
            .form(&[("status", "a b&c=é/ü~"), ("visibility", "public")]);
        assert_eq!(
            outgoing.body.unwrap().text,
            "status=a%20b%26c%3D%C3%A9%2F%C3%BC~&visibility=public"
        );
    }

    #[test]
    fn error_bodies_become_one_clear_line() {
        assert_eq!(
            said(404, r#"{"code":10015,"message":"Unknown Webhook"}"#),
            "HTTP 404 Not Found: Unknown Webhook"
        );
        assert_eq!(
            said(
                422,
                r#"{"error":"Validation failed: Text character limit of 500 exceeded"}"#
            ),
            "HTTP 422 Unprocessable Entity: Validation failed: Text character limit of 500 exceeded"
        );
        assert_eq!(
            said(
                409,
                r#"{"errors":[{"message":"Saving failed! Someone else is editing this post.","context":null,"type":"UpdateCollisionError"}]}"#
            ),
            "HTTP 409 Conflict: Saving failed! Someone else is editing this post."
        );
        assert_eq!(
            said(
                401,
                r#"{"errors":[{"message":"Invalid token","context":"jwt expired","type":"UnauthorizedError"}]}"#
            ),
            "HTTP 401 Unauthorized: Invalid token (jwt expired)"
        );
        assert_eq!(
            said(400, "invalid_payload"),
            "HTTP 400 Bad Request: invalid_payload"
        );
        assert_eq!(said(500, ""), "HTTP 500 Internal Server Error");
    }
}
