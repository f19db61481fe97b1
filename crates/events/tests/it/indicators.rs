use std::collections::BTreeMap;

use casus_events::datafusion::arrow::array::AsArray;
use casus_events::datafusion::arrow::datatypes::Int64Type;
use casus_events::{
    EventsError, Family, Format, ImportOptions, IndicatorQuery, import, indicators,
    write_indicators,
};

use crate::common::fixture;

/// An independent reading of the fixture: family of each row by its event code and target
/// type, following the family rules in THEORY terms.
fn reference_family(code: &str, target_type: &str) -> Option<&'static str> {
    let root: u32 = code[..2].parse().unwrap();
    let opposition = ["OPP", "REB", "SEP", "INS"].contains(&target_type);
    Some(match root {
        20 => "mass_violence",
        18 | 19 => "armed_violence",
        17 if ["172", "173", "174", "175"]
            .iter()
            .any(|p| code.starts_with(p)) =>
        {
            "repression"
        }
        15 => "force_posture",
        14 => "protest",
        13 => "threat",
        11 if code.starts_with("112") => "accusation",
        11 if code == "113" => "rival_support",
        5..=7 if opposition => "rival_support",
        3 | 5 | 6 | 7 => "cooperation",
        4 if ["042", "043", "046"].contains(&code) => "cooperation",
        _ => return None,
    })
}

fn imported(threads: usize, chunk: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    import(
        Format::Gdelt1,
        &[fixture("gdelt1_sample.tsv")],
        &dir.path().join("events"),
        &ImportOptions::default().threads(threads).chunk_bytes(chunk),
    )
    .unwrap();
    dir
}

#[test]
fn family_totals_match_an_independent_reading_of_the_fixture() {
    let mut expected: BTreeMap<&str, i64> = BTreeMap::new();
    for line in std::fs::read_to_string(fixture("gdelt1_sample.tsv"))
        .unwrap()
        .lines()
    {
        let f: Vec<&str> = line.split('\t').collect();
        if let Some(fam) = reference_family(f[26], f[22]) {
            *expected.entry(fam).or_default() += 1;
        }
    }
    let dir = imported(2, 4096);
    let batches = indicators(&dir.path().join("events"), &IndicatorQuery::default()).unwrap();
    let mut got: BTreeMap<String, i64> = BTreeMap::new();
    for b in &batches {
        let fam = b.column(3).as_string::<i32>();
        let n = b.column(4).as_primitive::<Int64Type>();
        for i in 0..b.num_rows() {
            *got.entry(fam.value(i).to_string()).or_default() += n.value(i);
        }
    }
    let expected: BTreeMap<String, i64> = expected
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    assert_eq!(got, expected);
    println!("family totals in the fixture: {got:?}");
}

#[test]
fn csv_output_is_identical_across_runs_and_thread_counts() {
    let a = imported(1, 1 << 20);
    let b = imported(3, 2048);
    let q = IndicatorQuery::default();
    let out_a = a.path().join("ind.csv");
    let out_b = b.path().join("ind.csv");
    let n = write_indicators(&a.path().join("events"), &q, &out_a).unwrap();
    write_indicators(&b.path().join("events"), &q, &out_b).unwrap();
    let text_a = std::fs::read_to_string(&out_a).unwrap();
    assert_eq!(text_a, std::fs::read_to_string(&out_b).unwrap());
    assert_eq!(text_a.lines().count() as u64, n + 1);
    assert!(
        text_a.starts_with(
            "date,source_country,target_country,family,events,mentions,goldstein_sum\n"
        ),
        "{}",
        &text_a[..100]
    );
    // Sorted by date, then the dyad and family.
    let keys: Vec<&str> = text_a.lines().skip(1).map(|l| &l[..10]).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn parquet_output_and_filters() {
    let dir = imported(2, 8192);
    let events = dir.path().join("events");
    let q = IndicatorQuery::default()
        .sources(&["RUS"])
        .targets(&["UKR"])
        .families(&[Family::ForcePosture, Family::Threat]);
    let out = dir.path().join("rus_ukr.parquet");
    let n = write_indicators(&events, &q, &out).unwrap();
    assert!(n > 0);
    let batches = crate::common::read_all(&out);
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows as u64, n);
    // In the fixture the crisis starts on 2014-02-20: nothing before it.
    let before = IndicatorQuery::default()
        .sources(&["RUS"])
        .targets(&["UKR"])
        .families(&[Family::ForcePosture, Family::Threat])
        .to("2014-02-19");
    let b = indicators(&events, &before).unwrap();
    assert_eq!(b.iter().map(|b| b.num_rows()).sum::<usize>(), 0);
}

#[test]
fn unknown_output_extension_is_an_error() {
    let dir = imported(1, 1 << 20);
    let err = write_indicators(
        &dir.path().join("events"),
        &IndicatorQuery::default(),
        &dir.path().join("out.xlsx"),
    )
    .unwrap_err();
    assert!(matches!(err, EventsError::OutputExtension { .. }));
}

