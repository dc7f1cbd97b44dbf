//! The catalog of playbook checks: each rule's stable id, default level, default phrases or
//! patterns, and the hint shown with its findings.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// How serious a finding is. Error-level findings make `lint` exit 1 and block `publish`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "error" => Some(Level::Error),
            "warning" => Some(Level::Warning),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One check. The ids are stable: configs and scripts refer to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "&'static str")]
pub enum Rule {
    AffectedUnsaid,
    ApologyMissing,
    NextUpdateMissing,
    Minimising,
    BlameShifting,
    VendorBlame,
    SocialLimit,
    AcknowledgeLate,
    FixTimePromised,
    InternalDetail,
    DataLossUnsaid,
    DataLossUnknown,
    Placeholder,
    EditLost,
    Dismissal,
    NonApology,
    Speculation,
    PassiveEvasion,
    Jargon,
    Readability,
    TimeZoneMissing,
    ResolutionConflict,
    DowntimeDenied,
}

/// What a rule's phrases mean: text that must not appear, or text that shows the rule is
/// satisfied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhraseUse {
    /// The rule has no phrases.
    None,
    /// Any match is a finding.
    Forbidden,
    /// A match anywhere satisfies the rule.
    Required,
}

impl Rule {
    pub const ALL: [Rule; 23] = [
        Rule::AffectedUnsaid,
        Rule::ApologyMissing,
        Rule::NextUpdateMissing,
        Rule::Minimising,
        Rule::BlameShifting,
        Rule::VendorBlame,
        Rule::SocialLimit,
        Rule::AcknowledgeLate,
        Rule::FixTimePromised,
        Rule::InternalDetail,
        Rule::DataLossUnsaid,
        Rule::DataLossUnknown,
        Rule::Placeholder,
        Rule::EditLost,
        Rule::Dismissal,
        Rule::NonApology,
        Rule::Speculation,
        Rule::PassiveEvasion,
        Rule::Jargon,
        Rule::Readability,
        Rule::TimeZoneMissing,
        Rule::ResolutionConflict,
        Rule::DowntimeDenied,
    ];

