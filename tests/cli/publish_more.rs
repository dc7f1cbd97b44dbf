//! `publish` to Mastodon, Atlassian Statuspage and Ghost against a local wiremock server
//! speaking each API (the exact requests of a first update, a later one and an edit), and to
//! static sites (the exact cState file, written the same way every time). Every publish
//! runs through [`publish`], which fails the test if a secret shows in the output or in any
//! file of the project.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use wiremock::{Request, ResponseTemplate};

use crate::support::{
    LocalServer, Output, Statuses, TestEnv, form, header, json_body, mastodon_status as status,
    output, pairs, publish_states, read,
};

const MASTODON_TOKEN: &str = "s3cr3t-mastodon-token";
const STATUSPAGE_KEY: &str = "s3cr3t-statuspage-key";
/// A Ghost Admin API key is `{24 hex id}:{64 hex secret}`.
const GHOST_ID: &str = "65f0c0ffee0ddba11c0ffee1";
const GHOST_SECRET: &str = "5ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2";
/// How every JWT we make begins: `{"alg":"HS256",` in base64url.
const JWT_START: &str = "eyJhbGciOiJIUzI1NiIs";

const MASTODON_TARGET: &str = "[targets.social]\nkind = \"mastodon\"\nurl = \"{uri}\"\ntoken_env = \"MASTODON_TOKEN\"\nvisibility = \"unlisted\"\n";
const STATUSPAGE_TARGET: &str = "[targets.statuspage]\nkind = \"statuspage\"\nurl = \"{uri}/v1\"\npage_id = \"pg1\"\napi_key_env = \"STATUSPAGE_KEY\"\ncomponents = { photos = \"cmp_photos\", web = \"cmp_web\" }\n";
const GHOST_TARGET: &str =
    "[targets.blog]\nkind = \"ghost\"\nurl = \"{uri}\"\nkey_env = \"GHOST_KEY\"\n";
const CSTATE_TARGET: &str =
    "[targets.site]\nkind = \"static\"\npath = \"site/content/issues\"\nflavor = \"cstate\"\n";

fn ghost_key() -> String {
    format!("{GHOST_ID}:{GHOST_SECRET}")
}

fn secrets() -> Vec<(&'static str, String)> {
    vec![
        ("MASTODON_TOKEN", MASTODON_TOKEN.to_string()),
        ("STATUSPAGE_KEY", STATUSPAGE_KEY.to_string()),
        ("GHOST_KEY", ghost_key()),
    ]
}

/// A project whose `incident.toml` adds `targets` (`{uri}` standing for the server).
fn project(server: Option<&LocalServer>, targets: &[&str]) -> TestEnv {
    let mut targets = targets.join("\n");
    if let Some(server) = server {
        targets = targets.replace("{uri}", &server.uri());
    }
    TestEnv::with_config(&targets)
}

/// Runs `incident publish ARGS` with every secret set, and fails the test if a secret
/// shows in its output or in any file of the project (the record above all).
fn publish(env: &TestEnv, args: &[&str]) -> Output {
    let out = output(env.command().envs(secrets()).arg("publish").args(args));
    assert_no_secret(env, &out);
    out
}

fn assert_no_secret(env: &TestEnv, out: &Output) {
    let mut secrets: Vec<String> = secrets().into_iter().map(|(_, value)| value).collect();
    secrets.extend(["s3cr3t", GHOST_SECRET, JWT_START].map(String::from));
    env.assert_no_secret(out, &secrets);
}

/// The text of update `seq` for `channel`, as `render` shows it and targets get it.
fn text(env: &TestEnv, id: &str, seq: usize, channel: &str) -> String {
    env.draft(id, seq, channel)["text"]
        .as_str()
        .unwrap()
        .trim()
        .to_string()
}

fn state_of(out: &Output, target: &str) -> String {
    publish_states(out)
        .into_iter()
        .find(|(name, _)| name == target)
        .map(|(_, state)| state)
        .unwrap_or_else(|| panic!("no `{target}` in\n{out}"))
}

/// Replaces update `update`'s `channel` text through `incident edit` and an editor.
fn edit(env: &TestEnv, id: &str, update: usize, channel: &str, text: &str) {
    env.edit(
        text,
        &[id, "--update", &update.to_string(), "--channel", channel],
    );
}

