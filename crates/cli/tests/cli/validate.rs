use std::fs;

#[test]
fn the_default_situation_validates() {
    let r = casus_ok!("validate", "data/situations/belarus-2020-08-25.toml");
    assert!(r.stdout.contains("ok (RUS-BLR-2020-08-25"), "{}", r.stdout);
}

#[test]
fn bad_files_exit_two_with_one_line_each() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    fs::write(&bad, "id = \"x\"\npatron = \"RUS\"\ntarget = \"BLR\"\ncrisis_type = \"coup\"\nas_of = 2020-01-01\n[factors]\ninvitation = 1.7\n").unwrap();
    let empty = dir.path().join("empty.toml");
    fs::write(&empty, "").unwrap();
    let r = casus_fails!(
        2,
        "validate",
        bad.to_str().unwrap(),
        empty.to_str().unwrap(),
        dir.path().to_str().unwrap()
    );
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", r.stderr);
    assert!(
        lines[0].contains("bad.toml:7:") && lines[0].contains("1.7 is outside [0, 1]"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("empty.toml: the file is empty"),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains("is a directory"), "{}", lines[2]);
    assert!(!r.stderr.contains("panicked"));
}

#[test]
fn every_case_file_validates_as_a_case() {
    let mut args = vec!["validate".to_string(), "--cases".to_string()];
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/cases");
    let mut files: Vec<_> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    args.extend(files.iter().map(|p| p.to_string_lossy().into_owned()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = crate::macros::casus(&refs);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn the_whole_case_base_and_every_situation_validate_together() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut args: Vec<String> = vec!["validate".into()];
    for dir in ["data/cases", "data/situations"] {
        let mut files: Vec<String> = fs::read_dir(format!("{root}/{dir}"))
            .unwrap()
            .map(|e| e.unwrap().path().display().to_string())
            .collect();
        files.sort();
        args.extend(files);
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_casus"))
        .args(&args)
        .current_dir(root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("(case RUS-UKR-2014, 2 decision points, force yes)"),
        "{stdout}"
    );
}

#[test]
fn a_situation_with_evidence_after_its_date_is_refused_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("late.toml");
    fs::write(
        &f,
        "id = \"x\"\npatron = \"RUS\"\ntarget = \"BLR\"\ncrisis_type = \"mass_protest\"\nas_of = 2020-08-25\n\n[[evidence]]\nfactor = \"invitation\"\ndate = 2020-08-27\ntext = \"A reserve police force is formed.\"\nsource = \"Reuters, 27 August 2020\"\n",
    )
    .unwrap();
    let r = casus_fails!(2, "validate", f.to_str().unwrap());
    assert!(
        r.stderr.contains("late.toml:7:1:") && r.stderr.contains("after as_of 2020-08-25"),
        "{}",
        r.stderr
    );
}

#[test]
fn casus_new_writes_a_file_that_validates_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("s.toml");
    let p = f.to_str().unwrap();
    casus_ok!("new", "RUS", "BLR", "--as-of", "2020-08-25", "--out", p);
    let r = casus_ok!("validate", p);
    assert!(r.stdout.contains("0 of 18 factors coded"), "{}", r.stdout);
    let r = casus_fails!(2, "new", "RUS", "BLR", "--as-of", "2020-08-25", "--out", p);
    assert!(r.stderr.contains("exists"), "{}", r.stderr);
    casus_fails!(2, "new", "rus", "BLR", "--as-of", "2020-08-25");
}
