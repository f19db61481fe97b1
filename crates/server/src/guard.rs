//! What keeps other web pages out: a page the analyst visits can make the browser send requests to
//! the server, so the server checks three headers a browser sets and a page cannot forge.
//!
//! * `Host` ([`HostPolicy`]): a DNS-rebinding page reaches the server under the attacker's name
//!   (`Host: attacker.example:8080`), so only the names the server was bound as are answered.
//! * `Origin` ([`check_origin`]): a cross-site `fetch` or form names its page's origin; a request
//!   that changes state is refused unless that origin is the server itself.
//! * `Content-Type` ([`require_json`]): an HTML form can post `text/plain` without a CORS
//!   preflight, but not `application/json`, so JSON endpoints accept nothing else.
//!
//! The dashboard passes all three: it is served by this server and calls it with `fetch` and
//! `Content-Type: application/json`.

use crate::{ApiError, AppState};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};

/// Which `Host` headers the server answers: its port, and the names it may be reached by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPolicy {
    port: u16,
    /// Lower-case host names and IP literals (IPv6 in brackets), without the port.
    names: Vec<String>,
    /// Any IP literal is acceptable (the server listens on every interface: 0.0.0.0 or [::]).
    any_ip: bool,
}

fn ip_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

impl HostPolicy {
    /// The policy for a server bound to `addr`, also reachable under the host names in `extra`.
    ///
    /// A loopback bind answers `localhost`, `127.0.0.1` and `[::1]`; a bind to one address answers
    /// that address; a bind to every interface answers any IP literal and `localhost`. An IP literal
    /// cannot be rebound, so only names need listing (`casus serve --allow-host`).
    pub fn for_addr(addr: SocketAddr, extra: &[String]) -> HostPolicy {
        let ip = addr.ip();
        let mut names = vec![ip_name(ip)];
        if ip.is_loopback() || ip.is_unspecified() {
            names.extend(["localhost", "127.0.0.1", "[::1]"].map(String::from));
        }
        names.extend(extra.iter().map(|n| n.to_ascii_lowercase()));
        names.sort();
        names.dedup();
        HostPolicy {
            port: addr.port(),
            names,
            any_ip: ip.is_unspecified(),
        }
    }

    /// Whether a `Host` header value names this server.
    pub fn allows(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if port != self.port {
            return false;
        }
        let name = name.to_ascii_lowercase();
        // `localhost.` is `localhost`.
        let name = name.strip_suffix('.').unwrap_or(&name);
        self.names.iter().any(|n| n == name) || (self.any_ip && is_ip_literal(name))
    }
}

fn is_ip_literal(name: &str) -> bool {
    let bare = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name);
    bare.parse::<IpAddr>().is_ok()
}

/// `name[:port]` → (name, port), the port defaulting to HTTP's 80; `None` if malformed.
fn split_host(host: &str) -> Option<(&str, u16)> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        let (name, rest) = host.split_at(end + 1);
        match rest {
            "" => (name, None),
            _ => (name, Some(rest.strip_prefix(':')?)),
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    if name.is_empty() {
        return None;
    }
    let port = match port {
        Some(p) => p.parse().ok()?,
        None => 80,
    };
    Some((name, port))
}

fn header_str<'a>(h: &'a HeaderMap, name: &header::HeaderName) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

/// Refuse requests whose `Host` is not one of the server's names (when the server knows its
/// address: [`crate::serve`] always sets it).
pub async fn check_host(State(st): State<AppState>, req: Request, next: Next) -> Response {
    if let Some(policy) = &st.hosts {
        let host = header_str(req.headers(), &header::HOST).unwrap_or("");
        if !policy.allows(host) {
            return ApiError::ForbiddenHost {
                host: host.chars().take(200).collect(),
            }
            .into_response();
        }
    }
    next.run(req).await
}

/// Refuse a state-changing request (anything but GET, HEAD, OPTIONS) whose `Origin` is present and
/// is not the server's own, i.e. not `http://` or `https://` followed by the request's `Host`.
pub async fn check_origin(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && let Some(origin) = req.headers().get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let host = header_str(req.headers(), &header::HOST);
        let own = host.is_some_and(|h| {
            let authority = origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"));
            authority.is_some_and(|a| a.eq_ignore_ascii_case(h))
        });
        if !own {
            return ApiError::ForbiddenOrigin {
                origin: origin.chars().take(200).collect(),
            }
            .into_response();
        }
    }
    next.run(req).await
}

/// JSON endpoints take `Content-Type: application/json` (parameters such as `charset` allowed), and
/// answer anything else with 415.
pub async fn require_json(req: Request, next: Next) -> Response {
    let ct = header_str(req.headers(), &header::CONTENT_TYPE).unwrap_or("");
    let mime = ct.split(';').next().unwrap_or("").trim();
    if !mime.eq_ignore_ascii_case("application/json") {
        return ApiError::UnsupportedMediaType {
            given: ct.chars().take(100).collect(),
        }
        .into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(addr: &str, extra: &[&str]) -> HostPolicy {
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        HostPolicy::for_addr(addr.parse().unwrap(), &extra)
    }

    #[test]
    fn loopback_answers_its_loopback_names_on_its_port() {
        let p = policy("127.0.0.1:8080", &[]);
        for ok in [
            "127.0.0.1:8080",
            "localhost:8080",
            "LOCALHOST:8080",
            "localhost.:8080",
            "[::1]:8080",
        ] {
            assert!(p.allows(ok), "{ok}");
        }
        for bad in [
            "attacker.example:8080",
            "attacker.example",
            "127.0.0.1:8081",
            "127.0.0.1",
            "localhost",
            "",
            ":8080",
            "[::1",
            "[::1]x8080",
            "10.0.0.1:8080",
            "localhost:80800",
        ] {
            assert!(!p.allows(bad), "{bad}");
        }
        // Port 80 may be left out, as browsers do.
        assert!(policy("127.0.0.1:80", &[]).allows("localhost"));
    }

    #[test]
    fn other_binds() {
        let p = policy("192.168.1.5:8080", &["casus.team.example"]);
        assert!(p.allows("192.168.1.5:8080"));
        assert!(p.allows("casus.team.example:8080"));
        assert!(!p.allows("10.0.0.1:8080"));
        assert!(!p.allows("attacker.example:8080"));
        let p = policy("0.0.0.0:8080", &[]);
        assert!(p.allows("10.0.0.1:8080"));
        assert!(p.allows("[fe80::1]:8080"));
        assert!(p.allows("localhost:8080"));
        assert!(!p.allows("attacker.example:8080"));
        assert!(policy("[::1]:9000", &[]).allows("[::1]:9000"));
    }
}