fn explain(env: &TestEnv, id: &str) {
    env.ok(&[
        "update",
        id,
        "--stage",
        "explain",
        "--message",
        "A full disk stopped uploads; we are freeing space.",
        "--field",
        "cause=a full disk",
    ]);
}

fn resolve(env: &TestEnv, id: &str) {
    env.ok(&[
        "resolve",
        id,
        "--data-loss",
        "none",
        "--message",
        "Uploads work again. We are sorry for the trouble.",
        "--field",
        "data_loss=none",
    ]);
}

// ---------------------------------------------------------------------------------------
// Mastodon

#[test]
fn mastodon_threads_later_updates_and_edits_a_status_in_place() {
    let server = LocalServer::start();
    server.answer_to("POST", "/api/v1/statuses", Statuses::new());
    server.answer_to("PUT", "/api/v1/statuses/1002", status("1002"));
    let env = project(Some(&server), &[MASTODON_TARGET]);
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for some people."],
    );

    // The first update: a new status, public as configured, with the key.
    let out = publish(&env, &[&id, "--yes", "--target", "social", "--json"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(state_of(&out, "social"), "published");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let first = &requests[0];
    assert_eq!(first.method.as_str(), "POST");
    assert_eq!(first.url.path(), "/api/v1/statuses");
    assert_eq!(
        header(first, "authorization"),
        Some(format!("Bearer {MASTODON_TOKEN}").as_str())
    );
    assert_eq!(
        header(first, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let recorded = env.publications_to(&id, 1, "social");
    assert_eq!(
        header(first, "idempotency-key"),
        recorded[0]["key"].as_str()
    );
    let social_1 = text(&env, &id, 1, "social");
    assert_eq!(
        form(first),
        pairs(&[("status", &social_1), ("visibility", "unlisted")])
    );
    assert_eq!(recorded[0]["remote_id"], "1001");
    assert_eq!(recorded[0]["url"], "https://social.acme.example/@acme/1001");

    // A later update replies to the first status: the incident is one thread.
    explain(&env, &id);
    let out = publish(&env, &[&id, "--yes", "--target", "social"]);
    assert_eq!(out.code, 0, "{out}");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let second = &requests[1];
    assert_eq!(
        (second.method.as_str(), second.url.path()),
        ("POST", "/api/v1/statuses")
    );
    let key = header(second, "idempotency-key").unwrap().to_string();
    assert_eq!(
        Some(key.as_str()),
        env.publications_to(&id, 2, "social")[0]["key"].as_str()
    );
    assert_ne!(Some(key.as_str()), recorded[0]["key"].as_str());
    assert_eq!(
        form(second),
        pairs(&[
            ("status", &text(&env, &id, 2, "social")),
            ("visibility", "unlisted"),
            ("in_reply_to_id", "1001"),
        ])
    );

    // An edited text changes that status in place.
    let changed = "Identified: a full disk stopped uploads. We are freeing space now.";
    edit(&env, &id, 2, "social", changed);
    let out = publish(&env, &[&id, "--yes", "--target", "social", "--json"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(state_of(&out, "social"), "edited");
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let put = &requests[2];
    assert_eq!(
        (put.method.as_str(), put.url.path()),
        ("PUT", "/api/v1/statuses/1002")
    );
    assert_eq!(
        header(put, "authorization"),
        Some(format!("Bearer {MASTODON_TOKEN}").as_str())
    );
    assert_eq!(form(put), pairs(&[("status", changed)]));
    let recorded = env.publications_to(&id, 2, "social");
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[1]["action"], "edit");
    assert_eq!(recorded[1]["remote_id"], "1002");

    // Nothing left to do.
    let out = publish(&env, &[&id, "--yes", "--target", "social", "--json"]);
    assert_eq!(state_of(&out, "social"), "already published");
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn mastodon_refuses_a_status_over_its_limit_before_sending() {
    let server = LocalServer::start();
    server.answer_to("POST", "/api/v1/statuses", status("1"));
    let env = project(Some(&server), &[&format!("{MASTODON_TARGET}limit = 40\n")]);
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for some people."],
    );
    // The checks flag it too; `--force` gets past them to the target's own refusal.
    let out = publish(&env, &[&id, "--yes", "--force", "--target", "social"]);
    assert_eq!(out.code, 3, "{out}");
    assert!(server.requests().is_empty());
    let recorded = env.publications_to(&id, 1, "social");
    assert_eq!(recorded[0]["state"], "failed");
    assert_eq!(recorded[0]["tries"], 0);
    let error = recorded[0]["error"].as_str().unwrap();
    assert!(
        error.contains("characters as Mastodon counts them; `social` allows 40"),
        "{error}"
    );
}

// ---------------------------------------------------------------------------------------
// Statuspage

fn statuspage_incident(status: &str) -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(json!({
        "id": "p31zjtct2jer",
        "name": "Uploads failing",
        "status": status,
        "impact": "critical",
        "shortlink": "https://stspg.io/p31zjtct2jer",
        "page_id": "pg1",
        "incident_updates": [],
        "components": []
    }))
}

#[test]
fn statuspage_creates_an_incident_then_adds_updates_to_it() {
    let server = LocalServer::start();
    server.answer_to(
        "POST",
        "/v1/pages/pg1/incidents",
        statuspage_incident("investigating"),
    );
    server.answer_to(
        "PATCH",
        "/v1/pages/pg1/incidents/p31zjtct2jer",
        statuspage_incident("resolved"),
    );
    let env = project(Some(&server), &[STATUSPAGE_TARGET]);
    // `api` has no Statuspage component, so it is left out.
    let id = env.open(
        "Uploads failing",
        &[
            "--severity",
            "sev1",
            "--component",
            "photos",
            "--component",
            "api",
            "--summary",
            "Uploads fail for some people.",
        ],
    );

    let out = publish(&env, &[&id, "--yes", "--target", "statuspage"]);
    assert_eq!(out.code, 0, "{out}");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let create = &requests[0];
    assert_eq!(create.method.as_str(), "POST");
    assert_eq!(create.url.path(), "/v1/pages/pg1/incidents");
    assert_eq!(
        header(create, "authorization"),
        Some(format!("OAuth {STATUSPAGE_KEY}").as_str())
    );
    assert_eq!(header(create, "content-type"), Some("application/json"));
    assert_eq!(
        json_body(create),
        json!({"incident": {
            "name": "Uploads failing",
            "status": "investigating",
            "body": text(&env, &id, 1, "status"),
            "component_ids": ["cmp_photos"],
            "components": {"cmp_photos": "major_outage"},
        }})
    );
    let recorded = env.publications_to(&id, 1, "statuspage");
    assert_eq!(recorded[0]["remote_id"], "p31zjtct2jer");
    assert_eq!(recorded[0]["url"], "https://stspg.io/p31zjtct2jer");

    // Resolving adds an incident update to the same Statuspage incident.
    resolve(&env, &id);
    let out = publish(&env, &[&id, "--yes", "--target", "statuspage"]);
    assert_eq!(out.code, 0, "{out}");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let patch = &requests[1];
    assert_eq!(patch.method.as_str(), "PATCH");
    assert_eq!(patch.url.path(), "/v1/pages/pg1/incidents/p31zjtct2jer");
    assert_eq!(
        header(patch, "authorization"),
        Some(format!("OAuth {STATUSPAGE_KEY}").as_str())
    );
    assert_eq!(
        json_body(patch),
        json!({"incident": {
            "status": "resolved",
            "body": text(&env, &id, 2, "status"),
            "component_ids": ["cmp_photos"],
            "components": {"cmp_photos": "operational"},
        }})
    );

    // A published incident update cannot be changed through the incident: an edited text
    // is not sent again.
    edit(&env, &id, 2, "status", "Uploads work again. We are sorry.");
    let out = publish(&env, &[&id, "--yes", "--target", "statuspage", "--json"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(state_of(&out, "statuspage"), "published; cannot edit");
    assert_eq!(server.requests().len(), 2);

    // Less severe incidents mark their components less broken.
    for (severity, expected) in [("sev2", "partial_outage"), ("sev3", "degraded_performance")] {
        let other = env.open(
            "Slow pages",
            &[
                "--severity",
                severity,
                "--component",
                "web",
                "--summary",
                "Pages load slowly for some people.",
            ],
        );
        let out = publish(&env, &[&other, "--yes", "--target", "statuspage"]);
        assert_eq!(out.code, 0, "{out}");
        let request = server.requests().pop().unwrap();
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(
            json_body(&request)["incident"]["components"],
            json!({"cmp_web": expected})
        );
    }
}

// ---------------------------------------------------------------------------------------
// Ghost

const POST_ID: &str = "6650a1b2c3d4e5f601234567";

fn ghost_post(id: &str, updated_at: &str) -> ResponseTemplate {
    ghost_post_with_status(200, id, updated_at)
}

fn ghost_post_with_status(code: u16, id: &str, updated_at: &str) -> ResponseTemplate {
    ResponseTemplate::new(code).set_body_json(json!({"posts": [{
        "id": id,
        "uuid": "3e5a1c1e-1111-4d2a-9a55-0c0ffee00001",
        "title": "Uploads failing",
        "slug": "incident-x",
        "status": "published",
        "url": format!("https://blog.acme.example/p/{id}/"),
        "updated_at": updated_at,
        "published_at": "2026-11-24T08:01:00.000Z"
    }]}))
}

/// Checks the `Authorization: Ghost <jwt>` of a request as Ghost does: the signature with
/// the hex-decoded secret, the key id, the audience and a five-minute life.
fn assert_ghost_token(request: &Request) {
    let value = header(request, "authorization").expect("an Authorization header");
    let jwt = value.strip_prefix("Ghost ").expect("the `Ghost` scheme");
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3, "{jwt}");
    let decode = |part: &str| -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    };
    assert_eq!(
        decode(parts[0]),
        json!({"alg": "HS256", "typ": "JWT", "kid": GHOST_ID})
    );
    let claims = decode(parts[1]);
    assert_eq!(claims["aud"], "/admin/");
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        300
    );
    let secret: Vec<u8> = (0..GHOST_SECRET.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&GHOST_SECRET[at..at + 2], 16).unwrap())
        .collect();
    let mut mac = Hmac::<Sha256>::new_from_slice(&secret).unwrap();
    mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
    mac.verify_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap())
        .expect("signed with the decoded secret");
    assert_eq!(header(request, "accept-version"), Some("v5.0"));
}

