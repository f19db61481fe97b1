#!/usr/bin/env python3
"""Benchmark peers for casus-events: dyad-day indicator counts from a GDELT 1.0 file with DuckDB
or Polars, the same result as `casus_events::indicators_sql` on casus's imported Parquet.

Driven by `cargo bench -p casus-events --bench events_vs_peers`; runnable alone:

    python3 bench/events_peers.py --engine duckdb --input big.tsv --out duck.csv --sql-file q.sql

DuckDB runs casus's SQL text unchanged over a view that renames the raw GDELT columns to the
normalised schema. Polars computes the same with its expression API. Prints `key=value` lines:
wall_s, rows, out_rows, peak_rss_kb (this process's peak resident memory).

Install the peers with `pip install duckdb polars`.
"""
import argparse
import resource
import time

# GDELT 1.0 columns used (0-based), as in casus's reader.
SQLDATE, A1CC, A2CC, A2TYPE, CODE, GOLD, MENTIONS = 1, 7, 17, 22, 26, 30, 31
NCOLS = 58  # daily layout; 57-column backfile rows are padded with NULL


def run_duckdb(args):
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET threads TO {args.threads}")
    cols = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(NCOLS))
    src = (f"read_csv('{args.input}', delim='\\t', header=false, quote='', escape='', "
           f"null_padding=true, auto_detect=false, columns={{{cols}}})")
    con.execute(f"""
        CREATE VIEW events AS SELECT
          strptime(c{SQLDATE}, '%Y%m%d')::DATE AS date,
          CASE WHEN regexp_matches(c{A1CC}, '^[A-Z]{{3}}$') THEN c{A1CC} END AS source_country,
          CASE WHEN regexp_matches(c{A2CC}, '^[A-Z]{{3}}$') THEN c{A2CC} END AS target_country,
          CASE WHEN regexp_matches(c{A2TYPE}, '^[A-Z]{{3}}$') THEN c{A2TYPE} END AS target_type,
          c{CODE} AS event_code,
          CAST(substr(c{CODE}, 1, 2) AS INTEGER) AS root_code,
          CAST(c{GOLD} AS FLOAT) AS goldstein,
          CAST(c{MENTIONS} AS INTEGER) AS mentions
        FROM {src}""")
    sql = open(args.sql_file).read()
    rows = con.execute("SELECT COUNT(*) FROM events").fetchone()[0] if args.count_rows else -1
    con.execute(f"COPY ({sql}) TO '{args.out}' (HEADER, DELIMITER ',')")
    out_rows = sum(1 for _ in open(args.out)) - 1
    return rows, out_rows


def run_polars(args):
    import os
    os.environ.setdefault("POLARS_MAX_THREADS", str(args.threads))
    import polars as pl

    names = [f"c{i}" for i in range(NCOLS)]
    lf = pl.scan_csv(args.input, separator="\t", has_header=False, quote_char=None,
                     new_columns=names, schema={n: pl.String for n in names},
                     truncate_ragged_lines=True, missing_columns="insert")
    iso = lambda c: pl.when(pl.col(c).str.contains(r"^[A-Z]{3}$")).then(pl.col(c))
    code = pl.col("event_code")
    root = pl.col("root_code")
    opp = pl.col("target_type").is_in(["OPP", "REB", "SEP", "INS"])
    family = (
        pl.when(root == 20).then(pl.lit("mass_violence"))
        .when(root.is_in([18, 19])).then(pl.lit("armed_violence"))
        .when(code.is_in(["172", "1721", "1722", "1723", "1724", "173", "174", "175"]))
        .then(pl.lit("repression"))
        .when(root == 15).then(pl.lit("force_posture"))
        .when(root == 14).then(pl.lit("protest"))
        .when(root == 13).then(pl.lit("threat"))
        .when(code.is_in(["112", "1121", "1122", "1123", "1124", "1125"]))
        .then(pl.lit("accusation"))
        .when((code == "113") | (root.is_in([5, 6, 7]) & opp.fill_null(False)))
        .then(pl.lit("rival_support"))
        .when(root.is_in([3, 5, 6, 7]) | code.is_in(["042", "043", "046"]))
        .then(pl.lit("cooperation"))
    )
    g = pl.col("goldstein") * 10
    tenths = pl.when(pl.col("goldstein") >= 0).then((g + 0.25)).otherwise(g - 0.25).cast(pl.Int64)
    out = (
        lf.select(
            pl.col(f"c{SQLDATE}").str.strptime(pl.Date, "%Y%m%d").alias("date"),
            iso(f"c{A1CC}").alias("source_country"),
            iso(f"c{A2CC}").alias("target_country"),
            iso(f"c{A2TYPE}").alias("target_type"),
            pl.col(f"c{CODE}").alias("event_code"),
            pl.col(f"c{CODE}").str.slice(0, 2).cast(pl.Int32).alias("root_code"),
            pl.col(f"c{GOLD}").cast(pl.Float32).alias("goldstein"),
            pl.col(f"c{MENTIONS}").cast(pl.Int64).alias("mentions"),
        )
        .with_columns(family.alias("family"), tenths.alias("goldstein_tenths"))
        .filter(pl.col("family").is_not_null())
        .group_by("date", "source_country", "target_country", "family")
        .agg(pl.len().alias("events"), pl.col("mentions").sum(),
             (pl.col("goldstein_tenths").sum().cast(pl.Float64) / 10.0).alias("goldstein_sum"))
        .sort(["date", "source_country", "target_country", "family"], nulls_last=False)
        .collect()
    )
    out.write_csv(args.out)
    return -1, out.height


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", choices=["duckdb", "polars"], required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sql-file", help="casus's indicator SQL (duckdb)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--count-rows", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    rows, out_rows = (run_duckdb if args.engine == "duckdb" else run_polars)(args)
    wall = time.perf_counter() - t0
    print(f"wall_s={wall:.3f}")
    print(f"rows={rows}")
    print(f"out_rows={out_rows}")
    print(f"peak_rss_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")


if __name__ == "__main__":
    main()
