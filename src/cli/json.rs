//! The JSON that `--json` prints: serde_json's pretty layout, with strings escaped a word at a
//! time.
//!
//! serde_json looks at a string one byte at a time for what needs escaping, and the output of
//! `show --json` for a long incident is mostly text: that loop was a seventh of the command.
//! Its serializer cannot be handed another escaper, so this is a serializer of its own. Numbers
//! and escapes are serde_json's `Formatter`'s; the layout is its `PrettyFormatter`'s, written
//! a line at a time instead of two spaces at a time (another twelfth). Tests hold the output to
//! `serde_json::to_writer_pretty`'s, byte for byte.

use std::fmt;
use std::io;

use serde::Serialize;
use serde::ser::{self, Impossible};
use serde_json::Error;
use serde_json::ser::{CharEscape, Formatter};

type Result<T = ()> = std::result::Result<T, Error>;

/// Writes `value` as pretty JSON, exactly as `serde_json::to_writer_pretty` does.
pub fn to_writer_pretty<W: io::Write, T: ?Sized + Serialize>(writer: W, value: &T) -> Result {
    value.serialize(&mut Serializer {
        writer,
        formatter: Pretty::default(),
    })
}

struct Serializer<W> {
    writer: W,
    formatter: Pretty,
}

impl<W: io::Write> Serializer<W> {
    /// Runs one step of the formatter on the writer.
    fn emit(&mut self, step: impl FnOnce(&mut Pretty, &mut W) -> io::Result<()>) -> Result {
        step(&mut self.formatter, &mut self.writer).map_err(Error::io)
    }

    fn string(&mut self, text: &str) -> Result {
        self.emit(|formatter, writer| write_string(formatter, writer, text))
    }

    /// Opens `{"variant":` for an enum variant that carries data.
    fn begin_variant(&mut self, variant: &str) -> Result {
        self.emit(|formatter, writer| {
            formatter.begin_object(writer)?;
            formatter.begin_object_key(writer, true)?;
            write_string(formatter, writer, variant)?;
            formatter.end_object_key(writer)?;
            formatter.begin_object_value(writer)
        })
    }

    fn end_variant(&mut self) -> Result {
        self.emit(|formatter, writer| {
            formatter.end_object_value(writer)?;
            formatter.end_object(writer)
        })
    }

    fn begin_array(&mut self, len: Option<usize>) -> Result<Compound<'_, W>> {
        self.emit(|formatter, writer| formatter.begin_array(writer))?;
        if len == Some(0) {
            self.emit(|formatter, writer| formatter.end_array(writer))?;
            return Ok(Compound::new(self, State::Empty));
        }
        Ok(Compound::new(self, State::First))
    }

    fn begin_object(&mut self, len: Option<usize>) -> Result<Compound<'_, W>> {
        self.emit(|formatter, writer| formatter.begin_object(writer))?;
        if len == Some(0) {
            self.emit(|formatter, writer| formatter.end_object(writer))?;
            return Ok(Compound::new(self, State::Empty));
        }
        Ok(Compound::new(self, State::First))
    }
}

/// serde_json's `PrettyFormatter` (two spaces a level), writing a line break and its indent
/// in one piece rather than a level at a time.
#[derive(Default)]
struct Pretty {
    depth: usize,
    has_value: bool,
}

/// A comma, a line break, and 64 spaces: the indent of 32 levels, written in one piece
/// (deeper levels add two spaces at a time).
const BREAK: &[u8] = b",\n                                                                ";

impl Pretty {
    fn line<W: ?Sized + io::Write>(&self, writer: &mut W, comma: bool) -> io::Result<()> {
        let start = usize::from(!comma);
        match BREAK.get(start..2 + 2 * self.depth) {
            Some(line) => writer.write_all(line),
            None => {
                writer.write_all(&BREAK[start..2])?;
                (0..self.depth).try_for_each(|_| writer.write_all(b"  "))
            }
        }
    }

