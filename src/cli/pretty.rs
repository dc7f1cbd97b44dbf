//! `Pretty`: the layout of `serde_json`'s pretty printer (two spaces a level), byte for
//! byte, with each line break and its indent written in one piece.
//!
//! `serde_json` writes an indent one level at a time, a few bytes per call; in the
//! megabytes of a long incident's `show --json` those calls were a tenth of the command.

use std::io;

use serde_json::ser::Formatter;

/// A comma, a line break and the indent of the deepest level written in one piece.
const BREAK: &[u8] = b",\n                                                                ";
const INDENT: usize = 2;

#[derive(Debug, Default)]
pub struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    /// Writes a line break indented to the current depth, after a comma unless `first`.
    fn line_break<W: ?Sized + io::Write>(&self, writer: &mut W, first: bool) -> io::Result<()> {
        let start = usize::from(first);
        let end = 2 + self.depth * INDENT;
        if end <= BREAK.len() {
            return writer.write_all(&BREAK[start..end]);
        }
        writer.write_all(&BREAK[start..2])?;
        for _ in 0..self.depth {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line_break(writer, true)?;
        }
        writer.write_all(bracket)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line_break(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line_break(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Serialize;
    use serde_json::{Value, json};

    fn pretty(value: &Value) -> String {
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::with_formatter(&mut out, Pretty::default());
        value.serialize(&mut serializer).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Nests `value` `depth` levels deep in alternating arrays and objects.
    fn nested(depth: usize, value: Value) -> Value {
        (0..depth).fold(value, |inner, level| {
            if level % 2 == 0 {
                json!([1, inner, {}])
            } else {
                json!({"a": inner, "b": [], "c": "x"})
            }
        })
    }

    #[test]
    fn lays_out_as_serde_json_does_at_every_depth() {
        // Past 32 levels the indent no longer fits in the one-piece break.
        for depth in [0, 1, 2, 5, 31, 32, 33, 40] {
            let value = nested(depth, json!({"deep": ["end", null, 1.5]}));
            assert_eq!(
                pretty(&value),
                serde_json::to_string_pretty(&value).unwrap(),
                "depth {depth}"
            );
        }
        for empty in [
            json!([]),
            json!({}),
            json!([[], {}]),
            json!({"a": {}, "b": []}),
        ] {
            assert_eq!(
                pretty(&empty),
                serde_json::to_string_pretty(&empty).unwrap()
            );
        }
    }

    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            "\\PC{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("[a-z\"\\\\]{0,4}", inner, 0..6)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_value_is_laid_out_as_serde_json_does(value in any_json()) {
            prop_assert_eq!(pretty(&value), serde_json::to_string_pretty(&value).unwrap());
        }
    }
}
