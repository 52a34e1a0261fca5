"""`make mutate`: mutation testing of the modules where a bug hurts most (issue #23).

mutmut plants one small bug at a time (a flipped comparison, a changed constant, a
dropped call) in one module and runs the tests that cover the mutated function; a
mutant the tests do not notice "survived". Every survivor is either killed by a new
test or listed, with the reason no test can tell it apart, in
``bench/mutation_equivalents.toml`` (reviewed by hand). Goal: at least 90% of the
non-equivalent mutants killed on each module.

Each module runs alone in ``var/mutation/<key>/`` (fresh copies of src/, tests/ and
pyproject.toml plus a ``[tool.mutmut]`` section naming the one file and its smallest
test selection), one mutmut child at a time under ``nice``: the runs are CPU-heavy.

    python bench/mutation.py                    # every module, prints the table
    python bench/mutation.py net/addresses      # some modules
    python bench/mutation.py --changed main     # CI sample: modules changed since main
    python bench/mutation.py --write            # also update bench/mutation.md

settings/prod.py is module-level assignments, which mutmut does not mutate (it
mutates functions) and its tests read it in subprocesses: it gets its own mutants
here (each security setting weakened in turn, tests run with the mutated copy first
on PYTHONPATH).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "var" / "mutation"
REPORT = REPO / "bench" / "mutation.md"
EQUIVALENTS = REPO / "bench" / "mutation_equivalents.toml"
GOAL = 0.90

# key: (the module, the tests that exercise it: the smallest selection that runs in
# this process, so mutmut's trampoline sees the calls; no subprocess or Redis tests).
MODULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "net/addresses": (
        "src/cupure/net/addresses.py",
        ("tests/net/test_addresses.py", "tests/net/test_gaps.py"),
    ),
    "net/guard": (
        "src/cupure/net/guard.py",
        ("tests/net/test_fetch.py", "tests/net/test_gaps.py"),
    ),
    "net/limits": (
        "src/cupure/net/limits.py",
        ("tests/net/test_limits.py", "tests/net/test_gaps.py"),
    ),
    "net/caching": (
        "src/cupure/net/caching.py",
        ("tests/net/test_caching.py", "tests/net/test_gaps.py"),
    ),
    "net/decoding": ("src/cupure/net/decoding.py", ("tests/net/test_decoding.py",)),
    "net/robots": (
        "src/cupure/net/robots.py",
        ("tests/net/test_robots.py", "tests/net/test_robots_rules.py"),
    ),
    "net/fetch": (
        "src/cupure/net/fetch.py",
        (
            "tests/net/test_fetch.py",
            "tests/net/test_gaps.py",
            "tests/net/test_fetch_messages.py",
        ),
    ),
    "feeds/parse": (
        "src/cupure/feeds/parse.py",
        (
            "tests/feeds/test_parse.py",
            "tests/feeds/test_json_feed_fields.py",
            "tests/feeds/test_entry_fields.py",
            "tests/feeds/test_entry_building.py",
            "tests/feeds/test_decoding_and_sniffing.py",
        ),
    ),
    "comments/markup": (
        "src/cupure/comments/markup.py",
        ("tests/comments/test_markup.py",),
    ),
    "comments/moderation": (
        "src/cupure/comments/moderation.py",
        (
            "tests/comments/test_moderation.py",
            "tests/comments/test_moderation_texts.py",
        ),
    ),
    "comments/forms": (
        "src/cupure/comments/forms.py",
        ("tests/comments/test_forms.py", "tests/comments/test_views.py"),
    ),
    "text/fingerprint": (
        "src/cupure/text/fingerprint.py",
        (
            "tests/text/test_fingerprint.py",
            "tests/text/test_copy_threshold.py",
            "tests/text/test_fingerprint_index.py",
        ),
    ),
    "cluster/breaking": (
        "src/cupure/cluster/breaking.py",
        ("tests/cluster/test_breaking.py",),
    ),
    "cluster/bursts": (
        "src/cupure/cluster/bursts.py",
        ("tests/cluster/test_bursts.py",),
    ),
    "cluster/stories": (
        "src/cupure/cluster/stories.py",
        (
            "tests/cluster/test_stories.py",
            "tests/cluster/test_join_threshold.py",
            "tests/cluster/test_stories_semantic.py",
            "tests/cluster/test_stories_healing.py",
            "tests/cluster/test_stories_lookup.py",
        ),
    ),
    "search/snippets": (
        "src/cupure/search/snippets.py",
        ("tests/search/test_snippets.py",),
    ),
    "search/query": ("src/cupure/search/query.py", ("tests/search/test_query.py",)),
    "extract/dates": (
        "src/cupure/extract/dates.py",
        ("tests/extract/test_dates.py", "tests/extract/test_dates_rule.py"),
    ),
    "text/dates": ("src/cupure/text/dates.py", ("tests/text/test_dates.py",)),
}
PROD = "settings/prod"
PROD_FILE = "src/cupure/settings/prod.py"
PROD_TESTS = ("tests/test_settings.py",)
# Each production setting and what a careless edit would weaken it to.
PROD_WEAKENINGS: dict[str, str] = {
    "SESSION_COOKIE_SECURE": "False",
    "CSRF_COOKIE_SECURE": "False",
    "SECURE_CONTENT_TYPE_NOSNIFF": "False",
    "SECURE_REFERRER_POLICY": '"unsafe-url"',
    "SESSION_COOKIE_HTTPONLY": "False",
    "SESSION_COOKIE_SAMESITE": '"None"',
    "CSRF_COOKIE_SAMESITE": '"None"',
    "SECURE_SSL_REDIRECT": "False",
    "SECURE_HSTS_SECONDS": "0",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "False",
    "SECURE_HSTS_PRELOAD": "False",
}

NICE = ("nice", "-n", "10")
PYTEST = ("-p", "no:cacheprovider")
KILLED = {"killed", "timeout", "segfault", "caught by type check"}


@dataclass
class Outcome:
    """One module's mutants by verdict."""

    key: str
    statuses: dict[str, str] = field(default_factory=dict)  # mutant -> status
    equivalent: dict[str, str] = field(default_factory=dict)  # mutant -> why
    seconds: float = 0.0

    def count(self, *names: str) -> int:
        return sum(
            1
            for mutant, status in self.statuses.items()
            if status in names and mutant not in self.equivalent
        )

    @property
    def killed(self) -> int:
        return self.count(*KILLED)

    @property
    def survivors(self) -> list[str]:
        return sorted(
            mutant
            for mutant, status in self.statuses.items()
            if status not in KILLED and mutant not in self.equivalent
        )

    @property
    def score(self) -> float:
        judged = self.killed + len(self.survivors)
        return self.killed / judged if judged else 1.0


