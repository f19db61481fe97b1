#[test]
fn cases_json_has_the_documented_fields() {
    let r = casus_ok!("cases", "--json");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert!(arr.len() >= 60);
    for c in arr {
        for key in [
            "id",
            "patron",
            "target",
            "crisis_start",
            "force",
            "factors",
            "sources",
        ] {
            assert!(c.get(key).is_some(), "missing {key} in {c}");
        }
        assert!(c["force"] == 0 || c["force"] == 1);
        assert_eq!(c["factors"].as_object().unwrap().len(), 18);
        assert!(c["crisis_start"].as_str().unwrap() < "2020-01-01");
    }
}

#[test]
fn cases_table_reads_as_a_summary() {
    let r = casus_ok!("cases");
    assert!(r.stdout.contains("crises,"), "{}", r.stdout);
    assert!(r.stdout.contains("RUS-UKR-2014"));
}