/// The blog draft's HTML without its title heading, which Ghost shows itself.
fn blog_html(env: &TestEnv, id: &str, seq: usize) -> String {
    let html = env.draft(id, seq, "blog")["html"]
        .as_str()
        .unwrap()
        .to_string();
    html.strip_prefix("<h1>Uploads failing</h1>")
        .expect("the blog draft opens with the title")
        .trim_start()
        .to_string()
}

#[test]
fn ghost_keeps_one_post_per_incident_and_rewrites_it() {
    let server = LocalServer::start();
    let env = project(Some(&server), &[GHOST_TARGET]);
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for some people."],
    );
    let slug = format!("incident-{id}");
    server.answer_to(
        "GET",
        &format!("/ghost/api/admin/posts/slug/{slug}/"),
        ResponseTemplate::new(404).set_body_json(json!({"errors": [{
            "message": "Post not found.", "type": "NotFoundError"
        }]})),
    );
    server.answer_to(
        "POST",
        "/ghost/api/admin/posts/",
        ghost_post_with_status(201, POST_ID, "2026-11-24T08:01:00.000Z"),
    );
    let post_path = format!("/ghost/api/admin/posts/{POST_ID}/");
    // Someone changed the post in Ghost since: its `updated_at` moved on.
    server.answer_to(
        "GET",
        &post_path,
        ghost_post(POST_ID, "2026-11-24T08:05:00.000Z"),
    );
    server.answer_to(
        "PUT",
        &post_path,
        ghost_post(POST_ID, "2026-11-24T08:14:00.000Z"),
    );

    // The first update: no post has the slug yet, so one is created.
    let out = publish(&env, &[&id, "--yes", "--target", "blog"]);
    assert_eq!(out.code, 0, "{out}");
    let requests = server.requests();
    let calls: Vec<(&str, &str)> = requests
        .iter()
        .map(|request| (request.method.as_str(), request.url.path()))
        .collect();
    let slug_path = format!("/ghost/api/admin/posts/slug/{slug}/");
    assert_eq!(
        calls,
        [
            ("GET", slug_path.as_str()),
            ("POST", "/ghost/api/admin/posts/")
        ]
    );
    for request in &requests {
        assert_ghost_token(request);
    }
    let create = &requests[1];
    assert_eq!(create.url.query(), Some("source=html"));
    let html_1 = blog_html(&env, &id, 1);
    assert!(!html_1.contains("<h1>"), "{html_1}");
    assert_eq!(
        json_body(create),
        json!({"posts": [{
            "title": "Uploads failing",
            "html": html_1,
            "status": "published",
            "slug": slug,
        }]})
    );
    let recorded = env.publications_to(&id, 1, "blog");
    assert_eq!(recorded[0]["remote_id"], POST_ID);
    assert_eq!(
        recorded[0]["url"],
        format!("https://blog.acme.example/p/{POST_ID}/")
    );
    assert_eq!(recorded[0]["tries"], 2, "the lookup and the create");
    assert!(recorded[0]["error"].is_null(), "{}", recorded[0]);

    // A later update rewrites that post, sending back the `updated_at` Ghost has now.
    explain(&env, &id);
    let out = publish(&env, &[&id, "--yes", "--target", "blog"]);
    assert_eq!(out.code, 0, "{out}");
    let requests = server.requests();
    let calls: Vec<(&str, &str)> = requests[2..]
        .iter()
        .map(|request| (request.method.as_str(), request.url.path()))
        .collect();
    assert_eq!(
        calls,
        [("GET", post_path.as_str()), ("PUT", post_path.as_str())]
    );
    for request in &requests[2..] {
        assert_ghost_token(request);
    }
    let put = &requests[3];
    assert_eq!(put.url.query(), Some("source=html"));
    assert_eq!(
        json_body(put),
        json!({"posts": [{
            "title": "Uploads failing",
            "html": blog_html(&env, &id, 2),
            "status": "published",
            "updated_at": "2026-11-24T08:05:00.000Z",
        }]})
    );
    assert_eq!(env.publications_to(&id, 2, "blog")[0]["remote_id"], POST_ID);

    // An edit of the blog text rewrites the same post again.
    edit(
        &env,
        &id,
        2,
        "blog",
        "# Uploads failing\n\nA full disk; fixed soon.",
    );
    let out = publish(&env, &[&id, "--yes", "--target", "blog", "--json"]);
    assert_eq!(state_of(&out, "blog"), "edited");
    let requests = server.requests();
    assert_eq!(requests.len(), 6);
    assert_eq!(requests[5].method.as_str(), "PUT");
    assert_eq!(requests[5].url.path(), post_path);
    assert_eq!(
        json_body(&requests[5])["posts"][0]["html"],
        "<p>A full disk; fixed soon.</p>\n"
    );
}

