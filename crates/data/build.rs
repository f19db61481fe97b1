//! Embeds the project's own data files (`data/` at the workspace root) so that the binary runs the
//! built-in default and the case base from anywhere, with no files beside it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn list(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().and_then(|e| e.to_str()) == Some(ext))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn table(out: &mut String, name: &str, files: &[PathBuf]) {
    writeln!(out, "pub static {name}: &[(&str, &str)] = &[").unwrap();
    for p in files {
        let file = p.file_name().unwrap().to_string_lossy();
        writeln!(
            out,
            "    ({file:?}, include_str!({:?})),",
            p.display().to_string()
        )
        .unwrap();
    }
    writeln!(out, "];").unwrap();
}

fn optional(out: &mut String, name: &str, p: &Path) {
    if p.is_file() {
        writeln!(
            out,
            "pub static {name}: Option<&str> = Some(include_str!({:?}));",
            p.display().to_string()
        )
        .unwrap();
    } else {
        writeln!(out, "pub static {name}: Option<&str> = None;").unwrap();
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../data");
    let root = root.canonicalize().unwrap_or(root);
    let mut out = String::new();
    table(&mut out, "CASE_FILES", &list(&root.join("cases"), "toml"));
    table(
        &mut out,
        "SITUATION_FILES",
        &list(&root.join("situations"), "toml"),
    );
    optional(&mut out, "MODEL_JSON", &root.join("model/casus-model.json"));
    optional(
        &mut out,
        "EVALUATION_JSON",
        &root.join("model/casus-evaluation.json"),
    );
    optional(&mut out, "MOVES_TOML", &root.join("moves.toml"));
    for d in ["cases", "situations", "model", "moves.toml"] {
        println!("cargo:rerun-if-changed={}", root.join(d).display());
    }
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("builtin.rs");
    std::fs::write(dest, out).unwrap();
}
