//! Event folders on S3: every function that takes an event directory also takes
//! `s3://bucket/prefix`, so that a team (or a Ballista cluster) can keep imports in object storage
//! rather than on a shared file system.
//!
//! Credentials and endpoint come from the usual AWS environment variables (`AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION` or `AWS_DEFAULT_REGION`,
//! `AWS_ENDPOINT_URL` for an S3-compatible server, `AWS_ALLOW_HTTP=true` for one without TLS).
//!
//! S3 has no rename, so an import cannot appear at once as on disk. An import is written to a
//! local temporary directory and uploaded with its record (`import.json`) last: a prefix that
//! holds data but no record was interrupted, and reading refuses it by name, as it refuses a
//! local leftover.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::error::DataFusionError;
use datafusion::execution::object_store::{DefaultObjectStoreRegistry, ObjectStoreRegistry};
use futures::TryStreamExt;
use object_store::ObjectStore;
use object_store::ObjectStoreExt;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjPath;
use url::Url;

use crate::collection::{EVENTS_SUBDIR, IMPORT_RECORD};
use crate::error::{EventsError, Result};

const SCHEME: &str = "s3://";

/// A bucket and a key prefix (no leading or trailing `/`; empty for the bucket's root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct S3Path {
    pub bucket: String,
    pub prefix: String,
}

impl S3Path {
    /// `Some` when `p` is an `s3://` URL, `None` for a local path.
    pub(crate) fn from_path(p: &Path) -> Result<Option<S3Path>> {
        let Some(s) = p.to_str().and_then(|s| s.strip_prefix(SCHEME)) else {
            return Ok(None);
        };
        let (bucket, prefix) = s.split_once('/').unwrap_or((s, ""));
        let bad = |reason| EventsError::BadS3Url {
            url: p.display().to_string(),
            reason,
        };
        if bucket.is_empty() {
            return Err(bad("no bucket name"));
        }
        let prefix = prefix.trim_matches('/');
        if prefix.split('/').any(|part| part == "." || part == "..") {
            return Err(bad("`.` and `..` are not folders on S3"));
        }
        Ok(Some(S3Path {
            bucket: bucket.to_string(),
            prefix: prefix.to_string(),
        }))
    }

    /// The prefix of `sub` below this one.
    pub(crate) fn child(&self, sub: &str) -> S3Path {
        S3Path {
            bucket: self.bucket.clone(),
            prefix: join(&self.prefix, sub),
        }
    }

    /// `s3://bucket/prefix/` (with the slash that makes it a folder for DataFusion).
    pub(crate) fn folder_url(&self) -> String {
        match self.prefix.as_str() {
            "" => format!("{SCHEME}{}/", self.bucket),
            p => format!("{SCHEME}{}/{p}/", self.bucket),
        }
    }

    /// The URL as a path, for errors and reports.
    pub(crate) fn display_path(&self) -> PathBuf {
        PathBuf::from(self.folder_url().trim_end_matches('/'))
    }

    fn key(&self) -> Option<ObjPath> {
        (!self.prefix.is_empty()).then(|| ObjPath::from(self.prefix.as_str()))
    }

    pub(crate) fn store(&self) -> Result<Arc<dyn ObjectStore>> {
        s3_store(&self.bucket).map_err(|source| self.error(source))
    }

    pub(crate) fn error(&self, source: object_store::Error) -> EventsError {
        EventsError::ObjectStore {
            url: self.folder_url(),
            source: Box::new(source),
        }
    }
}

fn join(prefix: &str, sub: &str) -> String {
    match prefix {
        "" => sub.to_string(),
        p => format!("{p}/{sub}"),
    }
}

/// An S3 client for `bucket`, configured from the `AWS_*` environment variables.
fn s3_store(bucket: &str) -> object_store::Result<Arc<dyn ObjectStore>> {
    let store = AmazonS3Builder::from_env()
        .with_bucket_name(bucket)
        .build()?;
    Ok(Arc::new(store))
}

