//! JSON output that stays readable: pretty at the top two levels, compact below (so each posterior
//! draw or parameter is one line). The bytes depend only on the value.

use serde::Serialize;
use serde_json::ser::Formatter;
use std::io;

const PRETTY_DEPTH: usize = 2;

#[derive(Default)]
struct Layered {
    depth: usize,
    has_value: bool,
}

impl Layered {
    /// Open an array or object one level deeper.
    fn open<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// Close an array or object, on its own line where the level is pretty-printed.
    fn close<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value && self.depth < PRETTY_DEPTH {
            self.newline(w, self.depth)?;
        }
        w.write_all(bracket)
    }

    /// Start an array element or object key: a comma after the first, a newline where pretty.
    fn item<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        if self.depth <= PRETTY_DEPTH {
            self.newline(w, self.depth)
        } else {
            Ok(())
        }
    }

    fn newline<W: ?Sized + io::Write>(&self, w: &mut W, depth: usize) -> io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl Formatter for Layered {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(if self.depth <= PRETTY_DEPTH {
            b": "
        } else {
            b":"
        })
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Serialise with the layered layout and a trailing newline.
pub fn to_string<T: Serialize>(value: &T) -> String {
    let mut buf = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, Layered::default());
    value
        .serialize(&mut ser)
        .expect("model values serialise to JSON");
    buf.push(b'\n');
    String::from_utf8(buf).expect("serde_json writes UTF-8")
}

#[cfg(test)]
mod tests {
    #[test]
    fn layout_is_valid_json_and_compact_deep_down() {
        let v =
            serde_json::json!({"a": 1, "draws": [[1.0, 2.0], [3.0, 4.0]], "o": {"p": [{"x": 1}]}});
        let s = super::to_string(&v);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v);
        assert!(s.contains("\n    [1.0,2.0]"), "{s}");
    }
}