#[test]
fn ghost_rewrites_the_post_an_interrupted_try_made_instead_of_a_second_one() {
    let server = LocalServer::start();
    let env = project(Some(&server), &[GHOST_TARGET]);
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for some people."],
    );
    server.answer_to(
        "GET",
        &format!("/ghost/api/admin/posts/slug/incident-{id}/"),
        ghost_post("found00000000000000000001", "2026-11-24T08:00:30.000Z"),
    );
    server.answer_to(
        "PUT",
        "/ghost/api/admin/posts/found00000000000000000001/",
        ghost_post("found00000000000000000001", "2026-11-24T08:02:00.000Z"),
    );
    let out = publish(&env, &[&id, "--yes", "--target", "blog"]);
    assert_eq!(out.code, 0, "{out}");
    let requests = server.requests();
    let methods: Vec<&str> = requests
        .iter()
        .map(|request| request.method.as_str())
        .collect();
    assert_eq!(methods, ["GET", "PUT"], "no second post");
    assert_eq!(
        json_body(&requests[1])["posts"][0]["updated_at"],
        "2026-11-24T08:00:30.000Z"
    );
    assert_eq!(
        env.publications_to(&id, 1, "blog")[0]["remote_id"],
        "found00000000000000000001"
    );
}

// ---------------------------------------------------------------------------------------
// Dry runs

