//! JSON Lines: one article per line, a JSON object. The text field (default `text`) holds the
//! text, the id field (default `id`) the id; the whole record is passed through so writers can
//! return it with the cleaned text. Blank lines are skipped; anything else that is not an object
//! with a string text field and no key twice is an error naming the line. A line longer than the
//! record cap is refused without being held in memory, and reading goes on at the next line.

use std::collections::HashSet;
use std::io::BufRead;
use std::path::PathBuf;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::document::{Document, Record};
use crate::error::{Error, Location, Result};
use crate::read::{check_text, read_error, ReadOptions};
use crate::split::split;

/// An iterator over the records of one JSONL input.
pub struct Records {
    reader: Box<dyn BufRead + Send>,
    path: PathBuf,
    text_field: String,
    id_field: String,
    max_record_bytes: u64,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

/// What reading one line found.
enum Line {
    /// The line is in `buf`.
    Read,
    /// The line was longer than the record cap; it was read past, not kept.
    TooLong,
    /// The input has ended.
    End,
}

impl Records {
    /// Records of `reader`, named `path` in messages.
    pub fn new(reader: Box<dyn BufRead + Send>, path: PathBuf, options: &ReadOptions) -> Records {
        Records {
            reader,
            path,
            text_field: options.text_field.clone(),
            id_field: options.id_field.clone(),
            max_record_bytes: options.limits.record_bytes,
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    /// Reads the next line into `buf` (without its line end), a block at a time: a NUL byte is
    /// an error as soon as its block is read, and a line past the cap is read past, not kept.
    fn read_line(&mut self) -> Result<Line> {
        self.buf.clear();
        let mut seen = 0u64;
        let mut any = false;
        loop {
            let chunk = self
                .reader
                .fill_buf()
                .map_err(|e| read_error(&self.path, e))?;
            if chunk.is_empty() {
                break;
            }
            any = true;
            let (take, ends) = match memchr::memchr(b'\n', chunk) {
                Some(k) => (k + 1, true),
                None => (chunk.len(), false),
            };
            let part = &chunk[..take];
            let content = if ends { &part[..take - 1] } else { part };
            seen += content.len() as u64;
            if seen <= self.max_record_bytes {
                if let Some(k) = memchr::memchr(0, content) {
                    self.buf.extend_from_slice(&content[..k]);
                    return Err(Error::Binary(
                        Location::line(&self.path, self.line + 1),
                        format!("a NUL byte at byte {} of the line", self.buf.len()),
                    ));
                }
                self.buf.extend_from_slice(content);
            } else {
                self.buf = Vec::new();
            }
            self.reader.consume(take);
            if ends {
                break;
            }
        }
        if !any {
            return Ok(Line::End);
        }
        self.line += 1;
        if seen > self.max_record_bytes {
            return Ok(Line::TooLong);
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        Ok(Line::Read)
    }

    fn parse(&self) -> Result<Document> {
        let at = || Location::line(&self.path, self.line);
        let bytes = self.buf.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&self.buf);
        check_text(bytes, &self.path, self.line)?;
        let raw: &RawValue = serde_json::from_slice(bytes)
            .map_err(|e| Error::BadRecord(at(), format!("not valid JSON: {e}")))?;
        if Kind::of(raw) != Kind::Object {
            return Err(Error::BadRecord(
                at(),
                "a JSONL line must be a JSON object".into(),
            ));
        }
        // The line parsed, so it parses again; the second pass only compares keys.
        if let Ok(UniqueKeys(Some(key))) = serde_json::from_slice(bytes) {
            return Err(Error::DuplicateKey { at: at(), key });
        }
        let record: Record = serde_json::from_str(raw.get())
            .map_err(|e| Error::BadRecord(at(), format!("not valid JSON: {e}")))?;
        let text = match record.get(&self.text_field) {
            Some(v) if Kind::of(v) == Kind::String => string(v)
                .map_err(|e| Error::BadRecord(at(), format!("field `{}`: {e}", self.text_field)))?,
            Some(other) => {
                return Err(Error::BadRecord(
                    at(),
                    format!(
                        "field `{}` is {}, not a string",
                        self.text_field,
                        Kind::of(other).name()
                    ),
                ))
            }
            None => {
                return Err(Error::MissingField {
                    at: at(),
                    field: self.text_field.clone(),
                })
            }
        };
        let id = match record.get(&self.id_field) {
            Some(v) if Kind::of(v) == Kind::String => string(v)
                .map_err(|e| Error::BadRecord(at(), format!("field `{}`: {e}", self.id_field)))?,
            // A number's own digits, as the record has them.
            Some(v) if Kind::of(v) == Kind::Number => v.get().to_owned(),
            _ => format!("{}:{}", self.path.display(), self.line),
        };
        let (paragraphs, layout) = split(&text);
        let mut doc = Document::new(id, paragraphs, layout);
        doc.record = Some(record);
        Ok(doc)
    }
}

/// The first key found twice in one object, anywhere in a JSON value (`None` when there is
/// none). Deserializing it compares keys and keeps nothing else.
struct UniqueKeys(Option<String>);

impl<'de> Deserialize<'de> for UniqueKeys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(KeyVisitor).map(UniqueKeys)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut keys = HashSet::new();
        let mut twice = None;
        while let Some(key) = map.next_key::<String>()? {
            let inner: UniqueKeys = map.next_value()?;
            if twice.is_none() {
                twice = inner.0;
            }
            if !keys.insert(key.clone()) && twice.is_none() {
                twice = Some(key);
            }
        }
        Ok(twice)
    }

    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut twice = None;
        while let Some(inner) = seq.next_element::<UniqueKeys>()? {
            twice = twice.or(inner.0);
        }
        Ok(twice)
    }

