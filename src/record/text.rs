//! A message as the record holds it: read once from its line and shared, not copied, by
//! everything that shows it (an update's message is also in its timeline entry). In a long
//! incident the messages are most of the memory, and every page of it costs `show` time.

use std::fmt;
use std::sync::Arc;

use serde::de::{self, Deserializer, Visitor};

/// A text shared between the places that show it.
pub type Shared = Arc<str>;

/// Reads an optional message straight into a [`Shared`] text: one allocation, where
/// serde's own `Arc<str>` goes through a `String` first. `null` reads as none.
pub fn deserialize_option<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Shared>, D::Error> {
    deserializer.deserialize_option(OptionalText)
}

struct OptionalText;

impl<'de> Visitor<'de> for OptionalText {
    type Value = Option<Shared>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(Text).map(Some)
    }
}

struct Text;

impl Visitor<'_> for Text {
    type Value = Shared;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Shared, E> {
        Ok(Shared::from(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "deserialize_option")]
        message: Option<Shared>,
    }

    fn read(json: &str) -> Result<Option<Shared>, String> {
        serde_json::from_str::<Holder>(json)
            .map(|holder| holder.message)
            .map_err(|error| error.to_string())
    }

    #[test]
    fn reads_as_a_string_does() {
        assert_eq!(
            read(r#"{"message":"plain"}"#).unwrap().as_deref(),
            Some("plain")
        );
        // An escaped string is unescaped into a scratch buffer first: the same text comes out.
        assert_eq!(
            read(r#"{"message":"a \"b\"\nc \u00e9"}"#)
                .unwrap()
                .as_deref(),
            Some("a \"b\"\nc é")
        );
        assert_eq!(read(r#"{"message":null}"#).unwrap(), None);
        assert_eq!(read("{}").unwrap(), None);
        assert_eq!(
            read(r#"{"message":5}"#).unwrap_err(),
            "invalid type: integer `5`, expected a string at line 1 column 12"
        );
    }
}