    fn open<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(writer, false)?;
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
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line(w, !first)
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
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line(w, !first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes `text` as a JSON string, quotes and all.
fn write_string<W: io::Write>(
    formatter: &mut Pretty,
    writer: &mut W,
    text: &str,
) -> io::Result<()> {
    formatter.begin_string(writer)?;
    write_escaped(formatter, writer, text)?;
    formatter.end_string(writer)
}

/// Writes `text`'s characters as a JSON string holds them: runs that need no escape in one
/// piece each, found eight bytes at a time.
fn write_escaped<W: io::Write>(
    formatter: &mut Pretty,
    writer: &mut W,
    text: &str,
) -> io::Result<()> {
    let bytes = text.as_bytes();
    let mut run_start = 0;
    let mut at = 0;
    while at < bytes.len() {
        if let Some(word) = bytes[at..].first_chunk::<8>()
            && !needs_escape(u64::from_le_bytes(*word))
        {
            at += 8;
            continue;
        }
        if let Some(escape) = escape_of(bytes[at]) {
            // The byte is ASCII, so both cuts fall between characters.
            if run_start < at {
                formatter.write_string_fragment(writer, &text[run_start..at])?;
            }
            formatter.write_char_escape(writer, escape)?;
            run_start = at + 1;
        }
        at += 1;
    }
    if run_start < bytes.len() {
        formatter.write_string_fragment(writer, &text[run_start..])?;
    }
    Ok(())
}

/// Whether any of the eight bytes of `word` is below 0x20, `"` or `\` (what JSON escapes;
/// DEL and bytes of multi-byte characters go as they are). Exact: a borrow only crosses
/// from a byte that is itself a match.
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let below_space = word.wrapping_sub(ONES * 0x20) & !word;
    let zero_byte = |bytes: u64| bytes.wrapping_sub(ONES) & !bytes;
    let quote = zero_byte(word ^ (ONES * u64::from(b'"')));
    let backslash = zero_byte(word ^ (ONES * u64::from(b'\\')));
    (below_space | quote | backslash) & HIGH != 0
}

/// How JSON writes `byte` inside a string, if not as itself (serde_json's choices).
fn escape_of(byte: u8) -> Option<CharEscape> {
    Some(match byte {
        b'"' => CharEscape::Quote,
        b'\\' => CharEscape::ReverseSolidus,
        0x08 => CharEscape::Backspace,
        0x0C => CharEscape::FormFeed,
        b'\n' => CharEscape::LineFeed,
        b'\r' => CharEscape::CarriageReturn,
        b'\t' => CharEscape::Tab,
        0x00..=0x1F => CharEscape::AsciiControl(byte),
        _ => return None,
    })
}

macro_rules! numbers {
    ($($method:ident($type:ty) => $write:ident,)*) => {
        $(fn $method(self, value: $type) -> Result {
            self.emit(|formatter, writer| formatter.$write(writer, value))
        })*
    };
}

impl<'a, W: io::Write> ser::Serializer for &'a mut Serializer<W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, W>;
    type SerializeTuple = Compound<'a, W>;
    type SerializeTupleStruct = Compound<'a, W>;
    type SerializeTupleVariant = Compound<'a, W>;
    type SerializeMap = Compound<'a, W>;
    type SerializeStruct = Compound<'a, W>;
    type SerializeStructVariant = Compound<'a, W>;

    numbers! {
        serialize_i8(i8) => write_i8,
        serialize_i16(i16) => write_i16,
        serialize_i32(i32) => write_i32,
        serialize_i64(i64) => write_i64,
        serialize_i128(i128) => write_i128,
        serialize_u8(u8) => write_u8,
        serialize_u16(u16) => write_u16,
        serialize_u32(u32) => write_u32,
        serialize_u64(u64) => write_u64,
        serialize_u128(u128) => write_u128,
    }

    fn serialize_bool(self, value: bool) -> Result {
        self.emit(|formatter, writer| formatter.write_bool(writer, value))
    }

    // JSON has no NaN or infinity: serde_json writes them as null.
    fn serialize_f32(self, value: f32) -> Result {
        match value.is_finite() {
            true => self.emit(|formatter, writer| formatter.write_f32(writer, value)),
            false => self.serialize_unit(),
        }
    }

