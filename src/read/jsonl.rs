//! JSON Lines: one article per line, a JSON object. `--text-field` names the text (default
//! `text`), `--id-field` the id (default `id`); the whole record is passed through so writers can
//! return it with the cleaned text. Blank lines are skipped; anything else that is not an object
//! with a string text field is an error naming the line.

use std::io::BufRead;
use std::path::PathBuf;

use serde_json::Value;

use crate::document::Document;
use crate::error::{Error, Location, Result};
use crate::read::{check_text, read_error, ReadOptions};
use crate::split::split;

/// An iterator over the records of one JSONL input.
pub struct Records {
    reader: Box<dyn BufRead + Send>,
    path: PathBuf,
    text_field: String,
    id_field: String,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

impl Records {
    /// Records of `reader`, named `path` in messages.
    pub fn new(reader: Box<dyn BufRead + Send>, path: PathBuf, options: &ReadOptions) -> Records {
        Records {
            reader,
            path,
            text_field: options.text_field.clone(),
            id_field: options.id_field.clone(),
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    fn parse(&self) -> Result<Document> {
        let at = || Location::line(&self.path, self.line);
        check_text(&self.buf, &self.path, self.line)?;
        let value: Value = serde_json::from_slice(&self.buf)
            .map_err(|e| Error::BadRecord(at(), format!("not valid JSON: {e}")))?;
        let Value::Object(record) = value else {
            return Err(Error::BadRecord(
                at(),
                "a JSONL line must be a JSON object".into(),
            ));
        };
        let text = match record.get(&self.text_field) {
            Some(Value::String(s)) => s,
            Some(other) => {
                return Err(Error::BadRecord(
                    at(),
                    format!(
                        "field `{}` is {}, not a string",
                        self.text_field,
                        kind(other)
                    ),
                ))
            }
            None => {
                return Err(Error::BadRecord(
                    at(),
                    format!(
                        "no `{}` field (choose another with --text-field)",
                        self.text_field
                    ),
                ))
            }
        };
        let id = match record.get(&self.id_field) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => format!("{}:{}", self.path.display(), self.line),
        };
        let (paragraphs, layout) = split(text);
        let mut doc = Document::new(id, paragraphs, layout);
        doc.record = Some(record);
        Ok(doc)
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Iterator for Records {
    type Item = Result<Document>;

    fn next(&mut self) -> Option<Result<Document>> {
        while !self.done {
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    self.line += 1;
                    while self.buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                        self.buf.pop();
                    }
                    if self.buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some(self.parse());
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(read_error(&self.path, e)));
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
        assert_eq!(d.record.as_ref().unwrap()["lang"], "en");
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
}