    fn visit_bool<E>(self, _: bool) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        IgnoredAny::deserialize(d).map(|_| None)
    }
}

/// What a JSON value is, told by its first character (the value has parsed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    fn of(v: &RawValue) -> Kind {
        match v.get().as_bytes().first() {
            Some(b'n') => Kind::Null,
            Some(b't' | b'f') => Kind::Bool,
            Some(b'"') => Kind::String,
            Some(b'[') => Kind::Array,
            Some(b'{') => Kind::Object,
            _ => Kind::Number,
        }
    }

    /// The kind as messages name it.
    fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// The text of a JSON string value; an escape that is no character (a lone surrogate) is an
/// error.
fn string(v: &RawValue) -> serde_json::Result<String> {
    serde_json::from_str(v.get())
}

impl Iterator for Records {
    type Item = Result<Document>;

    fn next(&mut self) -> Option<Result<Document>> {
        while !self.done {
            match self.read_line() {
                Ok(Line::End) => self.done = true,
                Ok(Line::TooLong) => {
                    return Some(Err(Error::RecordTooLarge {
                        at: Location::line(&self.path, self.line),
                        limit: self.max_record_bytes,
                    }))
                }
                Ok(Line::Read) => {
                    let blank = self
                        .buf
                        .strip_prefix(b"\xef\xbb\xbf")
                        .unwrap_or(&self.buf)
                        .iter()
                        .all(u8::is_ascii_whitespace);
                    if blank {
                        continue;
                    }
                    return Some(self.parse());
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Vec<Result<Document>> {
        let reader: Box<dyn BufRead + Send> = Box::new(std::io::Cursor::new(s.as_bytes().to_vec()));
        Records::new(reader, "in.jsonl".into(), &ReadOptions::default()).collect()
    }

    #[test]
    fn records_keep_their_fields() {
        let docs =
            read("{\"id\": 7, \"text\": \"a\\n\\nb\", \"lang\": \"en\"}\n\n{\"text\": \"c\"}\n");
        assert_eq!(docs.len(), 2);
        let d = docs[0].as_ref().unwrap();
        assert_eq!(d.id, "7");
        assert_eq!(d.paragraphs, ["a", "b"]);
        assert_eq!(d.record.as_ref().unwrap()["lang"].get(), "\"en\"");
        assert_eq!(docs[1].as_ref().unwrap().id, "in.jsonl:3");
    }

    #[test]
    fn bad_lines_name_the_line() {
        let docs = read("{\"text\": \"ok\"}\n{\"text\": \n[1]\n{\"body\": \"x\"}\n{\"text\": 3}\n");
        let errs: Vec<String> = docs
            .iter()
            .skip(1)
            .map(|d| d.as_ref().unwrap_err().to_string())
            .collect();
        assert!(
            errs[0].starts_with("in.jsonl:2: not valid JSON"),
            "{}",
            errs[0]
        );
        assert!(errs[1].starts_with("in.jsonl:3: a JSONL line must be a JSON object"));
        assert!(errs[2].starts_with("in.jsonl:4: no `text` field"));
        assert!(errs[3].starts_with("in.jsonl:5: field `text` is a number"));
    }

    #[test]
    fn duplicate_keys_are_refused_at_any_depth() {
        let docs = read(
            "{\"text\": \"a\", \"text\": \"b\"}\n{\"text\": \"a\", \"m\": [{\"k\": 1, \"k\": 2}]}\n{\"text\": \"a\", \"n\": 1.5e400, \"m\": {\"k\": 1}, \"o\": {\"k\": 1}}\n",
        );
        let e = docs[0].as_ref().unwrap_err();
        assert!(
            matches!(e, Error::DuplicateKey { key, at } if key == "text" && at.line == Some(1)),
            "{e}"
        );
        let e = docs[1].as_ref().unwrap_err();
        assert!(
            matches!(e, Error::DuplicateKey { key, .. } if key == "k"),
            "{e}"
        );
        assert!(docs[2].is_ok(), "the same key in two objects is fine");
    }

    #[test]
    fn a_byte_order_mark_starts_any_line() {
        let docs = read("\u{feff}{\"text\": \"a\"}\n\u{feff}\n\u{feff}{\"text\": \"b\"}\n");
        let texts: Vec<_> = docs
            .iter()
            .map(|d| d.as_ref().unwrap().paragraphs.clone())
            .collect();
        assert_eq!(texts, [["a"], ["b"]]);
    }

    #[test]
    fn a_line_past_the_cap_is_refused_and_reading_goes_on() {
        let options = ReadOptions {
            limits: crate::read::Limits {
                record_bytes: 16,
                ..Default::default()
            },
            ..Default::default()
        };
        let input = format!(
            "{{\"text\": \"a\"}}\n{{\"text\": \"{}\"}}\n{{\"text\": \"c\"}}\r\n",
            "b".repeat(100_000)
        );
        let reader: Box<dyn BufRead + Send> = Box::new(std::io::BufReader::with_capacity(
            7,
            std::io::Cursor::new(input.into_bytes()),
        ));
        let mut records = Records::new(reader, "in.jsonl".into(), &options);
        assert_eq!(records.next().unwrap().unwrap().paragraphs, ["a"]);
        let e = records.next().unwrap().unwrap_err();
        assert!(
            matches!(e, Error::RecordTooLarge { ref at, limit: 16 } if at.line == Some(2)),
            "{e}"
        );
        assert!(records.buf.capacity() < 64, "the long line was not kept");
        assert_eq!(records.next().unwrap().unwrap().paragraphs, ["c"]);
        assert!(records.next().is_none());
    }

    #[test]
    fn a_nul_byte_stops_reading_at_its_block() {
        let input = b"{\"text\": \"a\"}\n\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".to_vec();
        let reader: Box<dyn BufRead + Send> = Box::new(std::io::BufReader::with_capacity(
            4,
            std::io::Cursor::new(input),
        ));
        let mut records = Records::new(reader, "in.jsonl".into(), &ReadOptions::default());
        assert!(records.next().unwrap().is_ok());
        let e = records.next().unwrap().unwrap_err();
        assert!(
            matches!(e, Error::Binary(ref at, _) if at.line == Some(2)),
            "{e}"
        );
        assert!(records.next().is_none());
    }
}