    fn serialize_f64(self, value: f64) -> Result {
        match value.is_finite() {
            true => self.emit(|formatter, writer| formatter.write_f64(writer, value)),
            false => self.serialize_unit(),
        }
    }

    fn serialize_char(self, value: char) -> Result {
        self.string(value.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, value: &str) -> Result {
        self.string(value)
    }

    fn serialize_bytes(self, value: &[u8]) -> Result {
        self.emit(|formatter, writer| formatter.write_byte_array(writer, value))
    }

    fn serialize_none(self) -> Result {
        self.serialize_unit()
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result {
        self.emit(|formatter, writer| formatter.write_null(writer))
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        self.serialize_unit()
    }

    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &str) -> Result {
        self.string(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, value: &T) -> Result {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.begin_variant(variant)?;
        value.serialize(&mut *self)?;
        self.end_variant()
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a, W>> {
        self.begin_array(len)
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, W>> {
        self.begin_array(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a, W>> {
        self.begin_array(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a, W>> {
        self.begin_variant(variant)?;
        self.begin_array(Some(len))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a, W>> {
        self.begin_object(len)
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Compound<'a, W>> {
        if name == RAW_VALUE {
            return Ok(Compound::new(self, State::Raw));
        }
        self.begin_object(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a, W>> {
        self.begin_variant(variant)?;
        self.begin_object(Some(len))
    }

    /// Escapes the text as it is shown, piece by piece, without building it first.
    fn collect_str<T: ?Sized + fmt::Display>(self, value: &T) -> Result {
        struct Escaping<'s, W> {
            serializer: &'s mut Serializer<W>,
            failed: Option<io::Error>,
        }
        impl<W: io::Write> fmt::Write for Escaping<'_, W> {
            fn write_str(&mut self, piece: &str) -> fmt::Result {
                let Serializer { writer, formatter } = &mut *self.serializer;
                write_escaped(formatter, writer, piece).map_err(|error| {
                    self.failed = Some(error);
                    fmt::Error
                })
            }
        }
        self.emit(|formatter, writer| formatter.begin_string(writer))?;
        let mut escaping = Escaping {
            serializer: &mut *self,
            failed: None,
        };
        let shown = fmt::write(&mut escaping, format_args!("{value}"));
        // A failed write counts even when the `Display` implementation swallowed its error.
        if let Some(error) = escaping.failed {
            return Err(Error::io(error));
        }
        if shown.is_err() {
            return Err(ser::Error::custom(
                "a value's Display implementation failed",
            ));
        }
        self.emit(|formatter, writer| formatter.end_string(writer))
    }
}

/// The struct name by which serde_json's `RawValue` marks itself (serde_json's `raw.rs`):
/// its one field is JSON to write as it is.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// Where an array or object is.
#[derive(PartialEq)]
enum State {
    /// Opened and closed at once (its length was given as zero).
    Empty,
    /// Opened, nothing in it yet.
    First,
    /// After its first element.
    Rest,
    /// Not an object but a `RawValue`, whose one field is written as it is.
    Raw,
}

/// An array or object being written.
struct Compound<'a, W> {
    serializer: &'a mut Serializer<W>,
    state: State,
}

impl<'a, W: io::Write> Compound<'a, W> {
    fn new(serializer: &'a mut Serializer<W>, state: State) -> Self {
        Compound { serializer, state }
    }

    /// Whether the element about to be written is the first (no comma goes before it); the
    /// ones after it are not.
    fn take_first(&mut self) -> bool {
        std::mem::replace(&mut self.state, State::Rest) == State::First
    }

    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        let first = self.take_first();
        let serializer = &mut *self.serializer;
        serializer.emit(|formatter, writer| formatter.begin_array_value(writer, first))?;
        value.serialize(&mut *serializer)?;
        serializer.emit(|formatter, writer| formatter.end_array_value(writer))
    }

    fn key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result {
        let first = self.take_first();
        let serializer = &mut *self.serializer;
        serializer.emit(|formatter, writer| formatter.begin_object_key(writer, first))?;
        key.serialize(KeySerializer(&mut *serializer))?;
        serializer.emit(|formatter, writer| formatter.end_object_key(writer))
    }

    fn value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        let serializer = &mut *self.serializer;
        serializer.emit(|formatter, writer| formatter.begin_object_value(writer))?;
        value.serialize(&mut *serializer)?;
        serializer.emit(|formatter, writer| formatter.end_object_value(writer))
    }

    /// Writes a `RawValue`'s JSON, handed over as a string, as it is.
    fn raw<T: ?Sized + Serialize>(&mut self, json: &T) -> Result {
        let serde_json::Value::String(json) = json.serialize(serde_json::value::Serializer)? else {
            return Err(ser::Error::custom("a RawValue holds its JSON as a string"));
        };
        self.serializer
            .emit(|formatter, writer| formatter.write_raw_fragment(writer, &json))
    }

    fn end_array(self) -> Result<&'a mut Serializer<W>> {
        if self.state != State::Empty {
            self.serializer
                .emit(|formatter, writer| formatter.end_array(writer))?;
        }
        Ok(self.serializer)
    }

    fn end_object(self) -> Result<&'a mut Serializer<W>> {
        if self.state != State::Empty && self.state != State::Raw {
            self.serializer
                .emit(|formatter, writer| formatter.end_object(writer))?;
        }
        Ok(self.serializer)
    }
}

// serde has a trait for each kind of array and object; they differ only in their names and in
// whether a variant's `{"name": …}` closes after them.
macro_rules! arrays {
    ($($kind:ident::$add:ident => |$done:ident| $end:expr,)*) => {$(
        impl<W: io::Write> ser::$kind for Compound<'_, W> {
            type Ok = ();
            type Error = Error;
            fn $add<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
                self.element(value)
            }
            fn end(self) -> Result {
                let $done = self.end_array()?;
                $end
            }
        }
    )*};
}

arrays! {
    SerializeSeq::serialize_element => |_serializer| Ok(()),
    SerializeTuple::serialize_element => |_serializer| Ok(()),
    SerializeTupleStruct::serialize_field => |_serializer| Ok(()),
    SerializeTupleVariant::serialize_field => |serializer| serializer.end_variant(),
}

macro_rules! structs {
    ($($kind:ident => |$done:ident| $end:expr,)*) => {$(
        impl<W: io::Write> ser::$kind for Compound<'_, W> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result {
                if self.state == State::Raw {
                    return self.raw(value);
                }
                self.key(key)?;
                self.value(value)
            }
            fn end(self) -> Result {
                let $done = self.end_object()?;
                $end
            }
        }
    )*};
}

