//! `Fields`: an update's answers and `--field` pairs, by name, in name order.
//!
//! An update has a handful of answers, and a long incident has thousands of updates. A
//! `BTreeMap` gives each map a node with room for eleven pairs (over half a kilobyte) on
//! its first insert; a sorted vector holds just the pairs, so folding a long incident
//! touches megabytes less memory. It reads and writes as the JSON object the map did.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Answers by name, each name once, in name order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn new() -> Fields {
        Fields::default()
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(key, _)| key.as_str().cmp(name))
    }

    pub fn get(&self, name: &str) -> Option<&String> {
        let index = self.position(name).ok()?;
        Some(&self.0[index].1)
    }

    /// Sets `name` to `value`, returning the value it replaces.
    pub fn insert(&mut self, name: String, value: String) -> Option<String> {
        match self.position(&name) {
            Ok(index) => Some(std::mem::replace(&mut self.0[index].1, value)),
            Err(index) => {
                self.0.insert(index, (name, value));
                None
            }
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<String> {
        let index = self.position(name).ok()?;
        Some(self.0.remove(index).1)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The pairs in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.into_iter()
    }

    pub fn values(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(_, value)| value)
    }
}

impl<'a> IntoIterator for &'a Fields {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a String, &'a String),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(key, value)| (key, value))
    }
}

/// A later pair of the same name wins, as it would in a map.
impl FromIterator<(String, String)> for Fields {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Fields {
        let mut fields = Fields::new();
        for (name, value) in pairs {
            fields.insert(name, value);
        }
        fields
    }
}

impl From<BTreeMap<String, String>> for Fields {
    fn from(map: BTreeMap<String, String>) -> Fields {
        // A map's pairs are already in name order, each name once.
        Fields(map.into_iter().collect())
    }
}

impl<const N: usize> From<[(String, String); N]> for Fields {
    fn from(pairs: [(String, String); N]) -> Fields {
        pairs.into_iter().collect()
    }
}

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Fields, D::Error> {
        deserializer.deserialize_map(FieldsVisitor)
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0).min(16));
        while let Some(pair) = map.next_entry::<String, String>()? {
            pairs.push(pair);
        }
        // Written in name order, as the tool writes them, they need no sorting; a hand-edited
        // line may repeat a name, and then its last value wins, as in a map.
        if pairs.windows(2).all(|pair| pair[0].0 < pair[1].0) {
            Ok(Fields(pairs))
        } else {
            Ok(pairs.into_iter().collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(name: &str, value: &str) -> (String, String) {
        (name.to_string(), value.to_string())
    }

    #[test]
    fn keeps_names_once_and_in_order() {
        let mut fields = Fields::from([pair("impact", "some"), pair("cause", "a key")]);
        assert_eq!(fields.insert("detected_by".into(), "alerts".into()), None);
        assert_eq!(
            fields.insert("impact".into(), "all".into()).as_deref(),
            Some("some")
        );
        let names: Vec<&str> = fields.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["cause", "detected_by", "impact"]);
        assert_eq!(fields.get("impact").map(String::as_str), Some("all"));
        assert!(fields.get("cause").is_some());
        assert_eq!(fields.remove("cause").as_deref(), Some("a key"));
        assert_eq!(fields.get("cause"), None);
        assert_eq!(fields.iter().count(), 2);
    }

    #[test]
    fn reads_and_writes_as_a_map_does() {
        for json in [
            r#"{"cause":"a","impact":"b"}"#,
            r#"{"impact":"b","cause":"a"}"#,
            r#"{"cause":"x","impact":"b","cause":"a"}"#,
            "{}",
        ] {
            let map: BTreeMap<String, String> = serde_json::from_str(json).unwrap();
            let fields: Fields = serde_json::from_str(json).unwrap();
            assert_eq!(fields, Fields::from(map.clone()), "{json}");
            assert_eq!(
                serde_json::to_string(&fields).unwrap(),
                serde_json::to_string(&map).unwrap()
            );
        }
        let wrong = serde_json::from_str::<Fields>(r#"{"cause":5}"#).unwrap_err();
        assert_eq!(
            wrong.to_string(),
            "invalid type: integer `5`, expected a string at line 1 column 10"
        );
    }
}