def equivalents() -> dict[str, dict[str, str]]:
    """The reviewed list: module key -> {mutant name: why it is equivalent}."""
    if not EQUIVALENTS.exists():
        return {}
    data = tomllib.loads(EQUIVALENTS.read_text())
    return {key: dict(value) for key, value in data.items()}


def _codes(work: Path, module: str) -> dict[str, int | None] | None:
    """mutmut's exit code per mutant stored in ``work`` (None: no run there)."""
    meta = work / "mutants" / (module + ".meta")
    if not meta.exists():
        return None
    return json.loads(meta.read_text())["exit_code_by_key"]


def _status(code: int | None) -> str:
    from mutmut.stats import status_by_exit_code

    return status_by_exit_code[code]


def _workdir(key: str, tests: tuple[str, ...], module: str, *, fresh: bool) -> Path:
    """The module's copy of the repository; ``fresh=False`` keeps its mutants and
    refreshes only the tests (for re-checking survivors after adding tests)."""
    work = WORK / key.replace("/", "_")
    ignore = shutil.ignore_patterns("__pycache__", "node_modules", "*.egg-info")
    if fresh:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        shutil.copytree(REPO / "src", work / "src", ignore=ignore)
    shutil.copytree(REPO / "tests", work / "tests", ignore=ignore, dirs_exist_ok=True)
    selection = json.dumps(list(tests))
    (work / "pyproject.toml").write_text(
        (REPO / "pyproject.toml").read_text()
        + "\n[tool.mutmut]\n"
        + 'source_paths = ["src"]\n'
        + f'only_mutate = ["{module}"]\n'
        + f"pytest_add_cli_args_test_selection = {selection}\n"
        + 'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q"]\n'
    )
    return work


