//! Opening inputs (plain or gzip) and cutting them into line-aligned chunks.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use flate2::read::MultiGzDecoder;

use crate::error::{EventsError, Result};

/// A reader that counts the bytes it passes on (compressed bytes, for progress).
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn read_err(path: &Path) -> impl FnOnce(std::io::Error) -> EventsError + '_ {
    move |source| EventsError::Read {
        path: path.to_path_buf(),
        source,
    }
}

/// Open a file for reading its decoded bytes; gzip is recognised by its magic number.
/// `count` is advanced by the number of bytes read from disk.
pub(crate) fn open_raw(path: &Path, count: Arc<AtomicU64>) -> Result<Box<dyn Read + Send>> {
    let mut file = File::open(path).map_err(read_err(path))?;
    let mut magic = [0u8; 2];
    let mut got = 0;
    while got < 2 {
        let n = file.read(&mut magic[got..]).map_err(read_err(path))?;
        if n == 0 {
            break;
        }
        got += n;
    }
    file.seek(SeekFrom::Start(0)).map_err(read_err(path))?;
    let counting = Counting { inner: file, count };
    if got == 2 && magic == [0x1f, 0x8b] {
        Ok(Box::new(MultiGzDecoder::new(BufReader::with_capacity(
            1 << 16,
            counting,
        ))))
    } else {
        Ok(Box::new(counting))
    }
}

/// Open a file (plain or gzip) as a buffered reader of its decoded bytes.
pub(crate) fn open(path: &Path) -> Result<Box<dyn BufRead + Send>> {
    let raw = open_raw(path, Arc::new(AtomicU64::new(0)))?;
    Ok(Box::new(BufReader::with_capacity(1 << 16, raw)))
}

/// A run of whole lines from one input file.
#[derive(Debug)]
pub(crate) struct Chunk {
    /// Index of the input file.
    pub file: usize,
    /// The buffer; only its first `len` bytes are the chunk.
    buf: Vec<u8>,
    len: usize,
    /// 1-based line number of the first line in `data`.
    pub first_line: u64,
    /// Whether this is the file's last chunk.
    pub is_last: bool,
}

impl Chunk {
    /// The bytes: whole lines, each ending in `\n` except perhaps the file's last one.
    pub fn data(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// A whole file held in memory as its one and last chunk.
    pub fn whole(file: usize, buf: Vec<u8>) -> Chunk {
        let len = buf.len();
        Chunk {
            file,
            buf,
            len,
            first_line: 1,
            is_last: true,
        }
    }

    /// Hand the buffer back for the next chunk.
    pub fn recycle(self, pool: &BufferPool) {
        pool.give(self.buf);
    }
}

/// Chunk buffers handed back by the workers. A fresh 8 MiB buffer per chunk costs the kernel a
/// page fault per 4 KiB and the reader a pass of zeroes before every read; reused ones cost
/// neither.
#[derive(Debug, Clone, Default)]
pub(crate) struct BufferPool {
    free: Arc<Mutex<Vec<Vec<u8>>>>,
    keep: usize,
}

impl BufferPool {
    /// A pool that keeps at most `keep` idle buffers.
    pub fn new(keep: usize) -> Self {
        BufferPool {
            free: Arc::default(),
            keep,
        }
    }

    /// A buffer of at least `size` initialised bytes (its whole length is usable).
    fn take(&self, size: usize) -> Vec<u8> {
        let reused = self.free.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut buf = reused.unwrap_or_default();
        if buf.len() < size {
            buf.resize(size, 0);
        }
        buf
    }

    fn give(&self, buf: Vec<u8>) {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        if free.len() < self.keep {
            free.push(buf);
        }
    }
}

/// Read `path` in line-aligned chunks of about `chunk_bytes` and hand each to `send`, which
/// returns `false` to stop early. Every file yields at least one chunk (an empty file, one empty
/// last chunk) so that consumers see each file finish. Buffers come from `pool`.
pub(crate) fn read_chunks(
    path: &Path,
    file: usize,
    chunk_bytes: usize,
    bytes_read: Arc<AtomicU64>,
    pool: &BufferPool,
    mut send: impl FnMut(Chunk) -> bool,
) -> Result<()> {
    const STEP: usize = 1 << 16;
    let mut reader = open_raw(path, bytes_read)?;
    let chunk_bytes = chunk_bytes.max(1024);
    let mut carry: Vec<u8> = Vec::new();
    let mut first_line = 1u64;
    loop {
        let mut buf = pool.take((chunk_bytes + STEP).max(carry.len() + STEP));
        buf[..carry.len()].copy_from_slice(&carry);
        let mut filled = carry.len();
        carry.clear();
        let mut eof = false;
        // Fill to at least chunk_bytes and until the buffer holds a newline.
        while filled < chunk_bytes || memchr::memrchr(b'\n', &buf[..filled]).is_none() {
            if filled == buf.len() {
                buf.resize(filled + STEP, 0); // a line longer than the chunk: read on to its end
            }
            let end = if filled < chunk_bytes {
                chunk_bytes
            } else {
                buf.len()
            };
            let n = reader.read(&mut buf[filled..end]).map_err(read_err(path))?;
            if n == 0 {
                eof = true;
                break;
            }
            filled += n;
        }
        if eof {
            send(Chunk {
                file,
                buf,
                len: filled,
                first_line,
                is_last: true,
            });
            return Ok(());
        }
        let cut = memchr::memrchr(b'\n', &buf[..filled]).expect("loop ends with a newline") + 1;
        carry.extend_from_slice(&buf[cut..filled]);
        let lines = memchr::memchr_iter(b'\n', &buf[..cut]).count() as u64;
        let chunk = Chunk {
            file,
            buf,
            len: cut,
            first_line,
            is_last: false,
        };
        first_line += lines;
        if !send(chunk) {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn chunks_of(bytes: &[u8], gz: bool, chunk: usize) -> Vec<Chunk> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        let mut f = File::create(&p).unwrap();
        if gz {
            let mut e = flate2::write::GzEncoder::new(f, flate2::Compression::fast());
            e.write_all(bytes).unwrap();
            e.finish().unwrap();
        } else {
            f.write_all(bytes).unwrap();
        }
        let mut out = Vec::new();
        read_chunks(
            &p,
            0,
            chunk,
            Arc::new(AtomicU64::new(0)),
            &BufferPool::new(0),
            |c| {
                out.push(c);
                true
            },
        )
        .unwrap();
        out
    }

    #[test]
    fn chunks_are_line_aligned_and_numbered() {
        let text: String = (1..=5000).map(|i| format!("line {i}\n")).collect();
        for gz in [false, true] {
            let chunks = chunks_of(text.as_bytes(), gz, 1024);
            assert!(chunks.len() > 3);
            let joined: Vec<u8> = chunks.iter().flat_map(|c| c.data().to_vec()).collect();
            assert_eq!(joined, text.as_bytes());
            for c in &chunks {
                let first = std::str::from_utf8(c.data()).unwrap().lines().next();
                if let Some(first) = first {
                    assert_eq!(first, format!("line {}", c.first_line));
                }
            }
            assert!(chunks.last().unwrap().is_last);
        }
    }

    #[test]
    fn empty_file_gives_one_last_chunk() {
        let chunks = chunks_of(b"", false, 1024);
        assert_eq!(chunks.len(), 1);
        assert!(chunks[0].is_last && chunks[0].data().is_empty());
    }

    #[test]
    fn missing_file_is_an_error_naming_it() {
        let err = open(Path::new("/no/such/file.tsv")).err().unwrap();
        assert!(err.to_string().contains("/no/such/file.tsv"));
    }
}
