//! End to end in headless Chromium over WebDriver: open a situation, flip a what-if toggle, and see
//! the probability change. Skips (with a message) when chromium or chromedriver is absent.
//!
//! With `CASUS_SCREENSHOTS=DIR` set, `screenshots` saves a PNG of every page into DIR.

use crate::common::{SITUATION_ID, spawn_server, state};
use serde_json::{Value, json};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Driver {
    child: Child,
    base: String,
    session: String,
    _profile: tempfile::TempDir,
    // Dropped after the browser is gone (fields drop after `Drop::drop`).
    _one: std::sync::MutexGuard<'static, ()>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wd(method: &str, url: &str, body: Option<Value>) -> Value {
    let res = match (method, body) {
        ("GET", _) => ureq::get(url).call(),
        (_, b) => ureq::post(url).send_json(b.unwrap_or(json!({}))),
    };
    let mut res = res.unwrap_or_else(|e| panic!("WebDriver {method} {url}: {e}"));
    res.body_mut().read_json::<Value>().unwrap()["value"].clone()
}

/// One Chromium at a time: two at once on two cores make session start-up time out. Every
/// [`Driver`] holds it for its life, so no test can forget it.
static ONE_BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// How long a wait for the page may take. Generous: on a loaded 2-core CI machine the other tests
/// of this binary (load, kill -9) run beside the browser and a debug server answers slowly.
const PATIENCE: Duration = Duration::from_secs(60);

impl Driver {
    fn start() -> Option<Driver> {
        Driver::start_with(None)
    }

    /// A browser that saves downloads into `downloads` (when given) without asking.
    fn start_with(downloads: Option<&Path>) -> Option<Driver> {
        let one = ONE_BROWSER.lock().unwrap_or_else(|p| p.into_inner());
        if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
            eprintln!(
                "SKIP browser test: {CHROMIUM} or {CHROMEDRIVER} is absent (apt-get install -y chromium chromium-driver)"
            );
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(CHROMEDRIVER)
            .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let t = Instant::now();
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(t.elapsed() < PATIENCE, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let prefs = downloads.map_or(json!({}), |d| {
            json!({"download.default_directory": d.display().to_string(),
                   "download.prompt_for_download": false, "download.directory_upgrade": true})
        });
        let caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": CHROMIUM,
            "prefs": prefs,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--window-size=1360,1000",
                     format!("--user-data-dir={}", profile.path().display())]
        }}}});
        let v = wd("POST", &format!("{base}/session"), Some(caps));
        let session = v["sessionId"]
            .as_str()
            .expect("a WebDriver session")
            .to_string();
        Some(Driver {
            child,
            base,
            session,
            _profile: profile,
            _one: one,
        })
    }

    fn url(&self, tail: &str) -> String {
        format!("{}/session/{}{tail}", self.base, self.session)
    }

    fn go(&self, url: &str) {
        wd("POST", &self.url("/url"), Some(json!({"url": url})));
    }

    fn find(&self, css: &str) -> Option<String> {
        let v = wd(
            "POST",
            &self.url("/elements"),
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_array()?
            .first()?
            .as_object()?
            .values()
            .next()?
            .as_str()
            .map(String::from)
    }

    fn text(&self, css: &str) -> Option<String> {
        // `None` if absent or replaced meanwhile (the page re-renders what-if results).
        let id = self.find(css)?;
        let mut r = ureq::get(&self.url(&format!("/element/{id}/text")))
            .call()
            .ok()?;
        let v: Value = r.body_mut().read_json().ok()?;
        v["value"].as_str().map(String::from)
    }

    fn wait_text(&self, css: &str, ok: impl Fn(&str) -> bool) -> String {
        let t = Instant::now();
        loop {
            if let Some(s) = self.text(css).filter(|s| ok(s)) {
                return s;
            }
            if t.elapsed() > PATIENCE {
                // Say what the page showed instead, so a failure in CI can be read.
                let shown = self.text(css).unwrap_or_else(|| "(absent)".into());
                let page = self.text("main").unwrap_or_default();
                panic!("timed out waiting for {css}; it shows {shown:?}; the page reads:\n{page}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn click(&self, css: &str) {
        let id = self.find(css).unwrap_or_else(|| panic!("no element {css}"));
        // Into the middle of the window, clear of the page's sticky result box.
        wd(
            "POST",
            &self.url("/execute/sync"),
            Some(
                json!({"script": "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});", "args": [css]}),
            ),
        );
        wd("POST", &self.url(&format!("/element/{id}/click")), None);
    }

    /// Clear an input and type `text` into it, as a user would.
    fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).unwrap_or_else(|| panic!("no element {css}"));
        wd("POST", &self.url(&format!("/element/{id}/clear")), None);
        wd(
            "POST",
            &self.url(&format!("/element/{id}/value")),
            Some(json!({ "text": text })),
        );
    }

    /// Set a date input or a select (whose widgets WebDriver cannot type into portably) and fire
    /// the events the page listens to.
    fn set(&self, css: &str, value: &str) {
        let script = "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
                      e.dispatchEvent(new Event('input', {bubbles: true})); \
                      e.dispatchEvent(new Event('change', {bubbles: true})); return e.value;";
        let v = wd(
            "POST",
            &self.url("/execute/sync"),
            Some(json!({"script": script, "args": [css, value]})),
        );
        assert_eq!(v, json!(value), "could not set {css}");
    }

    fn count(&self, css: &str) -> usize {
        let v = wd(
            "POST",
            &self.url("/elements"),
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_array().map_or(0, Vec::len)
    }

    fn screenshot(&self, path: &Path) {
        let b64 = wd("GET", &self.url("/screenshot"), None);
        std::fs::write(path, base64(b64.as_str().unwrap())).unwrap();
    }
}

fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|c| !matches!(c, b'=' | b'\n' | b'\r'))
        .map(val)
        .collect();
    bytes
        .chunks(4)
        .flat_map(|c| {
            let n = c
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, &v)| n | u32::from(v) << (18 - 6 * i));
            let out = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            out.into_iter().take(c.len() - 1)
        })
        .collect()
}