    /// The rules that judge what a text says (rather than what it leaves out), each one
    /// kind of bad statement.
    pub const JUDGING: [Rule; 11] = [
        Rule::Minimising,
        Rule::Dismissal,
        Rule::BlameShifting,
        Rule::VendorBlame,
        Rule::FixTimePromised,
        Rule::InternalDetail,
        Rule::NonApology,
        Rule::Speculation,
        Rule::PassiveEvasion,
        Rule::Jargon,
        Rule::TimeZoneMissing,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::AffectedUnsaid => "affected-unsaid",
            Rule::ApologyMissing => "apology-missing",
            Rule::NextUpdateMissing => "next-update-missing",
            Rule::Minimising => "minimising",
            Rule::BlameShifting => "blame-shifting",
            Rule::VendorBlame => "vendor-blame",
            Rule::SocialLimit => "social-limit",
            Rule::AcknowledgeLate => "acknowledge-late",
            Rule::FixTimePromised => "fix-time-promised",
            Rule::InternalDetail => "internal-detail",
            Rule::DataLossUnsaid => "data-loss-unsaid",
            Rule::DataLossUnknown => "data-loss-unknown",
            Rule::Placeholder => "placeholder",
            Rule::EditLost => "edit-lost",
            Rule::Dismissal => "dismissal",
            Rule::NonApology => "non-apology",
            Rule::Speculation => "speculation",
            Rule::PassiveEvasion => "passive-evasion",
            Rule::Jargon => "jargon",
            Rule::Readability => "readability",
            Rule::TimeZoneMissing => "time-zone-missing",
            Rule::ResolutionConflict => "resolution-conflict",
            Rule::DowntimeDenied => "downtime-denied",
        }
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|rule| rule.id() == id)
    }

    pub fn default_level(self) -> Level {
        match self {
            Rule::AffectedUnsaid
            | Rule::AcknowledgeLate
            | Rule::DataLossUnknown
            | Rule::Speculation
            | Rule::PassiveEvasion
            | Rule::Jargon
            | Rule::Readability
            | Rule::TimeZoneMissing => Level::Warning,
            _ => Level::Error,
        }
    }

    pub fn phrase_use(self) -> PhraseUse {
        match self {
            Rule::AffectedUnsaid | Rule::ApologyMissing | Rule::DataLossUnsaid => {
                PhraseUse::Required
            }
            Rule::Minimising
            | Rule::BlameShifting
            | Rule::VendorBlame
            | Rule::FixTimePromised
            | Rule::InternalDetail
            | Rule::Placeholder
            | Rule::Dismissal
            | Rule::NonApology
            | Rule::Speculation
            | Rule::PassiveEvasion
            | Rule::Jargon
            | Rule::DowntimeDenied => PhraseUse::Forbidden,
            Rule::NextUpdateMissing
            | Rule::SocialLimit
            | Rule::AcknowledgeLate
            | Rule::DataLossUnknown
            | Rule::EditLost
            | Rule::Readability
            | Rule::TimeZoneMissing
            | Rule::ResolutionConflict => PhraseUse::None,
        }
    }

    /// Phrases matched case- and whitespace-insensitively, on word boundaries;
    /// punctuation between words is optional.
    pub fn default_phrases(self) -> &'static [&'static str] {
        match self {
            Rule::AffectedUnsaid => &[
                "affected",
                "affects",
                "affecting",
                "impacted",
                "users",
                "customers",
                "people",
                "everyone",
                "accounts",
                "your",
            ],
            Rule::ApologyMissing => &[
                "sorry",
                "apologize",
                "apologise",
                "apologies",
                "apology",
                "we regret",
            ],
            Rule::Minimising => &[
                "only a few users",
                "only a few customers",
                "only a few people",
                "only a small number",
                "a small number of users",
                "a handful of users",
                "minor inconvenience",
                "slight inconvenience",
                "any inconvenience this may have caused",
                "a subset of",
                "a fraction of",
                "a handful of",
                "a minority of",
                "for a short while",
                "for a short time",
                "for a brief period",
                "only existed for",
                "only lasted",
                "a sliver of",
                "a mere",
                "relatively few",
                "comparatively few",
                "very few",
                "a negligible",
                "barely noticeable",
                "a touch slower",
                "a bit slower",
                "slightly slower",
                "a wobble",
            ],
            Rule::BlameShifting => &[
                "user error",
                "your fault",
                "not our fault",
                "on your end",
                "on your side",
                "you should have",
                "customers who failed to",
                "users who failed to",
                "on the customer side",
                "on the customer's side",
                "on the user side",
                "on the client side",
                "on your device",
                "a problem with your browser",
                "an issue with your browser",
            ],
            Rule::VendorBlame => &[
                "third party",
                "third-party provider",
                "outside our control",
                "out of our control",
                "beyond our control",
                "nothing we could have done",
                "nothing we could do",
                "at their mercy",
                "a provider issue",
                "a vendor issue",
                "not something we caused",
                "nothing we can do",
                "not ours",
                "rests with",
                "the fault of",
                "down to a failure at",
            ],
            Rule::Dismissal => &[
                "no cause for concern",
                "no cause for alarm",
                "no reason for concern",
                "nothing to worry about",
                "nothing to be concerned about",
                "a feature, not a bug",
                "working as intended",
                "works as intended",
                "working as designed",
                "works as designed",
                "working as expected",
                "behaving as designed",
                "behaving as intended",
                "behaving as expected",
                "performed as expected",
                "performed exactly as expected",
                "functioning as designed",
                "functioning as intended",
                "everything is fine",
                "all is well",
                "fine on our end",
                "no action is required",
                "no action is needed",
                "nothing you need to do",
                "perfectly safe",
                "within normal bounds",
                "within normal limits",
                "within normal parameters",
                "part of normal operation",
                "part of normal operations",
                "consider the matter closed",
                "how it is supposed to look",
                "how it is supposed to work",
                "is working correctly",
                "are working correctly",
                "is working properly",
                "rest assured",
                "by design",
                "no real impact",
                "nothing is wrong",
                "nothing was wrong",
                "completely normal",
                "perfectly normal",
                "entirely normal",
                "expected behaviour",
                "expected behavior",
                "no need to be alarmed",
                "no reason to be alarmed",
                "no cause for worry",
                "performing well",
                "all our checks are passing",
                "no action needed",
            ],
            Rule::NonApology => &[
                "sorry if",
                "sorry you feel",
                "sorry that you feel",
                "apologize to the extent",
                "apologise to the extent",
                "accept our apologies",
                "is regrettable",
                "are regrettable",
                "was regrettable",
                "sorry for any hassle",
                "regret if",
                "should anyone have been affected",
                "should you have been affected",
            ],
            Rule::Speculation => &[
                "we suspect",
                "we think",
                "we believe",
                "a hunch",
                "at first glance",
                "early signs",
                "early indications",
                "initial indications",
                "preliminary indications",
                "initial theory",
                "working theory",
                "our theory",
                "probably",
                "possibly",
                "presumably",
                "possible cause",
                "looks like",
                "hypothesis",
                "guessing",
                "our guess",
                "best guess",
                "we reckon",
                "it's possible",
                "it is possible",
                "leading theory",
                "signs are pointing",
                "pointing toward",
                "pointing towards",
                "could well be",
                "suspected",
            ],
            Rule::Jargon => &[
                "p50",
                "p90",
                "p95",
                "p99",
                "5xx",
                "4xx",
                "etcd",
                "kube-apiserver",
                "k8s",
                "oomkilled",
                "failover",
                "replication lag",
                "consumer lag",
                "queue depth",
                "error budget",
                "burn rate",
                "canary",
                "re-sharding",
                "resharding",
                "hot partitions",
                "connection pool",
                "thundering herd",
                "circuit breaker",
                "circuit breakers",
                "anycast",
                "prefix flaps",
                "black-holing",
                "blackholing",
                "control plane",
                "data plane",
                "read-only",
                "PoP",
                "PoPs",
                "GC pauses",
                "cache flush",
            ],
            Rule::FixTimePromised => &[
                "within the hour",
                "within the next hour",
                "within an hour",
                "in the next hour",
            ],
            Rule::DataLossUnsaid => &[
                "data loss",
                "data was lost",
                "no data",
                "lost",
                "corrupted",
                "corruption",
                "deleted",
                "intact",
            ],
            // What `incident init` writes until someone replaces it.
            Rule::Placeholder => &["Example Org"],
            Rule::DowntimeDenied => &[
                "no downtime",
                "zero downtime",
                "without downtime",
                "without any downtime",
                "no outage",
                "no interruption",
                "no service interruption",
                "no interruptions",
                "without interruption",
                "without any interruption",
                "no disruption",
                "without disruption",
                "no impact",
                "no customer impact",
                "no user impact",
                "no user-facing impact",
                "no noticeable impact",
                "no effect on service",
                "will not be affected",
                "won't be affected",
                "will not be impacted",
                "won't be impacted",
                "will not notice",
                "won't notice",
                "should not notice",
                "shouldn't notice",
                "fully available",
                "remain available",
                "remains available",
                "stay available",
                "stays available",
                "seamless",
                "transparent to users",
            ],
            Rule::InternalDetail
            | Rule::NextUpdateMissing
            | Rule::SocialLimit
            | Rule::AcknowledgeLate
            | Rule::DataLossUnknown
            | Rule::EditLost
            | Rule::PassiveEvasion
            | Rule::Readability
            | Rule::TimeZoneMissing
            | Rule::ResolutionConflict => &[],
        }
    }

    /// Regular expressions (Rust `regex` syntax) matched as written.
    pub fn default_patterns(self) -> &'static [&'static str] {
        match self {
            Rule::FixTimePromised => &[
                r"(?i)\b(?:fixed|resolved|restored|repaired|back(?:\s+(?:up|online|to\s+normal))?|working\s+again|fully\s+operational|up\s+and\s+running)\s+(?:by|before|within|in(?:\s+the\s+next)?)\s+(?:\d+(?:\s*(?:minutes?|mins?|hours?|hrs?|days?)\b|(?:[:.]\d{2})?(?:\s*[ap]\.?m\b)?)|an?\s+(?:hour|few\s+\w+)|half\s+an\s+hour|the\s+(?:next\s+)?hour|(?:the\s+)?end\s+of|tonight|today|tomorrow|noon|midnight|this\s+(?:morning|afternoon|evening))",
            ],
            Rule::InternalDetail => &[
                // Host names like db-prod-03, web-12, payments-prod, stg-cache-2.
                r"(?i)\b(?:[a-z0-9]+-)*(?:db|cache|redis|pg|postgres|mysql|mongo|kafka|es|web|api|app|worker|node|host|srv|server|lb|proxy|k8s|vm|prod|prd|stg|staging|dev|qa)(?:-[a-z0-9]+)*-\d+[a-z]?\b",
                r"(?i)\b[a-z][a-z0-9]*(?:-[a-z0-9]+)*-(?:prod|prd|stg)\b",
                r"(?i)\b(?:prod|prd|stg)-[a-z0-9]+(?:-[a-z0-9]+)*\b",
                // Names in internal DNS zones.
                r"(?i)\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:internal|local|lan|corp|intranet)\b",
                // Private IPv4 addresses (RFC 1918).
                r"\b(?:10(?:\.\d{1,3}){3}|192\.168(?:\.\d{1,3}){2}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d{1,3}){2})\b",
                // Ticket ids like OPS-1234 or INC-42.
                r"\b[A-Z][A-Z0-9]{1,9}-\d{1,6}\b",
                // Exceptions and stack frames: `NullPointerException at com.acme.Auth.check(Auth.java:88)`.
                r"\b[A-Z][A-Za-z0-9]*(?:Exception|Error)\b",
                r"\b[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+\.[A-Z]\w*(?:\.\w+)*(?:\([\w.]*:\d+\))?",
                // Kubernetes pod names: a deployment name, a replica-set hash, a pod suffix.
                r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)*-[a-f0-9]{6,10}-[a-z0-9]{5}\b",
                // Cloud resource ids: instances, security groups, VPCs, volumes, ARNs.
                r"\b(?:i|sg|vpc|subnet|vol|ami|eni|snap|igw|rtb|nat|acl)-[0-9a-f]{8,17}\b",
                r"\barn:aws[\w-]*:\S+",
                // Internal teams and projects by their house names.
                r"\b(?:Team|Project|Squad|Tribe)\s+[A-Z][a-z]+\b",
                r"\b[A-Z][\w-]*\s+(?:squad|tribe|guild|chapter)\b",
            ],
            Rule::Minimising => &[
                // Vague small quantities: "a small number of", "a very small percentage of".
                r"(?i)\ban?\s+(?:(?:very|relatively|extremely|tiny)\s+)?(?:small|limited|tiny|minor|minimal|low)\s+(?:number|subset|fraction|portion|percentage|proportion|group|share|amount|set|handful)\b",
                // Hedged impact: "may be seeing", "might have noticed", "could have been affected".
                r"(?i)\b(?:may|might|could)\s+(?:(?:potentially|possibly|perhaps|also)\s+)?(?:(?:be|have)\s+)?(?:been\s+)?(?:seeing|experiencing|experience|noticed|notice|affected|impacted|seen|see|had|encountered|encounter|observed|observe|faced)\b",
                r"(?i)\b(?:some|certain|select)\s+(?:\w+\s+)?(?:users|customers|people|players|merchants|accounts|members|workspaces|clients|tenants)\s+(?:may|might|could)\b",
                // Belittling words: "a brief blip", "slight delays", "minor hiccups".
                r"(?i)\b(?:brief|momentary|minor|slight|small|little|tiny|short-lived|temporary)\s+(?:blips?|hiccups?|glitch(?:es)?|disruptions?|delays?|degradation|interruptions?|slowdowns?|inconvenience|outage|issues?|problems?|period)\b",
                r"(?i)\b(?:blip|momentar(?:y|ily)|hiccups?|wobble)\b",
                r"(?i)\ban?\s+(?:small|tiny|limited)\s+(?:cohort|slice|sliver|minority|segment|pocket|share|group)\b",
                r"(?i)\b(?:may|might|could)\s+(?:(?:possibly|potentially|perhaps)\s+)?(?:have\s+)?(?:spotted|run\s+into|be\s+running\s+into|be\s+noticing|be\s+having|have\s+had)\b",
                r"(?i)\bpossibly\s+(?:saw|seen|experienced|had|noticed|hit)\b",
            ],
            Rule::Dismissal => &[
                r"(?i)\bthere\s+(?:is|was)\s+no\s+(?:outage|incident|problem|issue)\b",
                r"(?i)\b(?:do|does|did)\s+not\s+consider\s+(?:this|it)\s+(?:to\s+be\s+)?an?\s+(?:incident|outage|problem|issue)\b",
                r"(?i)\b(?:did|does|do)\s*(?:not|n't)\s+(?:affect|impact)\s+(?:customers|users|anyone|our\s+customers|our\s+users)\b",
                r"(?i)\b(?:systems?|services?|platform|site|app)\s+(?:is|are)\s+(?:operating|running|working|performing)\s+(?:normally|as\s+(?:expected|normal))\b",
                r"(?i)\b(?:is|are)\s+(?:normal|expected)\s+(?:for|during|at|behaviou?r)\b",
                r"(?i)\b(?:exactly|precisely)\s+(?:what|the\s+\w+)\s+(?:it|they)\s+(?:was|were|is|are)\s+(?:built|designed|meant|supposed)\s+to\b",
                r"(?i)\b(?:exactly|precisely)\s+the\s+\w+\s+(?:it|they)\s+exists?\s+to\b",
                r"(?i)\b(?:is|are)\s+(?:healthy|stable)\b",
                r"(?i)\bno\s+(?:issue|problem|fault)\s+on\s+our\s+(?:side|end)\b",
                r"(?i)\b(?:do|does|did)\s+not\s+(?:represent|indicate|mean)\s+an?\s+(?:fault|problem|issue|outage)\b",
            ],
            Rule::BlameShifting => &[
                r"(?i)\b(?:user|customer|client|operator)\s+error\b",
                r"(?i)\b(?:customers?|users?|clients?|players?|tenants?|merchants?|recipients?|people|accounts?|teams?|projects?)\s+(?:who|that)\s+(?:did\s+not|didn't|failed\s+to|ignored|chose\s+not\s+to|neglected\s+to|forgot\s+to|have\s+not|haven't)\b",
                r"(?i)\b(?:caused|triggered|driven)\s+by\s+(?:some\s+)?(?:customers|users|clients|tenants|players|merchants)\b",
                r"(?i)\b(?:customers|users|clients|tenants|players)\s+(?:running|sending|making|exceeding|abusing|misusing|overloading|using)\s+(?:abusive|unoptimi[sz]ed|excessive|outdated|old|unsupported|their)\b",
                r"(?i)\b(?:on|using|with|running|have|had|use)\s+(?:an?\s+|their\s+|an\s+)?(?:old|outdated|older|obsolete|legacy|unsupported|out-of-date)\s+(?:\w+\s+)?(?:clients?|versions?|browsers?|apps?|handsets?|devices?|phones?|firmware)\b",
                r"(?i)\b(?:unstable|poor|slow|unreliable|flaky)\s+(?:home\s+|local\s+|wi-?fi\s+|internet\s+)?(?:networks?|connections?|wi-?fi)\b",
                r"(?i)\b(?:incorrectly|improperly|wrongly|badly)\s+(?:pinned|configured|set\s+up|installed)\b",
                r"(?i)\bmisconfigur\w*\s+(?:on|in|by)\s+(?:the\s+customer|your|their|customers|users)\b",
                r"(?i)\b(?:recipients|customers|users|clients)['’]\s+own\b",
                r"(?i)\b(?:in|on|with)\s+your\s+(?:own\s+)?(?:settings|browser|device|network|router|computer|phone|configuration)\b",
                r"(?i)\byour\s+(?:antivirus|firewall|vpn|ad\s?blocker|router|isp|browser\s+extensions?|proxy)\b",
                r"(?i)\bcheck\s+your\s+(?:router|connection|network|settings|configuration|browser)\b",
                r"(?i)\b(?:teams|customers|users)\s+should\s+(?:fix|update|check|change)\b",
                r"(?i)\b(?:guests|customers|users|viewers|fans|patients|parents|households|developers|players|students|passengers|clients|subscribers|members|those|people)\s+(?:who|that|whose)\b[^.!?]{0,80}?\b(?:incorrectly|wrong|wrongly|never|without|outdated|block\w*|forgot|failed|ignored)\b",
                r"(?i)\b\w+s['’]\s+(?:own|home)\b",
                r"(?i)\bif\s+you\s+had\b",
                r"(?i)\byour\s+(?:\w+\s+){0,2}(?:is|are)\s+(?:out\s+of\s+date|outdated|too\s+old|unsupported)\b",
                r"(?i)\b(?:had|have)\s+(?:usually\s+|often\s+)?(?:typed|entered|hard-?coded|saved|misconfigured|mistyped)\b",
            ],
            Rule::VendorBlame => &[
                // A supplier named as the cause: "our cloud provider", "our CDN partner".
                r"(?i)\b(?:our|an?|the)\s+(?:[\w-]+\s+){0,2}(?:provider|vendor|partner|supplier|carrier|processor|host|hosting\s+company|contractor|subcontractor|operator)s?\b",
                r"(?i)\bthe\s+(?:[\w-]+\s+)?company\s+(?:that|who|which)\s+(?:maintains|runs|operates|processes|provides|hosts|supplies)\b",
                r"\b(?:AWS|Amazon\s+Web\s+Services|Azure|Google\s+Cloud|GCP|Cloudflare|Fastly|Akamai|Google|Microsoft|Apple|Meta|Twilio|Stripe|Okta|Auth0|Salesforce|Oracle|IBM)\b(?:['’]s)?\s+(?:\w+\s+){0,3}?(?:incident|outage|failure|issue|problem|fault|changed|went\s+down|was\s+down|fixed|is\s+having|had\s+a|service\s+is)\b",
                r"(?i)\b(?:incident|outage|failure|issue|problem|fault)\s+(?:at|with|from|in)\s+(?:AWS|Amazon|Azure|Google|Cloudflare|Fastly|Akamai|Microsoft)\b",
            ],
            Rule::NonApology => &[
                // Regret for "any" trouble, in either order.
                r"(?i)\b(?:sorry|apologi[sz]e|apologies|regret)\b[^.!?]{0,40}?\bany\s+(?:trouble|inconvenience|disruption|frustration|difficulty|difficulties|issues?|problems?|confusion|impact|distress)\b",
                r"(?i)\bany\s+(?:trouble|inconvenience|disruption|difficulty|frustration)\b[^.!?]{0,60}?\b(?:apolog\w*|sorry|regret)",
                // Conditional regret: "sorry to anyone who", "apologies to those who may have".
                r"(?i)\b(?:sorry|apologi[sz]e|apologies|regret)\b[^.!?]{0,30}?\b(?:to\s+(?:anyone|those|any\s+customers?|all\s+those)\s+who|to\s+the\s+extent|if\s+(?:you|anyone|this|any))\b",
                // Regret for feelings rather than for what was done.
                r"(?i)\b(?:sorry|regret|apologi[sz]e|apologies)\b[^.!?]{0,50}?\b(?:feel|feels|felt|feeling|upset|frustrated|confusion|confused)\b",
                r"(?i)\b(?:upsetting|frustrating|confusing|disappointing)\b[^.!?]{0,40}?\bregret\b",
                r"(?i)\bwhatever\s+(?:trouble|difficult\w*|inconvenience|disruption|problems?|issues?|hassle)\b",
                r"(?i)\b(?:sorry|regret|apologi[sz]e|apologies)\b[^.!?]{0,50}?\b(?:found|find|perceived|perceive|unhappy|disappointed|stress|stressed|upset)\b",
                r"(?i)\bif\b[^.!?]{0,80}?,\s*(?:we\s*(?:are|'re|’re)\s+sorry|we\s+apologi[sz]e|please\s+accept|our\s+apologies)",
                r"(?i)\bsorry\s+about\s+that\b",
            ],
            Rule::Speculation => &[
                r"(?i)\b(?:appears?|seems?|looks?)\s+(?:to\s+(?:be\s+)?|like\s+)?(?:related|linked|connected|caused|due|tied|stem|come|originate|the\s+result)\b",
                r"(?i)\b(?:may|might|could)\s+(?:be|have\s+been)\s+(?:due\s+to|related|caused|connected|linked|the\s+result|an?)\b",
                r"(?i)\b(?:indications|signs|evidence)\s+(?:suggest|point|indicate)s?\b",
                r"(?i)\blikely\b",
            ],
            Rule::PassiveEvasion => &[
                // An action with nobody doing it: "a change was made", "mistakes were made".
                r"(?i)\b(?:was|were|has\s+been|have\s+been|had\s+been|got)\s+(?:(?:accidentally|mistakenly|inadvertently|incorrectly|wrongly|unintentionally|erroneously)\s+)?(?:introduced|made|pushed|deployed|deleted|published|rolled\s+out|uploaded|changed|allowed|run|exposed|removed|misconfigured|applied|released|shipped|executed|dropped|modified|merged|disabled|overwritten|triggered|wiped|erased)\b",
            ],
            // The documentation domains (RFC 2606), which `init` writes as the status page.
            Rule::Placeholder => &[r"(?i)\b(?:[a-z0-9-]+\.)*example\.(?:com|org|net)\b"],
            _ => &[],
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            Rule::AffectedUnsaid => {
                "say who or what is affected: record `--field impact=...` or name the people, accounts or components"
            }
            Rule::ApologyMissing => {
                "apologise plainly before resolving: say you are sorry and what for (the `apologize` stage)"
            }
            Rule::NextUpdateMissing => {
                "promise when the next update comes, even if there is no news (`--next-update 30m`)"
            }
            Rule::Minimising => {
                "say plainly what happened and to how many people; let readers judge how bad it was"
            }
            Rule::BlameShifting => "own the outcome: say what we got wrong, not what others did",
            Rule::VendorBlame => {
                "if a supplier failed, say so and also that the outcome is ours (\"this is on us\")"
            }
            Rule::SocialLimit => {
                "shorten the message, or `incident edit ID --channel social` to write a shorter post"
            }
            Rule::AcknowledgeLate => {
                "acknowledge first and fast, fully templated, then explain; note the delay in the postmortem"
            }
            Rule::FixTimePromised => {
                "promise the next update, not the fix: \"next update by 15:30\""
            }
            Rule::InternalDetail => {
                "describe systems the way customers know them; keep host names, addresses and tickets internal"
            }
            Rule::DataLossUnsaid => {
                "say whether any data was lost or corrupted, or clearly that none was (`--field data_loss=none`)"
            }
            Rule::DataLossUnknown => {
                "when the check is done, say what was found: `incident update ID --field data_loss=none` (or `some`, with what)"
            }
            Rule::Dismissal => {
                "don't tell people their experience was fine: say what they saw and what you found"
            }
            Rule::NonApology => {
                "apologise for what happened, not for how people feel or \"any\" trouble it \"may\" have caused"
            }
            Rule::Speculation => {
                "say what you know and what you are checking; name a cause once it is confirmed (`--field cause=...`)"
            }
            Rule::PassiveEvasion => {
                "say who did it: \"we made a change\" rather than \"a change was made\""
            }
            Rule::Jargon => {
                "describe the effect in everyday words, or explain the term the first time"
            }
            Rule::Readability => {
                "split long sentences and use everyday words: people read this while something is broken"
            }
            Rule::TimeZoneMissing => {
                "give every clock time its zone (\"15:30 UTC\"): readers are in many zones"
            }
            Rule::ResolutionConflict => {
                "two clones resolved it differently: decide, and say so in an update (`incident reopen`, then `incident resolve`)"
            }
            Rule::Placeholder => {
                "replace what `incident init` wrote: `[org] name` and `status_url` in `incident.toml`"
            }
            Rule::EditLost => {
                "carry the earlier edit into this update's story: `incident edit ID --update N --channel blog`"
            }
            Rule::DowntimeDenied => {
                "the window marks its components under maintenance: say what people may notice, or schedule it with no `--component`"
            }
        }
    }
}