def run_mutmut(key: str, children: int, *, rerun: bool = False) -> Outcome:
    """Mutate ``key``'s module and run its tests against each mutant.

    With ``rerun``, when the module is unchanged since the last run in its work
    directory, only that run's survivors are checked again (with the tests as they
    are now); the others keep their verdict (adding tests cannot revive a mutant).
    """
    module, tests = MODULES[key]
    work = WORK / key.replace("/", "_")
    before = _codes(work, module) if rerun else None
    unchanged = (
        before is not None
        and (work / module).read_bytes() == (REPO / module).read_bytes()
    )
    survivors = [n for n, c in (before or {}).items() if _status(c) not in KILLED]
    started = time.monotonic()
    if unchanged and before is not None and not survivors:
        return Outcome(key, {n: _status(c) for n, c in before.items()})
    work = _workdir(key, tests, module, fresh=not unchanged)
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    command = [
        *NICE,
        str(Path(sys.executable).parent / "mutmut"),
        "run",
        "--max-children",
        str(children),
        *(survivors if unchanged else []),
    ]
    log = work / "mutmut.log"
    with open(log, "wb") as out:
        subprocess.run(command, cwd=work, env=env, stdout=out, stderr=out, check=False)
    codes = _codes(work, module)
    if codes is None:
        tail = log.read_text(errors="replace")[-3000:]
        raise SystemExit(f"{key}: mutmut produced no results; its log ends:\n{tail}")
    if unchanged and before is not None:
        # mutmut reset the verdicts it did not re-check: restore them, and keep the
        # whole set for the next rerun.
        codes = {**before, **{n: codes.get(n) for n in survivors}}
        meta = work / "mutants" / (module + ".meta")
        data = json.loads(meta.read_text())
        data["exit_code_by_key"] = codes
        meta.write_text(json.dumps(data))
    outcome = Outcome(key, seconds=time.monotonic() - started)
    outcome.statuses = {name: _status(code) for name, code in codes.items()}
    return outcome


def _prod_mutants() -> list[tuple[str, str]]:
    """(name, mutated source) for each weakened setting and each switch reading."""
    source = (REPO / PROD_FILE).read_text()
    mutants = []
    for name, weak in PROD_WEAKENINGS.items():
        pattern = re.compile(rf"^{name} = .+$", re.MULTILINE)
        if not pattern.search(source):
            raise SystemExit(f"{PROD_FILE}: no line '{name} = ...' to weaken")
        mutants.append((f"{name} = {weak}", pattern.sub(f"{name} = {weak}", source)))
    for old, new in [
        ('{"1", "true", "yes", "on"}', '{"true", "yes", "on"}'),
        (".strip().lower()", ".strip()"),
        ('("HTTP_X_FORWARDED_PROTO", "https")', '("HTTP_X_FORWARDED_PROTO", "http")'),
        ('["security.W008"]', "[]"),
        ("if not SECRET_KEY:", "if False:"),
    ]:
        if old not in source:
            raise SystemExit(f"{PROD_FILE}: {old!r} not found")
        mutants.append((f"{old} -> {new}", source.replace(old, new, 1)))
    return mutants


def run_prod() -> Outcome:
    """Each production-settings mutant against tests/test_settings.py."""
    work = WORK / "settings_prod"
    shutil.rmtree(work, ignore_errors=True)
    started = time.monotonic()
    outcome = Outcome(PROD)
    for number, (name, source) in enumerate(_prod_mutants(), start=1):
        copy = work / str(number)
        shutil.copytree(
            REPO / "src", copy, ignore=shutil.ignore_patterns("__pycache__")
        )
        (copy / "cupure" / "settings" / "prod.py").write_text(source)
        env = {**os.environ, "PYTHONPATH": str(copy)}
        result = subprocess.run(
            [*NICE, sys.executable, "-m", "pytest", "-x", "-q", *PYTEST, *PROD_TESTS],
            cwd=REPO,
            env=env,
            capture_output=True,
            check=False,
        )
        outcome.statuses[name] = (
            "killed"
            if result.returncode == 1
            else (
                "survived" if result.returncode == 0 else f"error {result.returncode}"
            )
        )
    outcome.seconds = time.monotonic() - started
    return outcome