#[test]
fn whatif_toggle_changes_the_probability() {
    let Some(d) = Driver::start() else { return };
    let addr = spawn_server(state());
    d.go(&format!("http://{addr}/#/situation/{SITUATION_ID}"));
    let headline = d.wait_text("[data-testid=probability]", |s| s.ends_with('%'));
    let before = d.wait_text("[data-testid=whatif-probability]", |s| s.ends_with('%'));
    assert_eq!(before, headline);
    d.click("input[data-move='opposition.demand_reorientation']");
    let after = d.wait_text("[data-testid=whatif-probability]", |s| s != before);
    let pct = |s: &str| {
        s.trim_end_matches('%')
            .trim_start_matches(['<', '>'])
            .parse::<u32>()
            .unwrap()
    };
    assert!(
        pct(&after) > pct(&before),
        "demanding an EU/NATO course should raise the risk: {before} -> {after}"
    );
    eprintln!(
        "browser: headline {headline}; after the opposition demands an EU/NATO course {after}"
    );
}

#[test]
fn model_page_draws_the_reliability_diagram() {
    let Some(d) = Driver::start() else { return };
    let addr = spawn_server(state());
    d.go(&format!("http://{addr}/#/model"));
    let chart = d.wait_text("svg.calib", |t| t.contains("forecast probability"));
    assert!(chart.contains("observed frequency"), "{chart}");
    let page = d.wait_text("main, body", |t| t.contains("How far to trust the model"));
    assert!(page.contains("forward in time"), "{page}");
    assert!(page.contains("False alarms"), "{page}");
}

