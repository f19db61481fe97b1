//! Atom 1.0 (RFC 4287) feeds, so that an analyst can follow casus's alerts in any feed reader.
//!
//! The caller chooses the ids; they must stay the same for the same event across requests, or a
//! reader shows it twice. Every text is XML-escaped, and characters XML 1.0 cannot carry (control
//! characters) are dropped, so a feed always parses whatever an analyst typed into a situation.

use chrono::{DateTime, SecondsFormat, Utc};
use std::fmt::Write as _;

/// One entry of a [`Feed`].
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// A permanent, unique IRI (e.g. a `tag:` URI).
    pub id: String,
    pub title: String,
    pub updated: DateTime<Utc>,
    /// Where a reader goes to see more (absolute URL).
    pub link: String,
    pub summary: String,
}

/// A feed: its own id, title and links, and its entries (newest first is what readers expect).
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub id: String,
    pub title: String,
    pub subtitle: String,
    /// The latest `updated` of the entries, or when the feed's content last changed.
    pub updated: DateTime<Utc>,
    /// The feed's own URL.
    pub self_link: String,
    /// The page the feed is about.
    pub alternate: String,
    pub entries: Vec<Entry>,
}

/// `s` escaped for XML ([`crate::svg::esc`]), without the characters XML 1.0 cannot carry.
pub fn xml_escape(s: &str) -> String {
    let allowed = |c: &char| {
        matches!(c, '\t' | '\n' | '\r') || (*c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
    };
    crate::svg::esc(&s.chars().filter(allowed).collect::<String>())
}

fn time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Feed {
    /// The feed as an Atom document.
    pub fn render(&self) -> String {
        let e = xml_escape;
        let mut o = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        o.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        let _ = writeln!(o, "  <id>{}</id>", e(&self.id));
        let _ = writeln!(o, "  <title>{}</title>", e(&self.title));
        let _ = writeln!(o, "  <subtitle>{}</subtitle>", e(&self.subtitle));
        let _ = writeln!(o, "  <updated>{}</updated>", time(&self.updated));
        let _ = writeln!(
            o,
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
            e(&self.self_link)
        );
        let _ = writeln!(
            o,
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            e(&self.alternate)
        );
        o.push_str("  <author><name>casus</name></author>\n");
        o.push_str("  <generator>casus</generator>\n");
        for x in &self.entries {
            o.push_str("  <entry>\n");
            let _ = writeln!(o, "    <id>{}</id>", e(&x.id));
            let _ = writeln!(o, "    <title>{}</title>", e(&x.title));
            let _ = writeln!(o, "    <updated>{}</updated>", time(&x.updated));
            let _ = writeln!(
                o,
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
                e(&x.link)
            );
            let _ = writeln!(o, "    <summary>{}</summary>", e(&x.summary));
            o.push_str("  </entry>\n");
        }
        o.push_str("</feed>\n");
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feed_parses_with_every_required_element_and_escapes_text() {
        let t = DateTime::parse_from_rfc3339("2020-09-10T12:00:00Z")
            .unwrap()
            .to_utc();
        let f = Feed {
            id: "tag:casus,2026:alerts".into(),
            title: "casus alerts".into(),
            subtitle: "moves".into(),
            updated: t,
            self_link: "http://127.0.0.1:8080/api/v1/alerts.atom".into(),
            alternate: "http://127.0.0.1:8080/".into(),
            entries: vec![Entry {
                id: "tag:casus,2026:band/a%26b/v2".into(),
                title: "A & B <now> \"likely\"\u{1}".into(),
                updated: t,
                link: "http://127.0.0.1:8080/#/history/a&b".into(),
                summary: "it's 'up'".into(),
            }],
        };
        let xml = f.render();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "feed");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2005/Atom")
        );
        let child = |n: roxmltree::Node<'_, '_>, name: &str| {
            n.children()
                .find(|c| c.tag_name().name() == name)
                .and_then(|c| c.text().map(String::from))
        };
        assert_eq!(child(root, "updated").unwrap(), "2020-09-10T12:00:00Z");
        let entry = root
            .children()
            .find(|c| c.tag_name().name() == "entry")
            .unwrap();
        assert_eq!(
            child(entry, "title").unwrap(),
            "A & B <now> \"likely\"",
            "escaped, and the control character dropped"
        );
        assert_eq!(child(entry, "summary").unwrap(), "it's 'up'");
        let link = entry
            .children()
            .find(|c| c.tag_name().name() == "link")
            .unwrap();
        assert_eq!(
            link.attribute("href"),
            Some("http://127.0.0.1:8080/#/history/a&b")
        );
    }
}