def changed_keys(base: str) -> list[str]:
    """Modules (of the table) whose file changed since ``base``: the CI sample."""
    names = subprocess.run(
        ["git", "diff", "--name-only", f"{base}...HEAD"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    keys = [key for key, (module, _) in MODULES.items() if module in names]
    return keys + ([PROD] if PROD_FILE in names else [])


def table(outcomes: list[Outcome]) -> str:
    rows = [
        "| module | mutants | killed | survived | equivalent | score | last run |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for o in outcomes:
        rows.append(
            f"| {o.key} | {len(o.statuses)} | {o.killed} | {len(o.survivors)} | "
            f"{len(o.equivalent)} | {o.score:.1%} | {o.seconds:.0f} s |"
        )
    return "\n".join(rows)


def write_report(outcomes: list[Outcome], command: str) -> None:
    """Replace each module's row in bench/mutation.md's results table."""
    text = REPORT.read_text() if REPORT.exists() else ""
    start, end = "<!-- mutation:start -->", "<!-- mutation:end -->"
    if start not in text:
        raise SystemExit(f"{REPORT} has no {start} marker")
    head, rest = text.split(start, 1)
    old_table, tail = rest.split(end, 1)
    rows = {
        line.split("|")[1].strip(): line
        for line in old_table.strip().splitlines()[2:]
        if line.startswith("| ")
    }
    for line in table(outcomes).splitlines()[2:]:
        rows[line.split("|")[1].strip()] = line
    order = [*MODULES, PROD]
    body = "\n".join(table([]).splitlines()[:2] + [rows[k] for k in order if k in rows])
    stamp = f"\n\nLast rows updated by `{command}`.\n"
    REPORT.write_text(f"{head}{start}\n{body}{stamp}{end}{tail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    known = ", ".join([*MODULES, PROD])
    parser.add_argument("keys", nargs="*", help=f"modules: {known}")
    parser.add_argument("--changed", metavar="BASE", help="only modules changed since")
    parser.add_argument("--children", type=int, default=1)
    parser.add_argument(
        "--rerun",
        action="store_true",
        help="re-check only the last run's survivors when the module is unchanged",
    )
    parser.add_argument("--write", action="store_true", help="update bench/mutation.md")
    parser.add_argument(
        "--survivors", action="store_true", help="print each survivor's diff"
    )
    args = parser.parse_args(argv)
    keys = args.keys or (
        changed_keys(args.changed) if args.changed else [*MODULES, PROD]
    )
    unknown = [k for k in keys if k not in MODULES and k != PROD]
    if unknown:
        parser.error(f"unknown modules: {', '.join(unknown)}")
    reviewed = equivalents()
    outcomes = []
    for key in keys:
        outcome = (
            run_prod()
            if key == PROD
            else run_mutmut(key, args.children, rerun=args.rerun)
        )
        listed = reviewed.get(key, {})
        outcome.equivalent = {
            m: why for m, why in listed.items() if m in outcome.statuses
        }
        stale = sorted(set(listed) - set(outcome.statuses))
        outcomes.append(outcome)
        print(table([outcome]).splitlines()[-1], flush=True)
        if stale:
            print(f"  listed as equivalent but no longer generated: {stale}")
        if args.survivors and key != PROD:
            work = WORK / key.replace("/", "_")
            for mutant in outcome.survivors:
                shown = subprocess.run(
                    [str(Path(sys.executable).parent / "mutmut"), "show", mutant],
                    cwd=work,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                print(shown.stdout)
        elif outcome.survivors:
            print(f"  survivors: {' '.join(outcome.survivors)}")
    command = shlex.join(["python", "bench/mutation.py", *(argv or sys.argv[1:])])
    print(table(outcomes))
    print(f"command: {command}")
    if args.write:
        write_report(outcomes, command)
    below = [o.key for o in outcomes if o.score < GOAL]
    if below:
        print(f"below {GOAL:.0%} of non-equivalent mutants killed: {', '.join(below)}")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