#[test]
fn screenshots() {
    let Ok(dir) = std::env::var("CASUS_SCREENSHOTS") else {
        return;
    };
    let Some(d) = Driver::start() else { return };
    let st = state();
    // A small track record to draw.
    {
        use casus_store::{NewForecast, Source};
        let s = &st.store;
        let mut rows = Vec::new();
        for (i, (p, c, y)) in [
            (0.05, 0.20, 0),
            (0.12, 0.10, 0),
            (0.30, 0.45, 1),
            (0.08, 0.15, 0),
            (0.65, 0.55, 1),
            (0.22, 0.35, 0),
            (0.04, 0.02, 0),
            (0.45, 0.30, 0),
        ]
        .iter()
        .enumerate()
        {
            let t = |d: i64| {
                chrono::DateTime::parse_from_rfc3339("2021-01-01T00:00:00Z")
                    .unwrap()
                    .to_utc()
                    + chrono::Duration::days(d)
            };
            let mut f = NewForecast::new(
                format!("Will the patron use force in crisis {}?", i + 1),
                *p,
                Source::casus(),
            );
            f.question_key = Some(format!("metaculus:{}", 100 + i));
            f.interval = Some([p * 0.4, (p * 2.0f64).min(1.0)]);
            f.created_at = t(i as i64 * 40);
            let mut g = NewForecast::new(f.question.clone(), *c, Source::new("metaculus").unwrap());
            g.question_key = f.question_key.clone();
            g.created_at = t(i as i64 * 40 - 2);
            let a = s.record(&f).unwrap();
            let b = s.record(&g).unwrap();
            rows.push((a.id, b.id, *y == 1, t(i as i64 * 40 + 200)));
        }
        for (a, b, y, at) in rows {
            s.resolve(a, y, at).unwrap();
            s.resolve(b, y, at).unwrap();
        }
    }
    // A situation saved at three dates, for the history page.
    for step in 0..3 {
        let v = crate::watch::escalating("shot-watch", step);
        let s = casus_data::situation_from_json(&v.to_string()).unwrap();
        let text = toml::to_string(&v).unwrap();
        st.store
            .save_situation("shot-watch", &text, &casus_store::input_hash(&s))
            .unwrap();
    }
    let addr = spawn_server(st);
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).unwrap();
    for (name, hash, wait) in [
        ("situations", "#/", ".sit"),
        (
            "situation",
            &*format!("#/situation/{SITUATION_ID}"),
            "[data-testid=whatif-probability]",
        ),
        (
            "new",
            "#/new",
            "[data-testid=new-probability], [data-testid=new-error]",
        ),
        (
            "history",
            "#/history/shot-watch/2",
            "[data-testid=history-point]",
        ),
        ("cases", "#/cases", "tbody tr"),
        ("record", "#/record", "svg"),
        ("model", "#/model", "svg.calib"),
        ("monitor", "#/monitor", ".note, svg"),
    ] {
        d.go(&format!("http://{addr}/{hash}"));
        d.wait_text(wait, |_| true);
        if name == "situation" {
            d.click("input[data-move='opposition.demand_reorientation']");
            std::thread::sleep(Duration::from_millis(600));
        }
        std::thread::sleep(Duration::from_millis(300));
        d.screenshot(&dir.join(format!("{name}.png")));
    }
}

/// A server that can be stopped and started again on the same database (and, if it is free, the
/// same port), as an analyst restarts `casus serve`.
struct Running {
    addr: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: std::sync::mpsc::Receiver<()>,
}