structs! {
    SerializeStruct => |_serializer| Ok(()),
    SerializeStructVariant => |serializer| serializer.end_variant(),
}

impl<W: io::Write> ser::SerializeMap for Compound<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result {
        self.key(key)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        self.value(value)
    }
    fn end(self) -> Result {
        self.end_object().map(drop)
    }
}

/// An object key: a string, or what serde_json writes as one (a unit variant, a character,
/// a finite number or a boolean, quoted; a newtype or `Some` of one of those).
struct KeySerializer<'a, W>(&'a mut Serializer<W>);

impl<W: io::Write> KeySerializer<'_, W> {
    fn quoted(self, step: impl FnOnce(&mut Pretty, &mut W) -> io::Result<()>) -> Result {
        self.0.emit(|formatter, writer| {
            formatter.begin_string(writer)?;
            step(formatter, writer)?;
            formatter.end_string(writer)
        })
    }
}

fn key_must_be_a_string() -> Error {
    ser::Error::custom("key must be a string")
}

macro_rules! quoted_keys {
    ($($method:ident($type:ty) => $write:ident,)*) => {
        $(fn $method(self, value: $type) -> Result {
            self.quoted(|formatter, writer| formatter.$write(writer, value))
        })*
    };
}

macro_rules! refused_keys {
    ($($method:ident($($argument:ty),*) -> $ok:ty,)*) => {
        $(fn $method(self, $(_: $argument),*) -> Result<$ok> {
            Err(key_must_be_a_string())
        })*
    };
}

