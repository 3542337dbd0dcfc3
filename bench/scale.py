#!/usr/bin/env python3
"""How generation and builds scale with the size of a spec: ours (`cargo
xtask`, per-tag features) side by side with openapi-generator 7.26's Rust
client of the same spec, in alternating rounds, printing medians and
spread (min-max) per spec:

- generation: wall time and peak memory (`/usr/bin/time`); ours generates
  the client with the `cli` and `mock` extras too (compiled only with their
  features), openapi-generator its client;
- generated lines (ours: what `full` compiles, `client.rs` and `mod.rs`);
- build of the generated crate with its dependencies already built: ours
  with every feature (the default), ours with only the median tag's
  feature (by operation count; `rustls` for TLS), openapi-generator's;
- incremental rebuild after one operation's description changes:
  regeneration and `cargo build`, both tools.

Specs: our two, Oxide's Nexus from the corpus (193 operations) and Nexus
replicated 4x (`bench/replicate.py`, 772 operations).

    bench/scale.py [--rounds N] [--specs v2,ossj,nexus,nexus-x4]

Needs python3, java (openapi-generator-cli from PyPI bundles the jar) and
GNU time; PyYAML comes with openapi-generator into a virtual environment. Everything goes under target/bench/scale/; nothing in the tree is
written. Not run in CI: a full run takes hours on 2 cores.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target/bench/scale"
SPECS = {
    "v2": ROOT / "spec/ticketing-v2.yaml",
    "ossj": ROOT / "spec/ticketing-ossj.yaml",
    "nexus": ROOT / "tests/corpus/prog-nexus.json",
    "nexus-x4": None,  # made by replicate.py
}
OG_VERSION = "7.26.0"


def timed(cmd, cwd=None, env=None, may_fail=False):
    """Runs `cmd`; its wall time in seconds and peak memory in MiB (None
    when it failed and `may_fail`)."""
    with tempfile.NamedTemporaryFile("r") as out:
        full = ["/usr/bin/time", "-f", "%e %M", "-o", out.name, *cmd]
        proc = subprocess.run(full, cwd=cwd, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            if may_fail:
                print(f"does not build: {' '.join(map(str, cmd))} in {cwd}\n{proc.stderr[-1500:]}")
                return None, None
            sys.exit(f"failed: {' '.join(map(str, cmd))}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        seconds, kib = out.read().split()[-2:]
    return float(seconds), int(kib) / 1024


def quiet(cmd, cwd=None, env=None):
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc.stdout


def lines(paths):
    return sum(p.read_text().count("\n") for p in paths)


class Spec:
    """One spec's scratch workspaces: ours and openapi-generator's."""

    def __init__(self, name, source, og_cli, xtask):
        self.name, self.og_cli, self.xtask = name, og_cli, xtask
        self.dir = WORK / name
        self.spec_dir = self.dir / "spec"
        self.spec_dir.mkdir(parents=True, exist_ok=True)
        self.spec = self.spec_dir / f"{name}{source.suffix}"
        shutil.copy(source, self.spec)
        work = self.dir / "ours"
        quiet([xtask, "corpus", self.spec_dir, "--per-tag", "--no-build", "--work", work])
        self.ws = work / "ws"
        self.crate = self.ws / "crates" / name
        self.ours_spec = self.ws / "spec" / self.spec.name
        self.ours_env = dict(os.environ, CARGO_TARGET_DIR=str(work / "target"))
        self.og = self.dir / "openapi-generator"
        self.og_package = name.replace("-", "_") + "_og"
        self.og_env = dict(os.environ, CARGO_TARGET_DIR=str(self.dir / "og-target"))
        self.generate_og(self.spec)
        doc = load(self.spec)
        counts = tag_counts(doc)
        by_count = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]))
        self.median_tag, self.median_ops = by_count[(len(by_count) - 1) // 2]
        self.operations = sum(1 for op in operations(doc) if "operationId" in op)
        # openapi-generator's crate does not build for some specs: said, and
        # its build times left out.
        self.og_builds = timed(["cargo", "build", "-q"], cwd=self.og, env=self.og_env, may_fail=True)[0] is not None
        # Dependencies built once, for each set of features measured.
        for features in self.ours_feature_sets().values():
            quiet(["cargo", "build", "-q", "-p", self.name, *features], cwd=self.ws, env=self.ours_env)

    def feature_of(self, tag):
        cargo = (self.crate / "Cargo.toml").read_text()
        full = cargo.split("\nfull = [", 1)[1].split("]", 1)[0]
        features = [f.strip().strip('"') for f in full.replace("\n", "").split(",") if f.strip()]
        wanted = "".join(c for c in tag.lower() if c.isalnum())
        for f in features:
            if "".join(c for c in f if c.isalnum()) in (wanted, "tag" + wanted):
                return f
        sys.exit(f"no feature for tag {tag} in {features}")

    def ours_feature_sets(self):
        tag = self.feature_of(self.median_tag)
        return {
            "every feature": [],
            f"only `{tag}`": ["--no-default-features", "--features", f"rustls,{tag}"],
        }

    def generate_ours(self):
        shutil.rmtree(self.crate / "src/generated", ignore_errors=True)
        return timed([self.xtask, "--root", self.ws, "regenerate"])

    def og_command(self, spec):
        return [self.og_cli, "generate", "-i", spec, "-g", "rust", "-o", self.og,
                f"--additional-properties=packageName={self.og_package},library=reqwest"]

    def own_workspace(self):
        """The generated crate is a workspace of its own (it sits under
        this repository's, which does not list it)."""
        cargo = self.og / "Cargo.toml"
        if "[workspace]" not in cargo.read_text():
            cargo.write_text(cargo.read_text() + "\n[workspace]\n")

    def generate_og(self, spec):
        shutil.rmtree(self.og, ignore_errors=True)
        measured = timed(self.og_command(spec))
        self.own_workspace()
        return measured

    def ours_lines(self):
        g = self.crate / "src/generated"
        return lines([g / "client.rs", g / "mod.rs"])

    def og_lines(self):
        return lines(self.og.glob("src/**/*.rs"))

    def build_ours(self, features):
        quiet(["cargo", "clean", "-q", "-p", self.name], cwd=self.ws, env=self.ours_env)
        return timed(["cargo", "build", "-q", "-p", self.name, *features], cwd=self.ws, env=self.ours_env)[0]

    def build_og(self):
        if not self.og_builds:
            return None
        quiet(["cargo", "clean", "-q", "-p", self.og_package], cwd=self.og, env=self.og_env)
        return timed(["cargo", "build", "-q"], cwd=self.og, env=self.og_env)[0]

    def edit_description(self, spec, round_no):
        """The first operation's description changed, in `spec` (a copy;
        rewritten as JSON, which YAML readers read too)."""
        doc = load(spec)
        for op in operations(doc):
            if "responses" in op:
                op["description"] = f"Edited in round {round_no}."
                spec.write_text(json.dumps(doc, indent=2))
                return

    def incremental_ours(self, round_no):
        # The last build may have been another feature set (or cleaned):
        # incremental state for the default one first, untimed.
        quiet(["cargo", "build", "-q", "-p", self.name], cwd=self.ws, env=self.ours_env)
        self.edit_description(self.ours_spec, round_no)
        start = time.monotonic()
        quiet([self.xtask, "--root", self.ws, "regenerate"])
        quiet(["cargo", "build", "-q", "-p", self.name], cwd=self.ws, env=self.ours_env)
        return time.monotonic() - start

    def incremental_og(self, round_no):
        spec = self.dir / f"og-{self.spec.name}"
        if not spec.exists():
            shutil.copy(self.spec, spec)
        if self.og_builds:
            quiet(["cargo", "build", "-q"], cwd=self.og, env=self.og_env)
        self.edit_description(spec, round_no)
        start = time.monotonic()
        # Regenerated over the crate it built before, as a user would.
        quiet(self.og_command(spec))
        self.own_workspace()
        if not self.og_builds:
            return None
        quiet(["cargo", "build", "-q"], cwd=self.og, env=self.og_env)
        return time.monotonic() - start


def load(path):
    """A spec, YAML or JSON."""
    import yaml  # PyYAML; JSON is YAML

    return yaml.safe_load(Path(path).read_text())


def operations(doc):
    """The mappings under the spec's path items: its operations (and any
    mapping-valued extension)."""
    for item in doc.get("paths", {}).values():
        for op in item.values():
            if isinstance(op, dict):
                yield op


def tag_counts(doc):
    """Operations per tag (`untagged` for none)."""
    counts = {}
    for op in operations(doc):
        if "responses" in op:
            for tag in op.get("tags") or ["untagged"]:
                counts[tag] = counts.get(tag, 0) + 1
    return counts


def spread(values):
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--specs", default=",".join(SPECS))
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    venv = WORK / "venv"
    if not (venv / "bin/openapi-generator-cli").exists():
        quiet([sys.executable, "-m", "venv", venv])
        quiet([venv / "bin/pip", "install", "-q", f"openapi-generator-cli=={OG_VERSION}", "pyyaml"])
    try:
        import yaml  # noqa: F401
    except ImportError:
        # PyYAML is in the virtual environment: run there.
        python = str(venv / "bin/python")
        os.execv(python, [python, __file__, *sys.argv[1:]])
    og_cli = venv / "bin/openapi-generator-cli"
    quiet(["cargo", "build", "-q", "-p", "xtask"], cwd=ROOT)
    xtask = ROOT / "target/debug/xtask"
    x4 = WORK / "nexus-x4.json"
    quiet([sys.executable, ROOT / "bench/replicate.py", SPECS["nexus"], "4", x4])
    SPECS["nexus-x4"] = x4
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"machine: {os.cpu_count()} cores, {cpu}; {args.rounds} alternating rounds; medians (min-max)")
    for name in args.specs.split(","):
        spec = Spec(name, SPECS[name], og_cli, xtask)
        results = {}

        def add(key, value):
            if value is not None:
                results.setdefault(key, []).append(value)

        for r in range(args.rounds):
            steps = [("ours", spec.generate_ours), ("og", lambda: spec.generate_og(spec.spec))]
            for who, generate in steps if r % 2 == 0 else steps[::-1]:
                seconds, mib = generate()
                add(f"{who} generation s", seconds)
                add(f"{who} generation MiB", mib)
            add("ours lines", spec.ours_lines())
            add("og lines", spec.og_lines())
            builds = [(f"ours build {k} s", lambda f=f: spec.build_ours(f))
                      for k, f in spec.ours_feature_sets().items()]
            builds.append(("og build s", spec.build_og))
            for key, build in builds if r % 2 == 0 else builds[::-1]:
                add(key, build())
            incremental = [("ours incremental s", spec.incremental_ours),
                           ("og incremental s", spec.incremental_og)]
            for key, step in incremental if r % 2 == 0 else incremental[::-1]:
                add(key, step(r))
            print(f"{name} round {r + 1}: " + ", ".join(f"{k} {v[-1]:.1f}" for k, v in results.items()),
                  flush=True)
        print(f"\n{name}: {spec.operations} operations; median tag `{spec.median_tag}` "
              f"({spec.median_ops} operations)")
        for key, values in results.items():
            print(f"  {key:<40} {spread(values)}")
        og = statistics.median(results["og generation s"])
        ours = statistics.median(results["ours generation s"])
        print(f"  generation ours/og: {ours / og:.3f}x; per operation: {1000 * ours / spec.operations:.2f} ms")
        full = statistics.median(next(v for k, v in results.items() if k.startswith("ours build every")))
        tag = statistics.median(next(v for k, v in results.items() if k.startswith("ours build only")))
        versus = (f"{full / statistics.median(results['og build s']):.2f}x"
                  if "og build s" in results else "openapi-generator's crate does not build")
        print(f"  build every feature / og: {versus}; median tag / every feature: {tag / full:.2f}x\n",
              flush=True)


if __name__ == "__main__":
    main()
