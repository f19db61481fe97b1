//! Byte- and token-level mutations, driven by a seeded generator.

/// SplitMix64: small, fast and the same on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
}

/// Bytes that make parsers take a different branch wherever they land.
const INTERESTING: &[&[u8]] = &[
    b"",
    b"\0",
    b"\n",
    b"\r\n",
    b"\t",
    b" ",
    b"\"",
    b"'",
    b"\\",
    b"\\u0000",
    b"\xff",
    b"\xc3",
    b"\xe2\x80\xae",
    b"\xf0\x9f\x92\xa5",
    b"0",
    b"-1",
    b"-0",
    b"1e308",
    b"1e999",
    b"-1e999",
    b"NaN",
    b"nan",
    b"inf",
    b"-inf",
    b"0.5",
    b"255",
    b"256",
    b"65536",
    b"2147483647",
    b"2147483648",
    b"-2147483649",
    b"4294967296",
    b"9223372036854775807",
    b"18446744073709551616",
    b"99999999999999999999999999",
    b"0000-00-00",
    b"9999-12-31",
    b"1969-12-31",
    b"2020-02-30",
    b"2024-02-29",
    b"00000000",
    b"99991231",
    b"true",
    b"null",
    b"[]",
    b"{}",
];

/// Where tokens end: the punctuation of TOML, JSON and tab-separated files.
fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'\t' | b'\n' | b' ' | b',' | b'=' | b':' | b'"' | b'[' | b']' | b'{' | b'}'
    )
}

/// Token boundaries of `b`: the start of each run of non-delimiters.
fn tokens(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, &c) in b.iter().enumerate() {
        match (start, is_delimiter(c)) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, b.len()));
    }
    out
}

fn random_range(rng: &mut Rng, len: usize) -> (usize, usize) {
    let a = rng.below(len + 1);
    // Mostly short ranges, sometimes long ones.
    let span = if rng.below(4) == 0 {
        rng.below(len + 1)
    } else {
        rng.below(9)
    };
    (a, (a + span).min(len))
}

fn pick_token<'a>(rng: &mut Rng, dict: &[&'a [u8]]) -> &'a [u8] {
    let n = dict.len() + INTERESTING.len();
    let i = rng.below(n);
    if i < dict.len() {
        dict[i]
    } else {
        INTERESTING[i - dict.len()]
    }
}

/// One to sixteen stacked mutations of `parent`, splicing from `other` and inserting from
/// `dict`; the result is cut to `max_len` bytes.
pub fn mutate(
    rng: &mut Rng,
    parent: &[u8],
    other: &[u8],
    dict: &[&[u8]],
    max_len: usize,
) -> Vec<u8> {
    let mut b = parent.to_vec();
    let rounds = 1 << rng.below(5);
    for _ in 0..rounds {
        let len = b.len();
        match rng.below(12) {
            0 if len > 0 => {
                let i = rng.below(len);
                b[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                b[i] = rng.next_u64() as u8;
            }
            2 => {
                let i = rng.below(len + 1);
                b.insert(i, rng.next_u64() as u8);
            }
            3 => {
                let (x, y) = random_range(rng, len);
                b.drain(x..y);
            }
            4 => {
                // Duplicate a range where it is.
                let (x, y) = random_range(rng, len);
                let copy = b[x..y].to_vec();
                b.splice(y..y, copy);
            }
            5 | 6 => {
                let i = rng.below(len + 1);
                let t = pick_token(rng, dict);
                b.splice(i..i, t.iter().copied());
            }
            7 => {
                // Replace a token with a dictionary entry.
                let toks = tokens(&b);
                if !toks.is_empty() {
                    let (x, y) = toks[rng.below(toks.len())];
                    let t = pick_token(rng, dict);
                    b.splice(x..y, t.iter().copied());
                }
            }
            8 => {
                // Replace a token with one from the other input (a value from another file).
                let mine = tokens(&b);
                let theirs = tokens(other);
                if !mine.is_empty() && !theirs.is_empty() {
                    let (x, y) = mine[rng.below(mine.len())];
                    let (p, q) = theirs[rng.below(theirs.len())];
                    b.splice(x..y, other[p..q].iter().copied());
                }
            }
            9 => {
                // Splice: my start, the other's end.
                let cut = rng.below(len + 1);
                let from = rng.below(other.len() + 1);
                b.truncate(cut);
                b.extend_from_slice(&other[from..]);
            }
            10 => {
                // Swap two lines (or move one), which reorders keys and tables.
                let lines: Vec<usize> = std::iter::once(0)
                    .chain(
                        b.iter()
                            .enumerate()
                            .filter(|(_, c)| **c == b'\n')
                            .map(|(i, _)| i + 1),
                    )
                    .filter(|&i| i < len)
                    .collect();
                if lines.len() >= 2 {
                    let a = lines[rng.below(lines.len())];
                    let end_a = b[a..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .map_or(len, |p| a + p + 1);
                    let line = b[a..end_a].to_vec();
                    b.drain(a..end_a);
                    let to = lines[rng.below(lines.len())].min(b.len());
                    b.splice(to..to, line);
                }
            }
            _ => {
                let (x, y) = random_range(rng, len);
                b.truncate(if rng.below(2) == 0 { x } else { y });
            }
        }
    }
    b.truncate(max_len);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_mutants() {
        let run = |seed| {
            let mut rng = Rng::new(seed);
            (0..200)
                .map(|_| mutate(&mut rng, b"a = 1\nb = [2, 3]\n", b"x\ty\n", &[b"zz"], 64))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
        assert!(run(7).iter().all(|m| m.len() <= 64));
    }

    #[test]
    fn tokens_split_at_punctuation() {
        let b = b"a = [1, 22]";
        let t: Vec<&[u8]> = tokens(b).into_iter().map(|(x, y)| &b[x..y]).collect();
        assert_eq!(t, [&b"a"[..], b"1", b"22"]);
    }
}