impl<W: io::Write> ser::Serializer for KeySerializer<'_, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    quoted_keys! {
        serialize_bool(bool) => write_bool,
        serialize_i8(i8) => write_i8,
        serialize_i16(i16) => write_i16,
        serialize_i32(i32) => write_i32,
        serialize_i64(i64) => write_i64,
        serialize_i128(i128) => write_i128,
        serialize_u8(u8) => write_u8,
        serialize_u16(u16) => write_u16,
        serialize_u32(u32) => write_u32,
        serialize_u64(u64) => write_u64,
        serialize_u128(u128) => write_u128,
    }

    refused_keys! {
        serialize_bytes(&[u8]) -> (),
        serialize_none() -> (),
        serialize_unit() -> (),
        serialize_unit_struct(&'static str) -> (),
        serialize_seq(Option<usize>) -> Impossible<(), Error>,
        serialize_tuple(usize) -> Impossible<(), Error>,
        serialize_tuple_struct(&'static str, usize) -> Impossible<(), Error>,
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Impossible<(), Error>,
        serialize_map(Option<usize>) -> Impossible<(), Error>,
        serialize_struct(&'static str, usize) -> Impossible<(), Error>,
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Impossible<(), Error>,
    }

    fn serialize_f32(self, value: f32) -> Result {
        match value.is_finite() {
            true => self.quoted(|formatter, writer| formatter.write_f32(writer, value)),
            false => Err(ser::Error::custom(
                "float key must be finite (got NaN or +/-inf)",
            )),
        }
    }

    fn serialize_f64(self, value: f64) -> Result {
        match value.is_finite() {
            true => self.quoted(|formatter, writer| formatter.write_f64(writer, value)),
            false => Err(ser::Error::custom(
                "float key must be finite (got NaN or +/-inf)",
            )),
        }
    }

    fn serialize_char(self, value: char) -> Result {
        self.0.string(value.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, value: &str) -> Result {
        self.0.string(value)
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result {
        value.serialize(self)
    }

    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &str) -> Result {
        self.0.string(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, value: &T) -> Result {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result {
        Err(key_must_be_a_string())
    }

    fn collect_str<T: ?Sized + fmt::Display>(self, value: &T) -> Result {
        self.0.collect_str(value)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde_json::Value;

    use super::*;

    fn ours<T: Serialize>(value: &T) -> Result<String> {
        let mut out = Vec::new();
        to_writer_pretty(&mut out, value)?;
        Ok(String::from_utf8(out).expect("JSON is UTF-8"))
    }

    fn serde_json<T: Serialize>(value: &T) -> Result<String> {
        serde_json::to_string_pretty(value)
    }

    /// Text that is mostly plain but full of what JSON must escape, and of long runs that
    /// cross the eight-byte words at every offset.
    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("\"".to_string()),
            Just("\\".to_string()),
            Just("\u{7f}é€😀".to_string()),
            (0u8..0x20).prop_map(|byte| char::from(byte).to_string()),
            "[a-z <@>!/]{0,19}",
        ];
        proptest::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            text().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::vec((text(), inner), 0..6)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn writes_any_json_value_as_serde_json_does(value in value()) {
            prop_assert_eq!(ours(&value).unwrap(), serde_json(&value).unwrap());
        }

        #[test]
        fn writes_a_shown_text_as_serde_json_does(text in text()) {
            let shown = format!("{text}: {text}");
            struct Shown<'a>(&'a str);
            impl Serialize for Shown<'_> {
                fn serialize<S: ser::Serializer>(
                    &self,
                    serializer: S,
                ) -> std::result::Result<S::Ok, S::Error> {
                    serializer.collect_str(&format_args!("{}: {}", self.0, self.0))
                }
            }
            prop_assert_eq!(ours(&Shown(&text)).unwrap(), serde_json(&shown).unwrap());
        }
    }

    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    #[serde(rename_all = "snake_case")]
    enum Key {
        Status,
        Chat,
    }

    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    struct Id(String);

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Newtype(u8),
        Tuple(i32, Option<char>),
        EmptyTuple(),
        Struct { tab: &'static str, empty: Vec<u8> },
        EmptyStruct {},
    }

    #[derive(Serialize)]
    #[serde(tag = "kind")]
    enum Tagged {
        Plain { said: String },
    }

    #[derive(Serialize)]
    struct Extra {
        extra: u8,
        also: Vec<Id>,
    }

    /// An array, or an object keyed by the numbers, of the numbers `keep` keeps: a length
    /// serde is not told beforehand (a filter's).
    struct Filtered {
        numbers: Vec<u8>,
        keep: fn(&u8) -> bool,
        as_object: bool,
    }

    impl Serialize for Filtered {
        fn serialize<S: ser::Serializer>(
            &self,
            serializer: S,
        ) -> std::result::Result<S::Ok, S::Error> {
            let kept = self.numbers.iter().filter(|number| (self.keep)(number));
            match self.as_object {
                true => serializer.collect_map(kept.map(|number| (number.to_string(), number))),
                false => serializer.collect_seq(kept),
            }
        }
    }

    fn filtered(keep: fn(&u8) -> bool, as_object: bool) -> Filtered {
        Filtered {
            numbers: vec![1, 2, 3],
            keep,
            as_object,
        }
    }

    #[derive(Serialize)]
    struct Every {
        shapes: Vec<Shape>,
        by_key: BTreeMap<Key, Id>,
        by_number: BTreeMap<u32, bool>,
        by_flag: BTreeMap<bool, ()>,
        by_char: BTreeMap<char, f32>,
        by_maybe: BTreeMap<Option<i8>, u8>,
        not_a_number: f64,
        infinite: f32,
        nothing: Option<u8>,
        unit: (),
        tuple: (u128, i128),
        empty_map: BTreeMap<String, u8>,
        empty_tuple: [u8; 0],
        #[serde(with = "bytes")]
        bytes: Vec<u8>,
        tagged: Tagged,
        #[serde(flatten)]
        flattened: Extra,
        unsized_: [Filtered; 4],
        newtype_keys: BTreeMap<Id, Option<Id>>,
        time: chrono::DateTime<chrono::Utc>,
        raw: Box<serde_json::value::RawValue>,
    }

    mod bytes {
        pub fn serialize<S: serde::Serializer>(
            bytes: &[u8],
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            serializer.serialize_bytes(bytes)
        }
    }

    #[test]
    fn writes_every_shape_serde_can_hand_it_as_serde_json_does() {
        let every = Every {
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(7),
                Shape::Tuple(-1, Some('"')),
                Shape::EmptyTuple(),
                Shape::Struct {
                    tab: "\t",
                    empty: vec![],
                },
                Shape::EmptyStruct {},
            ],
            by_key: BTreeMap::from([
                (Key::Status, Id("a\nb".into())),
                (Key::Chat, Id(String::new())),
            ]),
            by_number: BTreeMap::from([(3, true), (40, false)]),
            by_flag: BTreeMap::from([(true, ())]),
            by_char: BTreeMap::from([('\u{1}', 0.5)]),
            by_maybe: BTreeMap::from([(Some(-3), 1)]),
            not_a_number: f64::NAN,
            infinite: f32::INFINITY,
            nothing: None,
            unit: (),
            tuple: (u128::MAX, i128::MIN),
            empty_map: BTreeMap::new(),
            empty_tuple: [],
            bytes: vec![0, 255],
            tagged: Tagged::Plain {
                said: "<@here>".into(),
            },
            flattened: Extra {
                extra: 9,
                also: vec![Id("x".into())],
            },
            unsized_: [
                filtered(|number| number % 2 == 1, false),
                filtered(|_| false, false),
                filtered(|number| number % 2 == 1, true),
                filtered(|_| false, true),
            ],
            newtype_keys: BTreeMap::from([(Id("k".into()), None)]),
            time: chrono::DateTime::UNIX_EPOCH,
            raw: serde_json::value::RawValue::from_string(r#"{"kept":[1, 2] }"#.into()).unwrap(),
        };
        assert_eq!(ours(&every).unwrap(), serde_json(&every).unwrap());
    }

    #[test]
    fn refuses_a_key_serde_json_refuses() {
        let by_list = BTreeMap::from([(vec![1u8], 1u8)]);
        assert_eq!(
            ours(&by_list).unwrap_err().to_string(),
            serde_json(&by_list).unwrap_err().to_string()
        );
        let by_nothing = BTreeMap::from([(None::<u8>, 1u8)]);
        assert_eq!(
            ours(&by_nothing).unwrap_err().to_string(),
            serde_json(&by_nothing).unwrap_err().to_string()
        );
        let by_float = vec![(f64::NAN, 1u8)].into_iter().collect::<Vec<_>>();
        struct FloatKeys(Vec<(f64, u8)>);
        impl Serialize for FloatKeys {
            fn serialize<S: ser::Serializer>(
                &self,
                serializer: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                serializer.collect_map(self.0.iter().map(|(key, value)| (key, value)))
            }
        }
        assert_eq!(
            ours(&FloatKeys(by_float.clone())).unwrap_err().to_string(),
            serde_json(&FloatKeys(by_float)).unwrap_err().to_string()
        );
    }

    #[test]
    fn indents_deeper_than_its_one_piece_as_serde_json_does() {
        let deep = (0..40).fold(
            Value::from("bottom"),
            |inner, depth| serde_json::json!([depth, { "inner": inner }]),
        );
        assert_eq!(ours(&deep).unwrap(), serde_json(&deep).unwrap());
    }

    #[test]
    fn finds_each_escape_at_every_place_in_a_word() {
        for place in 0..8 {
            for byte in [0u8, 0x1F, b'"', b'\\'] {
                let mut word = *b"abcdefgh";
                word[place] = byte;
                assert!(
                    needs_escape(u64::from_le_bytes(word)),
                    "{byte:#x} at {place}"
                );
            }
        }
        for clean in [
            *b"abcdefgh",
            *b" ~!#[]{}",
            [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xFF],
        ] {
            assert!(!needs_escape(u64::from_le_bytes(clean)), "{clean:?}");
        }
    }

    /// A writer that takes `room` bytes, then fails as a closed pipe does.
    struct ClosedAfter {
        room: usize,
    }

    impl io::Write for ClosedAfter {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            let taken = bytes.len().min(self.room);
            self.room -= taken;
            Ok(taken)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failed_write_is_an_io_error_of_its_kind() {
        struct Shown;
        impl Serialize for Shown {
            fn serialize<S: ser::Serializer>(
                &self,
                serializer: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                serializer.collect_str(&format_args!("{}", "shown ".repeat(20)))
            }
        }
        let long = vec!["a long text \"quoted\"\n".repeat(10); 3];
        for room in [0, 1, 7, 40, 100] {
            let error = to_writer_pretty(ClosedAfter { room }, &long).unwrap_err();
            assert_eq!(error.io_error_kind(), Some(io::ErrorKind::BrokenPipe));
            let error = to_writer_pretty(ClosedAfter { room }, &Shown).unwrap_err();
            assert_eq!(error.io_error_kind(), Some(io::ErrorKind::BrokenPipe));
        }
    }

    /// Words near what must be escaped: each byte either side of a control character, `"`
    /// and `\`, DEL, and the bytes of multi-byte characters.
    fn near_misses() -> impl Strategy<Value = u64> {
        let byte = proptest::sample::select(vec![
            0x00, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xC3, 0xFF,
        ]);
        proptest::array::uniform8(byte).prop_map(u64::from_le_bytes)
    }

    proptest! {
        #[test]
        fn a_word_needs_escape_exactly_when_one_of_its_bytes_does(
            word in prop_oneof![any::<u64>(), near_misses()]
        ) {
            let by_byte = word.to_le_bytes().iter().any(|byte| escape_of(*byte).is_some());
            prop_assert_eq!(needs_escape(word), by_byte);
        }
    }
}