impl Rule {
    /// A rewrite to show beside a finding, where one fits every case of the rule (like
    /// Vale's substitutions).
    pub fn suggestion(self) -> Option<&'static str> {
        Some(match self {
            Rule::Minimising => {
                "say how many and who: \"about 1 in 20 uploads failed, for customers in the EU\""
            }
            Rule::Dismissal => {
                "\"Some of you saw errors between 14:05 and 14:40 UTC; here is what we found\""
            }
            Rule::BlameShifting => {
                "\"Our update stopped older apps from syncing; we are restoring support for them\""
            }
            Rule::VendorBlame => {
                "\"Our payment processor failed, and depending on one processor was our choice\""
            }
            Rule::FixTimePromised => "\"We are working on a fix. Next update by 15:30 UTC.\"",
            Rule::InternalDetail => "name the system as customers know it: \"our login service\"",
            Rule::NonApology => "\"We are sorry: uploads failed for everyone for two hours.\"",
            Rule::Speculation => "\"We are checking whether last night's release is involved.\"",
            Rule::PassiveEvasion => {
                "\"We pushed a configuration change that took the site offline.\""
            }
            Rule::Jargon => "\"Pages loaded slowly and some failed to load.\"",
            Rule::TimeZoneMissing => "\"at 15:30 UTC\"",
            Rule::DowntimeDenied => {
                "\"Uploads will pause while we switch databases, from 10:00 to 10:15 UTC.\""
            }
            _ => return None,
        })
    }
}

