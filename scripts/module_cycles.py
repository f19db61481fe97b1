#!/usr/bin/env python3
"""Fail on a cycle between the top-level modules of any crate in the workspace (issue 11).

A module's dependencies are the `crate::NAME` paths in its code (in `use` lines and inline), with
names re-exported from `lib.rs` resolved to the module they come from. `super::` inside a
submodule stays within its top-level module, and test code (`#[cfg(test)]` to the end of the file,
or files named `tests.rs`) is left out: tests may reach anywhere. Run from the repository root:
`python3 scripts/module_cycles.py`; exits 1 and prints each cycle found.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Cycles that exist and are listed in ARCHITECTURE.md's "Known knots": reported, not failed on.
# Remove an entry when its cycle is gone; never add one to get a change through.
KNOWN = {
    ("casus-server", ("guard", "state")),
    ("casus-server", ("api", "situations")),
}


def code_of(path):
    text = path.read_text()
    cut = text.find("#[cfg(test)]")
    if cut >= 0:
        text = text[:cut]
    # Comments and doc comments name modules in links, which is not a dependency.
    return "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("//"))


def top_modules(src):
    mods = {}
    for p in src.rglob("*.rs"):
        rel = p.relative_to(src)
        if rel.parts[0] in ("lib.rs", "main.rs", "bin") or p.name == "tests.rs":
            continue
        name = rel.parts[0].removesuffix(".rs")
        mods.setdefault(name, []).append(p)
    return mods


def reexports(lib):
    """Names `lib.rs` re-exports with `pub use module::{...}`, mapped to their module."""
    out = {}
    text = code_of(lib)
    for m in re.finditer(r"pub use (\w+)::\{([^}]*)\}|pub use (\w+)::(\w+)", text, re.S):
        module = m.group(1) or m.group(3)
        names = m.group(2) if m.group(2) is not None else m.group(4)
        for n in re.split(r"[,\s]+", names):
            n = n.split(" as ")[-1].strip()
            if n and n != "self":
                out[n] = module
    return out


def edges(src):
    mods = top_modules(src)
    lib = src / "lib.rs"
    names = reexports(lib) if lib.exists() else {}
    graph = {m: set() for m in mods}
    for m, files in mods.items():
        for f in files:
            code = code_of(f)
            targets = re.findall(r"crate::(\w+)", code)
            for group in re.findall(r"crate::\{([^}]*)\}", code, re.S):
                targets += re.findall(r"(?:^|[,{\s])(\w+)", group)
            for t in targets:
                t = names.get(t, t)
                if t in graph and t != m:
                    graph[m].add(t)
    return graph


def cycles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def crate_name(src):
    m = re.search(r'^name\s*=\s*"([^"]+)"', (src.parent / "Cargo.toml").read_text(), re.M)
    return m.group(1) if m else src.parent.name


def main():
    bad = 0
    for src in sorted(ROOT.glob("crates/*/src")):
        graph = edges(src)
        crate = crate_name(src)
        for comp in cycles(graph):
            links = [f"{a} -> {b}" for a in comp for b in sorted(graph[a]) if b in comp]
            known = (crate, tuple(comp)) in KNOWN
            bad += not known
            what = "known module cycle" if known else "module cycle"
            print(f"{crate}: {what} among {', '.join(comp)} ({'; '.join(links)})")
    if bad:
        sys.exit(1)
    print("no new module cycles")


if __name__ == "__main__":
    main()
