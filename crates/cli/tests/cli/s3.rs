//! Event folders on S3, against moto's S3-compatible server started by the test on 127.0.0.1
//! (`pip install 'moto[server]'`, which `.ci/run` does); skipped, saying so, where it cannot
//! start.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../events/tests/fixtures");

struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// moto on a free loopback port with bucket `bucket`, or `None` (and why on stderr).
fn moto(bucket: &str) -> Option<Moto> {
    let port = TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = match Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("skipped: cannot start moto_server ({e}); pip install 'moto[server]'");
            return None;
        }
    };
    let moto = Moto {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
    };
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            // Create the bucket (moto does not check signatures).
            let req = format!(
                "PUT /{bucket} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let mut resp = String::new();
            if s.write_all(req.as_bytes()).is_ok() && s.read_to_string(&mut resp).is_ok() {
                if resp.starts_with("HTTP/1.1 200") {
                    return Some(moto);
                }
                eprintln!("skipped: moto did not create the bucket: {resp}");
                return None;
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!("skipped: moto_server did not answer on port {port} within 30 s");
    None
}

/// A cluster node run by the test, killed when dropped.
struct Node(Child);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `cmd` with the AWS variables pointing at `moto`.
fn aws<'a>(moto: &Moto, cmd: &'a mut Command) -> &'a mut Command {
    cmd.env("AWS_ACCESS_KEY_ID", "casus-test")
        .env("AWS_SECRET_ACCESS_KEY", "casus-test")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .env("AWS_ALLOW_HTTP", "true")
}

/// Run casus with the AWS variables pointing at `moto`.
fn casus_s3(moto: &Moto, args: &[&str]) -> crate::macros::Run {
    let out = aws(moto, Command::new(env!("CARGO_BIN_EXE_casus")).args(args))
        .output()
        .unwrap();
    crate::macros::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn ok(r: crate::macros::Run) -> crate::macros::Run {
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    r
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn indicators_from_s3_are_byte_identical_to_the_same_data_on_disk() {
    let Some(m) = moto("casus") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let local = tmp.path().join("imports");
    for (name, format, file) in [
        ("a", "gdelt1", "gdelt1_sample.tsv"),
        ("b", "gdelt2", "gdelt2_sample.tsv"),
    ] {
        let input = format!("{FIXTURES}/{file}");
        let remote = format!("s3://casus/team/imports/{name}");
        ok(casus_s3(
            &m,
            &[
                "events", "import", "--format", format, &input, "--out", &remote,
            ],
        ));
        let here = local.join(name);
        ok(casus_s3(
            &m,
            &[
                "events",
                "import",
                "--format",
                format,
                &input,
                "--out",
                s(&here),
            ],
        ));
    }
    for extra in [&[][..], &["--from-events"][..], &["--source", "RUS"][..]] {
        let (a, b) = (tmp.path().join("s3.csv"), tmp.path().join("disk.csv"));
        let mut on_s3 = vec![
            "events",
            "indicators",
            "--events",
            "s3://casus/team/imports",
            "--out",
            s(&a),
        ];
        on_s3.extend(extra);
        ok(casus_s3(&m, &on_s3));
        let mut on_disk = vec![
            "events",
            "indicators",
            "--events",
            s(&local),
            "--out",
            s(&b),
        ];
        on_disk.extend(extra);
        ok(casus_s3(&m, &on_disk));
        let (a, b) = (std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
        assert!(a.len() > 100, "{extra:?}: almost nothing written");
        assert_eq!(a, b, "{extra:?}: S3 and disk differ");
    }
    // The monitor reads S3 the same way.
    let monitor = |events: &str| {
        ok(casus_s3(
            &m,
            &[
                "monitor",
                "--events",
                events,
                "--patron",
                "RUS",
                "--target",
                "UKR",
                "--from",
                "2014-02-01",
                "--to",
                "2014-03-31",
                "--json",
            ],
        ))
        .stdout
    };
    assert_eq!(monitor("s3://casus/team/imports"), monitor(s(&local)));

    // A Ballista cluster (scheduler and executor as their own processes, on loopback) reads
    // the same S3 folder, with no shared file system, and writes the same bytes.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let spawn = |args: &[&str]| {
        Node(
            aws(&m, Command::new(env!("CARGO_BIN_EXE_casus")).args(args))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        )
    };
    let addr = format!("127.0.0.1:{port}");
    let _scheduler = spawn(&["cluster", "scheduler", "--bind", &addr]);
    let _executor = spawn(&[
        "cluster",
        "executor",
        "--scheduler",
        &addr,
        "--port",
        "0",
        "--wait",
        "60",
    ]);
    let (c, b) = (tmp.path().join("cluster.csv"), tmp.path().join("disk.csv"));
    let url = format!("df://{addr}");
    let on_cluster = [
        "events",
        "indicators",
        "--events",
        "s3://casus/team/imports",
        "--out",
        s(&c),
        "--cluster",
        &url,
    ];
    let started = Instant::now();
    loop {
        let r = casus_s3(&m, &on_cluster);
        if r.code == 0 {
            break;
        }
        // The executor registers within its --wait; until then the query finds no executor.
        assert!(started.elapsed() < Duration::from_secs(90), "{}", r.stderr);
        std::thread::sleep(Duration::from_millis(500));
    }
    ok(casus_s3(
        &m,
        &[
            "events",
            "indicators",
            "--events",
            s(&local),
            "--out",
            s(&b),
        ],
    ));
    assert_eq!(
        std::fs::read(&c).unwrap(),
        std::fs::read(&b).unwrap(),
        "cluster on S3 and disk differ"
    );

    // An import is not written over, and an interrupted upload (data, no record) is refused by
    // name.
    let again = casus_s3(
        &m,
        &[
            "events",
            "import",
            "--format",
            "gdelt2",
            &format!("{FIXTURES}/gdelt2_sample.tsv"),
            "--out",
            "s3://casus/team/imports/b",
        ],
    );
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(
        again.stderr.contains("s3://casus/team/imports/b"),
        "{}",
        again.stderr
    );
    let put = |key: &str| {
        let port = m.endpoint.rsplit(':').next().unwrap();
        let mut s = TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
        write!(
            s,
            "PUT /casus/{key} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx"
        )
        .unwrap();
        let mut resp = String::new();
        s.read_to_string(&mut resp).unwrap();
        assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    };
    put("team/imports/c/events/month=2014-01/part-00-00000.parquet");
    let r = casus_s3(
        &m,
        &[
            "events",
            "indicators",
            "--events",
            "s3://casus/team/imports",
            "--out",
            s(&tmp.path().join("x.csv")),
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("s3://casus/team/imports/c") && r.stderr.contains("did not finish"),
        "{}",
        r.stderr
    );
}
