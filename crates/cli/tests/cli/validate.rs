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
