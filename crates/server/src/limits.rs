//! Load the server cannot fall over under: heavy requests (assess, explain, scenarios) run on the
//! blocking pool, at most [`Limits::heavy`] at once with at most [`Limits::queue`] waiting; any
//! further one is shed at once with 503 and `Retry-After` instead of queueing without limit. Every
//! request is answered within [`Limits::timeout`] (503 `timeout` otherwise).
//!
//! Assessments are cached by model and input hash ([`AssessmentCache`]): listing situations assesses
//! each one, and the same inputs give the same assessment.

use crate::ApiError;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use casus_core::Assessment;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// How much work the server takes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Heavy requests computed at once [default: the number of cores].
    pub heavy: usize,
    /// Heavy requests waiting for a turn beyond those [default: 4 per core].
    pub queue: usize,
    /// Longest time a request may take [default: 30 s].
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            heavy: cores,
            queue: 4 * cores,
            timeout: Duration::from_secs(30),
        }
    }
}

/// Seconds a shed client is told to wait.
pub const RETRY_AFTER_SECS: u64 = 1;

/// The admission gate for heavy requests.
#[derive(Debug, Clone)]
pub struct Gate {
    /// Running plus waiting.
    admitted: Arc<Semaphore>,
    running: Arc<Semaphore>,
}

impl Gate {
    pub fn new(l: &Limits) -> Gate {
        Gate {
            admitted: Arc::new(Semaphore::new(l.heavy + l.queue)),
            running: Arc::new(Semaphore::new(l.heavy)),
        }
    }

    /// Run `f` on the blocking pool when a turn is free, or refuse at once with 503 if the queue is
    /// full. The permits move into the task, so work that outlives a timed-out request still counts.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let admitted =
            self.admitted
                .clone()
                .try_acquire_owned()
                .map_err(|_| ApiError::Overloaded {
                    retry_after: RETRY_AFTER_SECS,
                })?;
        let running =
            self.running
                .clone()
                .acquire_owned()
                .await
                .map_err(|e| ApiError::Internal {
                    message: e.to_string(),
                })?;
        tokio::task::spawn_blocking(move || {
            let _permits = (admitted, running);
            f()
        })
        .await
        .map_err(|e| ApiError::Internal {
            message: e.to_string(),
        })?
    }
}

/// Answer within the state's timeout, or 503 `timeout`.
pub async fn timeout(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => ApiError::Timeout {
            after_ms: limit.as_millis() as u64,
            retry_after: RETRY_AFTER_SECS,
        }
        .into_response(),
    }
}

/// Assessments by model id, model version and input hash; cleared when it reaches its size.
#[derive(Debug, Default)]
pub struct AssessmentCache {
    map: Mutex<HashMap<String, Assessment>>,
}

impl AssessmentCache {
    /// Entries kept before the cache starts over.
    pub const SIZE: usize = 4096;

    pub fn get_or(&self, key: String, f: impl FnOnce() -> Assessment) -> Assessment {
        let hit = self
            .map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
            .cloned();
        if let Some(a) = hit {
            return a;
        }
        // Computed outside the lock: two requests may compute the same value, never block others.
        let a = f();
        let mut m = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() >= Self::SIZE {
            m.clear();
        }
        m.insert(key, a.clone());
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_gate_sheds_at_once() {
        let gate = Gate::new(&Limits {
            heavy: 1,
            queue: 0,
            timeout: Duration::from_secs(5),
        });
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let g = gate.clone();
        let busy = tokio::spawn(async move {
            g.run(move || {
                rx.recv().ok();
                Ok(1)
            })
            .await
        });
        // Wait until the first task holds its permit.
        while gate.admitted.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let shed = gate.run(|| Ok(2)).await.unwrap_err();
        assert!(matches!(shed, ApiError::Overloaded { .. }), "{shed:?}");
        tx.send(()).unwrap();
        assert_eq!(busy.await.unwrap().unwrap(), 1);
        assert_eq!(gate.run(|| Ok(3)).await.unwrap(), 3);
    }

    #[test]
    fn the_cache_computes_once_per_key() {
        let cache = AssessmentCache::default();
        let engine = crate::Engine::builtin().unwrap();
        let known = engine.assess(&casus_data::builtin::default_situation().unwrap());
        let calls = std::cell::Cell::new(0);
        let a = || {
            calls.set(calls.get() + 1);
            known.clone()
        };
        cache.get_or("k".into(), a);
        cache.get_or("k".into(), a);
        cache.get_or("other".into(), a);
        assert_eq!(calls.get(), 2);
    }
}