/// An object-store registry that knows local files, and `s3://` buckets configured from the
/// environment when first asked for them: DataFusion contexts built with it (the local one, a
/// Ballista scheduler's and executors') read event folders on S3 without registering each bucket.
#[derive(Debug, Default)]
pub struct EnvObjectStoreRegistry {
    inner: DefaultObjectStoreRegistry,
}

impl EnvObjectStoreRegistry {
    /// A registry with the local file system and S3 from the environment.
    pub fn new() -> Self {
        Self::default()
    }
}

impl ObjectStoreRegistry for EnvObjectStoreRegistry {
    fn register_store(
        &self,
        url: &Url,
        store: Arc<dyn ObjectStore>,
    ) -> Option<Arc<dyn ObjectStore>> {
        self.inner.register_store(url, store)
    }

    fn deregister_store(&self, url: &Url) -> datafusion::error::Result<Arc<dyn ObjectStore>> {
        self.inner.deregister_store(url)
    }

    fn get_store(&self, url: &Url) -> datafusion::error::Result<Arc<dyn ObjectStore>> {
        if let Ok(store) = self.inner.get_store(url) {
            return Ok(store);
        }
        match (url.scheme(), url.host_str()) {
            ("s3", Some(bucket)) => {
                let store = s3_store(bucket).map_err(|e| DataFusionError::External(Box::new(e)))?;
                self.inner.register_store(url, store.clone());
                Ok(store)
            }
            _ => self.inner.get_store(url),
        }
    }
}

/// Run the future that `make` builds to completion on a runtime of its own, on a thread of its
/// own, so that synchronous callers can reach S3 whether or not they are inside an async runtime
/// already.
pub(crate) fn block_on<T, Fut, F>(make: F) -> Result<T>
where
    F: FnOnce() -> Fut + Send,
    Fut: std::future::Future<Output = Result<T>>,
    T: Send,
{
    std::thread::scope(|s| {
        s.spawn(|| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|source| EventsError::Write {
                    path: PathBuf::from("<tokio runtime>"),
                    source,
                })?;
            rt.block_on(make())
        })
        .join()
        .map_err(|_| EventsError::WorkerPanicked { stage: "S3 access" })?
    })
}

/// What one listing of a prefix holds: its subfolders and its files (names only).
struct Listing {
    dirs: BTreeSet<String>,
    files: BTreeSet<String>,
}

async fn list(store: &dyn ObjectStore, at: &S3Path) -> Result<Listing> {
    let r = store
        .list_with_delimiter(at.key().as_ref())
        .await
        .map_err(|e| at.error(e))?;
    let last = |p: &ObjPath| p.filename().unwrap_or_default().to_string();
    Ok(Listing {
        dirs: r.common_prefixes.iter().map(last).collect(),
        files: r.objects.iter().map(|o| last(&o.location)).collect(),
    })
}

/// One import on S3: its prefix, its tables (`events`, `dyad_days`) and its record, when
/// complete (`None`: the upload was interrupted).
pub(crate) struct S3Import {
    pub at: S3Path,
    pub tables: BTreeSet<String>,
    pub record: Option<String>,
}

async fn one_import(store: &dyn ObjectStore, at: S3Path, listing: Listing) -> Result<S3Import> {
    let record = if listing.files.contains(IMPORT_RECORD) {
        let key = ObjPath::from(join(&at.prefix, IMPORT_RECORD));
        let bytes = async { store.get(&key).await?.bytes().await }
            .await
            .map_err(|e| at.error(e))?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    } else {
        None
    };
    Ok(S3Import {
        at,
        tables: listing.dirs,
        record,
    })
}

/// The imports `dir` stands for (itself when it holds `events/`, else its subfolders that do),
/// complete or not, in name order. Empty when there are none.
pub(crate) async fn list_imports(dir: &S3Path) -> Result<Vec<S3Import>> {
    let store = dir.store()?;
    let top = list(store.as_ref(), dir).await?;
    if top.dirs.contains(EVENTS_SUBDIR) {
        return Ok(vec![one_import(store.as_ref(), dir.clone(), top).await?]);
    }
    let mut out = Vec::new();
    for sub in &top.dirs {
        let at = dir.child(sub);
        let listing = list(store.as_ref(), &at).await?;
        if listing.dirs.contains(EVENTS_SUBDIR) {
            out.push(one_import(store.as_ref(), at, listing).await?);
        }
    }
    Ok(out)
}