/// The rollup written during import gives, for every query, the rows the SQL over the events
/// gives: across thread counts and chunk sizes (so partial sums from several workers and
/// flushes are added up) and with filters on every key.
#[test]
fn dyad_day_rollup_equals_the_sql_over_the_events() {
    let queries = [
        IndicatorQuery::default(),
        IndicatorQuery::default()
            .sources(&["RUS"])
            .targets(&["UKR"])
            .families(&[Family::ForcePosture, Family::Threat]),
        IndicatorQuery::default()
            .from("2014-02-01")
            .to("2014-03-15")
            .families(&[Family::Protest]),
    ];
    for (threads, chunk) in [(1, 1 << 20), (3, 2048)] {
        let dir = imported(threads, chunk);
        let events = dir.path().join("events");
        assert!(events.join("dyad_days").is_dir());
        for q in &queries {
            let a = dir.path().join("rollup.csv");
            let b = dir.path().join("events.csv");
            write_indicators(&events, q, &a).unwrap();
            write_indicators(&events, &q.clone().from_events(true), &b).unwrap();
            let (a, b) = (
                std::fs::read_to_string(a).unwrap(),
                std::fs::read_to_string(b).unwrap(),
            );
            assert!(a.lines().count() > 1, "{q:?}");
            assert_eq!(a, b, "{q:?} with {threads} threads");
        }
    }
}

/// `Family::classify` (import time) and the SQL `CASE` (query time) put every code of the
/// codebook, and codes outside it, in the same family, for each kind of target actor.
#[test]
fn classify_agrees_with_the_sql_case() {
    use casus_events::datafusion::arrow::array::{Array, Int8Array, RecordBatch, StringArray};
    use casus_events::datafusion::arrow::datatypes::{DataType, Field, Schema};
    use casus_events::datafusion::datasource::MemTable;
    use casus_events::datafusion::prelude::SessionContext;
    use std::sync::Arc;

    let mut codes: Vec<String> = casus_events::codebook::cameo_events()
        .iter()
        .map(|e| e.code.to_string())
        .collect();
    codes.extend(["0429", "1129", "1139", "209", "0599"].map(String::from));
    let types = [
        None,
        Some("OPP"),
        Some("REB"),
        Some("SEP"),
        Some("INS"),
        Some("GOV"),
    ];
    let (mut roots, mut code_col, mut type_col) = (Vec::new(), Vec::new(), Vec::new());
    for c in &codes {
        for t in types {
            roots.push(c[..2].parse::<i8>().unwrap());
            code_col.push(c.clone());
            type_col.push(t);
        }
    }
    let schema = Arc::new(Schema::new(vec![
        Field::new("root_code", DataType::Int8, false),
        Field::new("event_code", DataType::Utf8, false),
        Field::new("target_type", DataType::Utf8, true),
    ]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(Int8Array::from(roots.clone())),
            Arc::new(StringArray::from(code_col.clone())),
            Arc::new(StringArray::from(type_col.clone())),
        ],
    )
    .unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sql_families: Vec<Option<String>> = rt.block_on(async {
        let ctx = SessionContext::new();
        let table = MemTable::try_new(schema, vec![vec![batch]]).unwrap();
        ctx.register_table("t", Arc::new(table)).unwrap();
        let sql = format!(
            "SELECT {} AS family FROM t",
            casus_events::family_case_sql()
        );
        let out = ctx.sql(&sql).await.unwrap().collect().await.unwrap();
        out.iter()
            .flat_map(|b| {
                let f = b.column(0).as_string::<i32>();
                (0..b.num_rows())
                    .map(|i| f.is_valid(i).then(|| f.value(i).to_string()))
                    .collect::<Vec<_>>()
            })
            .collect()
    });
    assert_eq!(sql_families.len(), roots.len());
    for i in 0..roots.len() {
        let rust =
            Family::classify(roots[i], &code_col[i], type_col[i]).map(|f| f.name().to_string());
        assert_eq!(
            rust, sql_families[i],
            "code {} target {:?}",
            code_col[i], type_col[i]
        );
    }
}

/// A folder of imports reads as one import of all their files, and a file imported twice is
/// refused rather than counted twice.
#[test]
fn a_folder_of_imports_reads_as_one() {
    let tmp = tempfile::tempdir().unwrap();
    let files = [fixture("gdelt1_sample.tsv"), fixture("gdelt1_bad.tsv")];
    let options = ImportOptions::default().threads(2).chunk_bytes(4096);
    let together = tmp.path().join("together");
    import(Format::Gdelt1, &files, &together, &options).unwrap();
    let folder = tmp.path().join("daily");
    for (i, f) in files.iter().enumerate() {
        let one = folder.join(format!("part-{i}"));
        import(Format::Gdelt1, std::slice::from_ref(f), &one, &options).unwrap();
    }
    for q in [
        IndicatorQuery::default(),
        IndicatorQuery::default().from_events(true),
        IndicatorQuery::default()
            .sources(&["RUS"])
            .targets(&["UKR"]),
    ] {
        let a = tmp.path().join("a.csv");
        let b = tmp.path().join("b.csv");
        write_indicators(&together, &q, &a).unwrap();
        write_indicators(&folder, &q, &b).unwrap();
        assert_eq!(
            std::fs::read_to_string(&a).unwrap(),
            std::fs::read_to_string(&b).unwrap(),
            "{q:?}"
        );
    }
    // The sample again, in a third folder: refused, naming the file.
    import(
        Format::Gdelt1,
        &files[..1],
        &folder.join("part-2"),
        &options,
    )
    .unwrap();
    let err = indicators(&folder, &IndicatorQuery::default()).unwrap_err();
    assert!(matches!(err, EventsError::ImportedTwice { .. }), "{err}");
    assert!(err.to_string().contains("gdelt1_sample.tsv"), "{err}");
}