#[test]
fn a_dry_run_shows_each_request_without_secrets_and_sends_nothing() {
    let server = LocalServer::start();
    let env = project(
        Some(&server),
        &[
            MASTODON_TARGET,
            STATUSPAGE_TARGET,
            GHOST_TARGET,
            CSTATE_TARGET,
        ],
    );
    let id = env.open(
        "Uploads failing",
        &[
            "--component",
            "photos",
            "--summary",
            "Uploads fail for some people.",
        ],
    );
    let uri = server.uri();
    for with_secrets in [true, false] {
        let out = if with_secrets {
            publish(&env, &[&id, "--dry-run"])
        } else {
            let out = env.run(&["publish", &id, "--dry-run"]);
            assert_no_secret(&env, &out);
            out
        };
        assert_eq!(out.code, 0, "{out}");
        let shown = &out.stdout;
        for line in [
            format!("POST {uri}/api/v1/statuses"),
            "content-type: application/x-www-form-urlencoded".to_string(),
            "Idempotency-Key: ".to_string(),
            format!("POST {uri}/v1/pages/pg1/incidents"),
            format!("GET {uri}/ghost/api/admin/posts/slug/incident-{id}/"),
            format!("POST {uri}/ghost/api/admin/posts/?source=html"),
            "Accept-Version: v5.0".to_string(),
            format!("WRITE site/content/issues/2026-11-24-{id}.md"),
            "Dry run: nothing was sent.".to_string(),
        ] {
            assert!(shown.contains(&line), "no `{line}` in\n{out}");
        }
        assert_eq!(
            shown.matches("Authorization: [redacted]").count(),
            4,
            "{out}"
        );
        assert!(
            shown.contains("status=Investigating%3A%20Uploads%20failing"),
            "{out}"
        );
        assert!(
            shown.contains("\"component_ids\":[\"cmp_photos\"]"),
            "{out}"
        );
    }
    assert!(server.requests().is_empty());
    assert!(!env.root().join("site").exists());
    assert!(
        env.show_json(&id)["updates"][0]["publications"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

// ---------------------------------------------------------------------------------------
// Static sites

const CSTATE_3_UPDATES: &str = r#"---
title: "Uploads failing"
date: 2026-11-24T08:00:00Z
lastmod: 2026-11-24T08:04:00Z
resolved: true
resolvedWhen: 2026-11-24T08:04:00Z
severity: down
affected:
  - "Photo storage"
  - "Website"
section: issue
---

*Resolved* - Uploads work again. We are sorry for the trouble.

No data was lost or corrupted. {{< track "2026-11-24 08:04:00" >}}

*Identified* - A full disk stopped uploads; we are freeing space.

We will post the next update by 03:32 EST (08:32 UTC), sooner if anything changes. {{< track "2026-11-24 08:02:00" >}}

*Investigating* - Uploads fail for some people.

We will post the next update by 03:30 EST (08:30 UTC), sooner if anything changes. {{< track "2026-11-24 08:00:00" >}}
"#;

#[test]
fn the_cstate_file_shows_every_update_newest_first_and_is_rewritten_the_same_way() {
    let mirror = "[targets.mirror]\nkind = \"static\"\npath = \"mirror\"\nflavor = \"cstate\"\n";
    let env = project(None, &[CSTATE_TARGET, mirror]);
    let id = env.open(
        "Uploads failing",
        &[
            "--id",
            "uploads",
            "--severity",
            "sev1",
            "--component",
            "photos",
            "--component",
            "web",
            "--summary",
            "Uploads fail for some people.",
        ],
    );
    let file = env.root().join("site/content/issues/2026-11-24-uploads.md");
    let read = || read(&file);

    assert_eq!(publish(&env, &[&id, "--yes", "--target", "site"]).code, 0);
    let first = read();
    assert!(
        first.contains("resolved: false\nseverity: down\n"),
        "{first}"
    );
    assert_eq!(first.matches("{{< track ").count(), 1, "{first}");

    explain(&env, &id);
    assert_eq!(publish(&env, &[&id, "--yes", "--target", "site"]).code, 0);
    let second = read();
    assert_eq!(second.matches("{{< track ").count(), 2, "{second}");
    assert!(
        second.find("*Identified*").unwrap() < second.find("*Investigating*").unwrap(),
        "newest first:\n{second}"
    );

    resolve(&env, &id);
    // What a dry run shows is what gets written.
    let preview = publish(&env, &[&id, "--dry-run", "--target", "site"]);
    assert!(preview.stdout.contains(CSTATE_3_UPDATES), "{preview}");
    let out = publish(&env, &[&id, "--yes", "--target", "site"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(read(), CSTATE_3_UPDATES);
    let recorded = env.publications_to(&id, 3, "site");
    assert_eq!(
        recorded[0]["remote_id"],
        "site/content/issues/2026-11-24-uploads.md"
    );

    // The same record makes the same bytes, whatever the history: a site first published
    // now, and a re-run that finds nothing to do.
    let out = publish(&env, &[&id, "--yes", "--target", "mirror"]);
    assert_eq!(out.code, 0, "{out}");
    let mirrored = env.root().join("mirror/2026-11-24-uploads.md");
    assert_eq!(
        std::fs::read(&mirrored).unwrap(),
        CSTATE_3_UPDATES.as_bytes()
    );
    let out = publish(&env, &[&id, "--yes", "--target", "site", "--json"]);
    assert_eq!(state_of(&out, "site"), "already published");
    assert_eq!(read(), CSTATE_3_UPDATES);

    // Editing the first update rewrites the file with the later updates still in it.
    edit(
        &env,
        &id,
        1,
        "status",
        "Uploads fail for everyone in Europe.",
    );
    let out = publish(
        &env,
        &[&id, "--yes", "--update", "1", "--target", "site", "--json"],
    );
    assert_eq!(state_of(&out, "site"), "edited", "{out}");
    let expected = CSTATE_3_UPDATES.replace(
        "*Investigating* - Uploads fail for some people.\n\nWe will post the next update by 03:30 EST (08:30 UTC), sooner if anything changes.",
        "*Investigating* - Uploads fail for everyone in Europe.",
    );
    assert_ne!(expected, CSTATE_3_UPDATES);
    assert_eq!(read(), expected);
}

#[test]
fn hugo_and_jekyll_posts_get_their_own_front_matter_and_safe_bodies() {
    let env = project(
        None,
        &[
            "[targets.hugo]\nkind = \"static\"\npath = \"hugo/content/posts\"\nflavor = \"hugo\"\n",
            "[targets.jekyll]\nkind = \"static\"\npath = \"jekyll/_posts\"\nflavor = \"jekyll\"\n",
        ],
    );
    let id = env.open(
        "Uploads \"failing\"",
        &[
            "--id",
            "uploads",
            "--component",
            "photos",
            "--summary",
            "Uploads fail for some people; {{< ref x >}} and {% include y %} stay text.",
        ],
    );
    let out = publish(&env, &[&id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");

    let hugo = env.read("hugo/content/posts/uploads.md");
    assert_eq!(
        hugo,
        "---\n\
         title: \"Uploads \\\"failing\\\"\"\n\
         date: 2026-11-24T08:00:00Z\n\
         lastmod: 2026-11-24T08:00:00Z\n\
         draft: false\n\
         tags: [\"incident\", \"photos\"]\n\
         ---\n\
         \n\
         ### Investigating — 2026-11-24 03:00 EST (08:00 UTC)\n\
         \n\
         Uploads fail for some people; {{&lt; ref x &gt;}} and {% include y %} stay text.\n\
         \n\
         We will post the next update by 04:00 EST (09:00 UTC), sooner if anything changes.\n"
    );
    let jekyll = env.read("jekyll/_posts/2026-11-24-uploads.md");
    assert!(
        jekyll.starts_with(
            "---\nlayout: post\ntitle: \"Uploads \\\"failing\\\"\"\ndate: 2026-11-24 08:00:00 +0000\nlast_modified_at: 2026-11-24 08:00:00 +0000\ntags: [\"incident\", \"photos\"]\n---\n\n### Investigating — "
        ),
        "{jekyll}"
    );
    assert!(
        jekyll.contains("&#123;&#123;&lt; ref x &gt;}} and &#123;% include y %} stay text."),
        "{jekyll}"
    );
}