impl From<Rule> for &'static str {
    fn from(rule: Rule) -> &'static str {
        rule.id()
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A rule as configured: defaults with `[playbook.rules.ID]` applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSettings {
    pub enabled: bool,
    pub level: Level,
    pub phrases: Vec<String>,
    pub patterns: Vec<String>,
    /// Phrases that never fire the rule, even where a phrase or pattern matches inside them.
    pub exceptions: Vec<String>,
}

impl RuleSettings {
    pub fn default_for(rule: Rule) -> RuleSettings {
        RuleSettings {
            enabled: true,
            level: rule.default_level(),
            phrases: rule
                .default_phrases()
                .iter()
                .map(ToString::to_string)
                .collect(),
            patterns: rule
                .default_patterns()
                .iter()
                .map(ToString::to_string)
                .collect(),
            exceptions: Vec::new(),
        }
    }
}

/// Every rule's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    settings: BTreeMap<Rule, RuleSettings>,
    /// Sentences longer than this many words get a `readability` warning.
    pub max_sentence_words: usize,
}

/// The sentence length past which `readability` warns, unless configured.
pub const DEFAULT_MAX_SENTENCE_WORDS: usize = 35;

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            settings: Rule::ALL
                .into_iter()
                .map(|rule| (rule, RuleSettings::default_for(rule)))
                .collect(),
            max_sentence_words: DEFAULT_MAX_SENTENCE_WORDS,
        }
    }
}

impl Rules {
    pub fn get(&self, rule: Rule) -> &RuleSettings {
        self.settings
            .get(&rule)
            .expect("every rule has settings from the start")
    }

    pub fn set(&mut self, rule: Rule, settings: RuleSettings) {
        self.settings.insert(rule, settings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_table_lists_every_rule_with_its_level_and_a_bad_and_good_example() {
        let readme = include_str!("../../README.md");
        for rule in Rule::ALL {
            let row = readme
                .lines()
                .find(|line| line.starts_with(&format!("| `{}` |", rule.id())))
                .unwrap_or_else(|| panic!("the README's rule table has no row for `{rule}`"));
            let cells: Vec<&str> = row.split(" | ").collect();
            assert_eq!(cells.len(), 4, "{row}");
            assert_eq!(cells[1], rule.default_level().name(), "{row}");
            assert!(cells[2].len() > 5 && cells[3].len() > 5, "{row}");
        }
    }
}
