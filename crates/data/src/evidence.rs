//! Rules every piece of evidence obeys, in situations and cases alike: it is dated no later than the
//! decision point it supports (an assessment may only use what was public on its `as_of`), and it
//! cites a source a senior analyst would cite, never an aggregator or a content farm.

/// Hosts that republish or generate content: aggregators, content farms, forums and personal blogs.
/// A source on one of them is refused wherever it appears; the original publisher is the one to cite.
pub const REFUSED_SOURCE_HOSTS: &[&str] = &[
    "freerepublic.com",
    "rssing.com",
    "blogspot.com",
    "wordpress.com",
    "saynigeria.com",
    "pledgetimes.com",
    "urdupoint.com",
    "panpacificagency.com",
    "chernayakobra.ru",
    "americanmilitarynews.com",
    "ukrainetoday.org",
    "polonianews.com",
    "newser.com",
    "wired-gov.net",
    "russialist.org",
    "townhall.com",
    "onenewspage.com",
    "reddit.com",
    "quora.com",
    "medium.com",
];

/// Encyclopaedias: a pointer in a case's `sources`, never evidence for a coded fact in a case file.
pub const ENCYCLOPAEDIA_HOSTS: &[&str] = &["wikipedia.org", "wikinews.org", "britannica.com"];

/// The host of a URL-like source (lower case, without `www.`), or `None` for a citation in words.
fn host(source: &str) -> Option<String> {
    let rest = source
        .trim()
        .strip_prefix("https://")
        .or_else(|| source.trim().strip_prefix("http://"))?;
    let host = rest
        .split(['/', '?', '#', ')'])
        .next()?
        .to_ascii_lowercase();
    Some(host.trim_start_matches("www.").to_string())
}

fn on_host(host: &str, listed: &str) -> bool {
    host == listed || host.ends_with(&format!(".{listed}"))
}

/// Why a source is refused, or `None` when it is acceptable. `evidence_in_case` also refuses
/// encyclopaedias.
pub fn refused_source(source: &str, evidence_in_case: bool) -> Option<String> {
    let h = host(source)?;
    if let Some(l) = REFUSED_SOURCE_HOSTS.iter().find(|l| on_host(&h, l)) {
        return Some(format!(
            "source `{source}` is on {l}, an aggregator, content farm, forum or blog: cite the \
             original publisher (primary, official, scholarly or major news)"
        ));
    }
    if evidence_in_case && let Some(l) = ENCYCLOPAEDIA_HOSTS.iter().find(|l| on_host(&h, l)) {
        return Some(format!(
            "source `{source}` is an encyclopaedia ({l}): evidence in a case cites the primary, \
             scholarly or news source behind it"
        ));
    }
    None
}

/// Byte offset of the start of the `n`-th (0-based) line that opens a `[[header]]` table, for
/// pointing at an evidence entry when the parser kept no span for it.
pub(crate) fn nth_table(src: &str, header: &str, n: usize) -> Option<usize> {
    let mut offset = 0;
    let mut seen = 0;
    for line in src.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with("[[")
            && t.trim_start_matches("[[").split("]]").next().map(str::trim) == Some(header)
        {
            if seen == n {
                return Some(offset + (line.len() - line.trim_start().len()));
            }
            seen += 1;
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_farms_are_refused_and_publishers_are_not() {
        assert!(refused_source("https://freerepublic.com/focus/f-news/1", false).is_some());
        assert!(refused_source("https://imaan4.rssing.com/chan-1/x", false).is_some());
        assert!(refused_source("http://example.blogspot.com/2020/08/x.html", false).is_some());
        assert!(refused_source("https://www.reuters.com/article/x", false).is_none());
        assert!(refused_source("https://tass.com/politics/1192335", true).is_none());
        assert!(
            refused_source(
                "M. Kramer, The Soviet Union and Eastern Europe (2014), p. 3",
                true
            )
            .is_none()
        );
    }

    #[test]
    fn encyclopaedias_are_refused_only_as_case_evidence() {
        let w = "https://en.wikipedia.org/wiki/Tulip_Revolution";
        assert!(refused_source(w, false).is_none());
        assert!(refused_source(w, true).is_some());
    }

    #[test]
    fn finds_the_nth_table() {
        let src = "a = 1\n[[evidence]]\nx = 1\n  [[evidence]]\n[[snapshots.evidence]]\n";
        assert_eq!(nth_table(src, "evidence", 0), Some(6));
        assert_eq!(nth_table(src, "evidence", 1), Some(27));
        assert_eq!(nth_table(src, "snapshots.evidence", 0), Some(40));
        assert_eq!(nth_table(src, "evidence", 2), None);
    }
}
