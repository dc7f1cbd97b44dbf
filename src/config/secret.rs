//! `Secret`: a value taken from the environment, or made from one (a `Basic` header, a
//! JWT, an SMTP `AUTH PLAIN` line), that never prints itself. It is held from the
//! environment to the wire and shown only by [`Secret::expose`], where a request is built.

use std::fmt;

/// A secret read from the environment variable it names, or derived from one. `Debug`,
/// `Display` and `Serialize` show `****`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    variable: String,
    value: String,
}

impl Secret {
    /// Looks the secret up in the environment variable `variable`.
    pub fn from_env(variable: &str) -> Option<Secret> {
        crate::env::Env::secret(variable).map(|value| Secret {
            variable: variable.to_string(),
            value,
        })
    }

    /// Stands in for a secret a dry run lacks: `$VARIABLE`, which is not secret at all.
    pub fn placeholder(variable: &str) -> Secret {
        Secret {
            variable: variable.to_string(),
            value: format!("${variable}"),
        }
    }

    /// Returns a credential made from this secret (a header, a token, a login line), as
    /// secret as the one it came from.
    pub fn derive(&self, make: impl FnOnce(&str) -> String) -> Secret {
        Secret {
            variable: self.variable.clone(),
            value: make(&self.value),
        }
    }

    /// Returns the name of the environment variable it came from.
    pub fn variable(&self) -> &str {
        &self.variable
    }

    /// Returns the secret itself; callers put it on the wire and nowhere else.
    pub fn expose(&self) -> &str {
        &self.value
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({}=****)", self.variable)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("****")
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("****")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_the_value() {
        let secret = Secret {
            variable: "WP_APP_PASSWORD".to_string(),
            value: "hunter2".to_string(),
        };
        assert_eq!(secret.to_string(), "****");
        assert!(!format!("{secret:?}").contains("hunter2"));
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"****\"");
        assert_eq!(secret.expose(), "hunter2");
        let header = secret.derive(|password| format!("Basic {password}"));
        assert_eq!(header.expose(), "Basic hunter2");
        assert!(!format!("{header:?}").contains("hunter2"));
        assert_eq!(Secret::placeholder("X").expose(), "$X");
    }
}