/// The complete imports of `dir`, checked as a local folder of imports is: none interrupted, no
/// file imported twice.
pub(crate) async fn import_roots(dir: &S3Path) -> Result<Vec<S3Import>> {
    let imports = list_imports(dir).await?;
    if imports.is_empty() {
        return Err(EventsError::NotAnEventDir {
            path: dir.display_path(),
        });
    }
    if let Some(left) = imports.iter().find(|i| i.record.is_none()) {
        return Err(EventsError::InterruptedImport {
            path: left.at.display_path(),
        });
    }
    let records: Vec<(PathBuf, Option<String>)> = imports
        .iter()
        .map(|i| (i.at.display_path(), i.record.clone()))
        .collect();
    crate::collection::check_records(&records)?;
    Ok(imports)
}

/// Whether anything is stored under `at`.
pub(crate) async fn exists(at: &S3Path) -> Result<bool> {
    let store = at.store()?;
    let mut listing = store.list(at.key().as_ref());
    let first = listing.try_next().await.map_err(|e| at.error(e))?;
    Ok(first.is_some())
}

/// Remove everything under `at` (an interrupted upload being redone).
pub(crate) async fn remove_all(at: &S3Path) -> Result<()> {
    let store = at.store()?;
    let keys: Vec<ObjPath> = store
        .list(at.key().as_ref())
        .map_ok(|m| m.location)
        .try_collect()
        .await
        .map_err(|e| at.error(e))?;
    for k in keys {
        store.delete(&k).await.map_err(|e| at.error(e))?;
    }
    Ok(())
}

/// Upload the files of the local import `local` under `at`, the record last, with `record`
/// as its text (the report naming the S3 location rather than the local one).
pub(crate) async fn upload_import(local: &Path, at: &S3Path, record: &str) -> Result<()> {
    let store = at.store()?;
    let mut files = Vec::new();
    let mut stack = vec![local.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|source| EventsError::Read {
            path: d.clone(),
            source,
        })?;
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n != IMPORT_RECORD) {
                files.push(p);
            }
        }
    }
    files.sort();
    for f in files {
        let rel = f.strip_prefix(local).unwrap_or(&f);
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = std::fs::read(&f).map_err(|source| EventsError::Read {
            path: f.clone(),
            source,
        })?;
        let key = ObjPath::from(join(&at.prefix, &rel));
        store
            .put(&key, bytes.into())
            .await
            .map_err(|e| at.error(e))?;
    }
    let key = ObjPath::from(join(&at.prefix, IMPORT_RECORD));
    store
        .put(&key, record.to_string().into_bytes().into())
        .await
        .map_err(|e| at.error(e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_urls_parse_into_bucket_and_prefix() {
        let p = |s: &str| S3Path::from_path(Path::new(s));
        assert_eq!(p("/data/events").unwrap(), None);
        let one = p("s3://team/gdelt/daily/").unwrap().unwrap();
        assert_eq!(
            (one.bucket.as_str(), one.prefix.as_str()),
            ("team", "gdelt/daily")
        );
        assert_eq!(one.folder_url(), "s3://team/gdelt/daily/");
        assert_eq!(
            one.child("2015").folder_url(),
            "s3://team/gdelt/daily/2015/"
        );
        let root = p("s3://team").unwrap().unwrap();
        assert_eq!(root.folder_url(), "s3://team/");
        assert_eq!(root.child("x").prefix, "x");
        assert!(p("s3:///x").is_err());
        assert!(
            p("s3://b/a/../c")
                .unwrap_err()
                .to_string()
                .contains("s3://b/a/../c")
        );
    }
}