impl Running {
    fn start(db: &Path, addr: std::net::SocketAddr) -> Running {
        let store = std::sync::Arc::new(casus_store::SqliteStore::open(db).unwrap());
        let state = crate::common::state_with(store, None);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (done_tx, done) = std::sync::mpsc::channel();
        let shutdown = async {
            stopped.await.ok();
        };
        Running {
            addr: crate::common::serve_in_thread(state, addr, shutdown, Some(done_tx)),
            stop: Some(stop),
            done,
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        // A browser's keep-alive connection may hold the graceful shutdown for a while.
        let _ = self.done.recv_timeout(Duration::from_secs(10));
    }
}

/// Issue 12: create a situation on the New situation page, code it, see the probability move,
/// be refused evidence dated after as_of, save it at three dates, restart the server on the same
/// database, find the three-point history, and download a file `casus validate` accepts.
#[test]
fn new_situation_is_coded_saved_kept_over_a_restart_and_downloaded() {
    let downloads = tempfile::tempdir().unwrap();
    let Some(d) = Driver::start_with(Some(downloads.path())) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("casus.db");
    let server = Running::start(&db, "127.0.0.1:0".parse().unwrap());
    let addr = server.addr;
    d.go(&format!("http://{addr}/#/new"));
    d.wait_text("[data-testid=new-error]", |t| t.contains("ISO 3166-1"));
    d.type_into("input[data-field=target]", "BLR");
    d.type_into("input[data-field=id]", "web-watch");
    d.type_into("input[data-field=title]", "Belarus, watched");
    d.set("input[data-field=as_of]", "2020-08-25");
    let unknown = d.wait_text("[data-testid=new-probability]", |t| t.ends_with('%'));
    // Code a few factors against their anchors; the probability follows.
    for (f, v) in [
        ("ally_incumbent", "1"),
        ("protest_scale", "1"),
        ("military_capacity", "1"),
    ] {
        d.set(&format!("select[data-mode={f}]"), "value");
        d.type_into(&format!("input[data-value={f}]"), v);
    }
    d.set("select[data-mode=strategic_assets]", "range");
    d.type_into("input[data-low=strategic_assets]", "0.75");
    d.type_into("input[data-high=strategic_assets]", "1");
    let coded = d.wait_text("[data-testid=new-probability]", |t| t != unknown);
    // Evidence dated after as_of is refused with the reason; dated before, it is accepted.
    d.click("[data-add-evidence=military_capacity]");
    let row = "[data-factor-row=military_capacity]";
    d.type_into(
        &format!("{row} [data-ev=text]"),
        "Troops stationed near the border.",
    );
    d.type_into(
        &format!("{row} [data-ev=source]"),
        "https://www.reuters.com/world/x",
    );
    d.set(&format!("{row} [data-ev=date]"), "2020-08-30");
    let refused = d.wait_text("[data-testid=new-error]", |t| t.contains("after as_of"));
    assert!(refused.contains("dated 2020-08-30"), "{refused}");
    d.set(&format!("{row} [data-ev=date]"), "2020-08-20");
    let t = Instant::now();
    while d.find("[data-testid=new-error]").is_some() {
        assert!(t.elapsed() < PATIENCE, "the error stayed");
        std::thread::sleep(Duration::from_millis(100));
    }
    d.click("[data-testid=save]");
    d.wait_text("[data-testid=saved]", |t| t.contains("version 1"));
    // Re-code as of two later dates: each save is a new version.
    for (n, date, f) in [
        (2, "2020-09-10", "military_signals"),
        (3, "2020-10-01", "reorientation"),
    ] {
        d.set("input[data-field=as_of]", date);
        d.set(&format!("select[data-mode={f}]"), "value");
        d.type_into(&format!("input[data-value={f}]"), "1");
        d.wait_text("[data-testid=new-probability]", |t| t.ends_with('%'));
        d.click("[data-testid=save]");
        d.wait_text("[data-testid=saved]", |t| {
            t.contains(&format!("version {n}"))
        });
    }
    eprintln!("browser: unknown {unknown}, coded {coded}");

    // Restart the server on the same database, and reload.
    drop(server);
    let server = Running::start(&db, addr);
    let addr = server.addr;
    d.go(&format!("http://{addr}/#/history/web-watch"));
    d.wait_text("[data-testid=history-row]", |t| t.contains("v3"));
    assert_eq!(d.count("[data-testid=history-point]"), 3);
    assert_eq!(d.count("[data-testid=history-row]"), 3);
    assert_eq!(d.count("[data-testid=history-band]"), 1);
    // Each version says what changed: version 2 coded the military signals.
    let page = d.wait_text("main", |t| t.contains("military signals: unknown → 1.00"));
    assert!(page.contains("2020-10-01"), "{page}");
    d.go(&format!("http://{addr}/#/"));
    d.wait_text("[data-testid=change]", |t| t.contains("since v2"));
    d.go(&format!("http://{addr}/#/situation/web-watch"));
    d.wait_text("h1", |t| t == "Belarus, watched");

    // Download the situation file and read it as `casus validate` does.
    d.click("a[download]");
    let file = downloads.path().join("web-watch.toml");
    let t = Instant::now();
    while !file.exists() {
        assert!(
            t.elapsed() < PATIENCE,
            "no download in {}: {:?}",
            downloads.path().display(),
            std::fs::read_dir(downloads.path()).map(|r| r.count())
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(300));
    let s = casus_data::load_situation(&file).unwrap();
    assert_eq!(s.id, "web-watch");
    assert_eq!(s.as_of.to_string(), "2020-10-01");
    assert_eq!(
        s.factors.get(casus_core::Factor::MilitarySignals).point(),
        Some(1.0)
    );
    assert_eq!(
        s.factors
            .get(casus_core::Factor::StrategicAssets)
            .midpoint(),
        Some(0.875)
    );
    assert_eq!(s.evidence.len(), 1);
}
