//! `Secret`: a value taken from the environment that never prints itself.

use std::fmt;

/// A secret read from the environment variable it names. `Debug` and `Display` show `****`.
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
        assert_eq!(secret.expose(), "hunter2");
    }
}
