//! Incident ids and event ids, and unique-prefix lookup.
//!
//! Incident ids are seven random characters of lowercase Crockford base32 (no `i`, `l`, `o`,
//! `u`), starting with a letter: short enough to type, with 2^34 possibilities, so two
//! responders opening incidents in two clones at once do not collide without any shared
//! counter. Event ids are ULIDs: unique across clones and sortable by creation time.

use std::sync::Mutex;

/// Lowercase Crockford base32.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
const ID_LENGTH: usize = 7;

/// Returns a fresh random incident id such as `k3f9q2m`.
pub fn new_incident_id() -> String {
    let mut random = ulid::Ulid::generate().random();
    let mut id = String::with_capacity(ID_LENGTH);
    // The first character is a letter so an id never looks like an update number.
    let letters = &ALPHABET[10..];
    id.push(char::from(
        letters[(random % letters.len() as u128) as usize],
    ));
    random /= letters.len() as u128;
    for _ in 1..ID_LENGTH {
        id.push(char::from(ALPHABET[(random % 32) as usize]));
        random /= 32;
    }
    id
}

/// Returns a new event id: a ULID, monotonic within this process.
pub fn new_event_id() -> String {
    static GENERATOR: Mutex<Option<ulid::Generator>> = Mutex::new(None);
    let mut generator = GENERATOR
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let generator = generator.get_or_insert_with(ulid::Generator::new);
    // Generation fails only when 2^80 ids are made in one millisecond; fall back to a
    // non-monotonic id rather than stopping.
    generator
        .generate()
        .unwrap_or_else(|_| ulid::Ulid::generate())
        .to_string()
}

/// Why a prefix did not name exactly one id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrefixError {
    #[error("no incident matches `{prefix}`")]
    NotFound { prefix: String },
    #[error("`{prefix}` matches {} incidents: {}", candidates.len(), candidates.join(", "))]
    Ambiguous {
        prefix: String,
        candidates: Vec<String>,
    },
}

/// Returns the one id in `ids` that equals `prefix` or starts with it (case-insensitive).
pub fn resolve_prefix<'a>(
    prefix: &str,
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<&'a str, PrefixError> {
    let wanted = prefix.trim().to_ascii_lowercase();
    let not_found = || PrefixError::NotFound {
        prefix: prefix.to_string(),
    };
    if wanted.is_empty() {
        return Err(not_found());
    }
    let mut matches: Vec<&str> = ids
        .into_iter()
        .filter(|id| id.starts_with(&wanted))
        .collect();
    if let Some(exact) = matches.iter().find(|id| **id == wanted) {
        return Ok(exact);
    }
    match matches.len() {
        0 => Err(not_found()),
        1 => Ok(matches[0]),
        _ => {
            matches.sort_unstable();
            Err(PrefixError::Ambiguous {
                prefix: prefix.to_string(),
                candidates: matches.into_iter().map(str::to_string).collect(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incident_ids_are_short_and_valid() {
        let ids: Vec<String> = (0..1000).map(|_| new_incident_id()).collect();
        for id in &ids {
            assert_eq!(id.len(), ID_LENGTH);
            assert!(crate::vocab::is_valid_name(id), "{id}");
            assert!(id.as_bytes()[0].is_ascii_lowercase(), "{id}");
        }
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len());
    }

    #[test]
    fn event_ids_sort_in_creation_order() {
        let ids: Vec<String> = (0..100).map(|_| new_event_id()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
    }

    #[test]
    fn prefixes() {
        let ids = ["k3f9q2m", "k3a1b2c", "zz00000", "abc", "abcd"];
        assert_eq!(resolve_prefix("k3f", ids), Ok("k3f9q2m"));
        assert_eq!(resolve_prefix("K3F", ids), Ok("k3f9q2m"));
        assert_eq!(resolve_prefix("abc", ids), Ok("abc"));
        assert_eq!(
            resolve_prefix("k3", ids),
            Err(PrefixError::Ambiguous {
                prefix: "k3".to_string(),
                candidates: vec!["k3a1b2c".to_string(), "k3f9q2m".to_string()],
            })
        );
        assert!(matches!(
            resolve_prefix("q", ids),
            Err(PrefixError::NotFound { .. })
        ));
        assert!(matches!(
            resolve_prefix("", ids),
            Err(PrefixError::NotFound { .. })
        ));
    }
}
