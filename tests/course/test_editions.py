"""The course's two editions stay in step, and student material gives no answers away.

Editions: every English course file (``course/**/*.md`` outside ``course/zh``) has its Chinese
counterpart at the same path under ``course/zh`` and vice versa, with the same heading levels in
the same order, the same multiset of cited numbers and the same test names and commands; every
notebook has a Chinese twin in ``notebooks/zh`` with byte-identical code cells and no outputs;
every link inside ``course/zh`` resolves, to Chinese course files where one exists.

No answers before the exercise: the result numbers of each instructor debrief (decimals,
percentages, dollar amounts) must not appear in the student material of the same session nor in
the course-wide student files. Numbers that are inputs (a scenario's parameters, values students
are told to set) are allowed: they are collected automatically, plus a short allow-list below.

Each case is parametrised per file or per session, so a failure names the file or the session
and the number.
"""

from __future__ import annotations

import io
import json
import re
import tokenize
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from sim.scenarios import load

from conftest import ROOT

COURSE = ROOT / "course"
ZH = COURSE / "zh"
NOTEBOOKS = ROOT / "notebooks"
SCENARIOS = ROOT / "scenarios"
SESSIONS = sorted(p.name for p in (COURSE / "sessions").iterdir() if p.is_dir())

ENGLISH = sorted(p.relative_to(COURSE) for p in COURSE.rglob("*.md") if ZH not in p.parents)
CHINESE = sorted(p.relative_to(ZH) for p in ZH.rglob("*.md")) if ZH.is_dir() else []
ENGLISH_NOTEBOOKS = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))


def ids(paths: list[Path]) -> list[str]:
    return [str(p) for p in paths]


# --- reading markdown --------------------------------------------------------------------------

FENCE = re.compile(r"^\s*(```|~~~)")


def split_fences(text: str) -> tuple[list[str], list[str]]:
    """(prose lines, lines inside fenced code blocks)."""
    prose: list[str] = []
    code: list[str] = []
    inside = False
    for line in text.splitlines():
        if FENCE.match(line):
            inside = not inside
        elif inside:
            code.append(line)
        else:
            prose.append(line)
    return prose, code


def heading_levels(text: str) -> list[int]:
    """The level of every ATX heading, in order (``#`` lines inside code blocks are not)."""
    prose, _ = split_fences(text)
    return [len(m.group(1)) for line in prose if (m := re.match(r"^(#{1,6})\s", line))]


# A cited number: an optional "$", digits with optional thousands separators and decimals, and an
# optional unit suffix (k, M, %, ×). It must not touch ASCII letters, digits or "_" on either side,
# so identifiers such as 01_orientations, S01, test_s01_… or md5 hashes are not numbers; CJK
# characters may touch it (Chinese writes "第3个月").
NUMBER = re.compile(
    r"(?<![A-Za-z0-9_.$])(\$?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([kKM%×]?)(?![A-Za-z0-9_])"
)


def normalise(text: str) -> str:
    """NFKC folds full-width digits, "％", "＄" and "，" to ASCII; "−" (U+2212) and "–" are not
    numbers' parts here (signs and ranges are ignored: "−$0.31M" cites $0.31M)."""
    return unicodedata.normalize("NFKC", text)


def cited_numbers(text: str) -> Counter[str]:
    """Multiset of cited numbers. Normalisation: NFKC (full-width forms to ASCII), thousands
    separators dropped ("3,000" = "3000"), English ordinals read as numbers ("5th" = "5"), signs
    ignored, "$" and the unit suffix kept ("$1.08M",
    "73%", "5×" and "1.08" are different tokens), "K" read as "k". Link targets are left out:
    the Chinese edition's links point to other files (``../../docs``) by design."""
    text = normalise(re.sub(r"\]\([^)]*\)", "]", text))  # before NFKC: "]（" is no link
    text = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", text)  # "5th percentile" cites 5
    found: Counter[str] = Counter()
    for dollar, whole, decimals, unit in NUMBER.findall(text):
        found[f"{dollar}{whole.replace(',', '')}{decimals}{unit.replace('K', 'k')}"] += 1
    return found


# Test names and test files; ASCII only, as Chinese characters next to a name are word characters.
TEST_NAME = re.compile(r"(?<![A-Za-z0-9_/])(?:test_[A-Za-z0-9_]+|tests/[A-Za-z0-9_/]+\.py)")
COMMAND_START = re.compile(
    r"^([A-Z_]+=\S+\s+)*(\.venv/bin/)?(crmsim|make|pytest|python|pip|jupyter)\b"
)


def commands(text: str) -> set[str]:
    """Commands cited: every line of a fenced code block, and inline code spans that start with
    crmsim, make, pytest, python, pip or jupyter (after optional ``VAR=value`` prefixes); without
    trailing " # comments" (those are translated) and with runs of spaces collapsed."""
    prose, code = split_fences(normalise(text))
    spans = [s for line in prose for s in re.findall(r"`([^`]+)`", line)]
    found = set()
    for line in [*code, *(s for s in spans if COMMAND_START.match(s.strip()))]:
        line = re.split(r"(?:^|\s)#\s", line.strip(), maxsplit=1)[0].strip()
        if line:
            found.add(" ".join(line.split()))
    return found


# --- editions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ENGLISH, ids=ids(ENGLISH))
def test_english_file_has_a_chinese_counterpart(path: Path) -> None:
    assert (ZH / path).is_file(), f"course/{path} has no Chinese edition course/zh/{path}"


@pytest.mark.parametrize("path", CHINESE, ids=ids(CHINESE))
def test_chinese_file_has_an_english_original(path: Path) -> None:
    assert (COURSE / path).is_file(), f"course/zh/{path} has no English original course/{path}"


def pair(path: Path) -> tuple[str, str]:
    zh = ZH / path
    if not zh.is_file():
        pytest.fail(f"course/zh/{path} is missing")
    return (COURSE / path).read_text(encoding="utf-8"), zh.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", ENGLISH, ids=ids(ENGLISH))
def test_editions_have_the_same_headings(path: Path) -> None:
    english, chinese = pair(path)
    en, zh = heading_levels(english), heading_levels(chinese)
    assert en == zh, (
        f"course/{path} and its Chinese edition differ in headings: levels {en} vs {zh} "
        f"(counts per level {sorted(Counter(en).items())} vs {sorted(Counter(zh).items())})"
    )


@pytest.mark.parametrize("path", ENGLISH, ids=ids(ENGLISH))
def test_editions_cite_the_same_numbers(path: Path) -> None:
    english, chinese = pair(path)
    en, zh = cited_numbers(english), cited_numbers(chinese)
    assert en == zh, (
        f"course/{path}: numbers only in English {sorted((en - zh).elements())}, "
        f"only in Chinese {sorted((zh - en).elements())}"
    )


@pytest.mark.parametrize("path", ENGLISH, ids=ids(ENGLISH))
def test_editions_cite_the_same_tests_and_commands(path: Path) -> None:
    english, chinese = pair(path)
    en_tests, zh_tests = set(TEST_NAME.findall(english)), set(TEST_NAME.findall(chinese))
    assert en_tests == zh_tests, (
        f"course/{path}: tests only in English {sorted(en_tests - zh_tests)}, "
        f"only in Chinese {sorted(zh_tests - en_tests)}"
    )
    en_cmd, zh_cmd = commands(english), commands(chinese)
    assert en_cmd == zh_cmd, (
        f"course/{path}: commands only in English {sorted(en_cmd - zh_cmd)}, "
        f"only in Chinese {sorted(zh_cmd - en_cmd)}"
    )


def load_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


LANG_LINE = re.compile(r'^LANG = "(en|zh)"(?:\s+#.*)?$', re.MULTILINE)


def notebook_language(code: str) -> str | None:
    """The value of the parameters cell's ``LANG = "en"`` (or ``"zh"``) line, None without one."""
    found = LANG_LINE.findall(code)
    return found[0] if len(found) == 1 else None


def parameters_code(code: str) -> list[tuple[int, str]]:
    """A parameters cell's code as tokens (kind, text), without its comments and blank lines and
    with the value of ``LANG`` replaced by a placeholder: two editions' parameters cells must
    give the same tokens."""
    tokens = [
        (t.type, t.string)
        for t in tokenize.generate_tokens(io.StringIO(code).readline)
        if t.type not in (tokenize.COMMENT, tokenize.NL)
    ]
    for i in range(len(tokens) - 2):
        if tokens[i] == (tokenize.NAME, "LANG") and tokens[i + 1] == (tokenize.OP, "="):
            tokens[i + 2] = (tokenize.STRING, "<LANG>")
    return tokens


def same_parameters(english: str, chinese: str) -> bool:
    """The parameters cells differ only in comments and in the value of LANG ("en" vs "zh")."""
    languages = (notebook_language(english), notebook_language(chinese))
    return languages == ("en", "zh") and parameters_code(english) == parameters_code(chinese)


def test_parameters_cells_may_differ_only_in_comments_and_lang() -> None:
    english = '# customers\nCUSTOMERS = 3000\nLANG = "en"  # language\nLEVERS = {"a": [1]}\n'
    chinese = '# 客户数\nCUSTOMERS = 3000\n\nLANG = "zh"  # 语言\nLEVERS = {"a": [1]}  # 杠杆\n'
    assert same_parameters(english, chinese)
    assert not same_parameters(english, chinese.replace("3000", "300"))  # another value
    assert not same_parameters(english, chinese.replace('"a"', '"甲"'))  # a translated key
    assert not same_parameters(english, chinese + "SEEDS = 10\n")  # an extra line
    assert not same_parameters(english, chinese.replace('"zh"', '"en"'))  # the wrong language
    assert not same_parameters(english, english)
    assert not same_parameters(english.replace('LANG = "en"', "LANG2 = 1"), chinese)


@pytest.mark.parametrize("name", ENGLISH_NOTEBOOKS)
def test_notebook_has_a_chinese_twin_with_identical_code(name: str) -> None:
    zh_path = NOTEBOOKS / "zh" / name
    assert zh_path.is_file(), f"notebooks/{name} has no Chinese edition: notebooks/zh/{name}"
    en, zh = load_notebook(NOTEBOOKS / name)["cells"], load_notebook(zh_path)["cells"]
    assert [c["cell_type"] for c in en] == [c["cell_type"] for c in zh], (
        f"notebooks/zh/{name}: the cells' kinds and order differ from notebooks/{name}"
    )
    first_code = next(i for i, c in enumerate(en, start=1) if c["cell_type"] == "code")
    for i, (a, b) in enumerate(zip(en, zh, strict=True), start=1):
        if a["cell_type"] == "code" and i == first_code:  # the parameters cell
            assert notebook_language(source(a)) == "en", (
                f'notebooks/{name}, cell {i}: the parameters cell must set LANG = "en"'
            )
            assert notebook_language(source(b)) == "zh", (
                f'notebooks/zh/{name}, cell {i}: the parameters cell must set LANG = "zh"'
            )
            assert same_parameters(source(a), source(b)), (
                f"notebooks/zh/{name}, cell {i}: the parameters cell differs from the English "
                "in more than its comments and the value of LANG"
            )
        elif a["cell_type"] == "code":
            assert source(a) == source(b), f"notebooks/zh/{name}, cell {i}: code differs"
            assert b.get("metadata", {}).get("tags", []) == a.get("metadata", {}).get("tags", [])
            assert not b["outputs"] and b["execution_count"] is None, (
                f"notebooks/zh/{name}, cell {i}: outputs must be cleared"
            )
    en_md = "\n".join(source(c) for c in en if c["cell_type"] == "markdown")
    zh_md = "\n".join(source(c) for c in zh if c["cell_type"] == "markdown")
    assert cited_numbers(en_md) == cited_numbers(zh_md), (
        f"notebooks/zh/{name}: prose cites other numbers than the English "
        f"({sorted((cited_numbers(en_md) - cited_numbers(zh_md)).elements())} only in English, "
        f"{sorted((cited_numbers(zh_md) - cited_numbers(en_md)).elements())} only in Chinese)"
    )


LINK = re.compile(r"\]\(([^)\s]+)\)")


def translated(target: Path) -> bool:
    """An English course file or notebook that has a Chinese edition."""
    if target.suffix == ".md" and COURSE in target.parents and ZH not in target.parents:
        return True
    return target.parent == NOTEBOOKS and (NOTEBOOKS / "zh" / target.name).is_file()


@pytest.mark.parametrize("path", CHINESE, ids=ids(CHINESE))
def test_chinese_links_resolve(path: Path) -> None:
    here = (ZH / path).parent
    broken, english = [], []
    for target in LINK.findall((ZH / path).read_text(encoding="utf-8")):
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue
        resolved = (here / target.split("#")[0]).resolve()
        if not resolved.exists():
            broken.append(target)
        elif translated(resolved) and resolved != COURSE / path:  # its own original is fine
            english.append(target)
    assert not broken, f"course/zh/{path}: links that do not resolve: {broken}"
    assert not english, f"course/zh/{path}: links to translated English files: {english}"


# --- no answers before the exercise ------------------------------------------------------------

# A result number: a decimal, a percentage or a dollar amount (integers are too common to tell).
RESULT = re.compile(r"^(\$.*|.*%|\d+\.\d+[kM×]?)$")

# Numbers a debrief may share with student material because they are not findings. Inputs found
# in scenario files and in "key = value" / "--set 'key=value'" settings are allowed automatically.
ALLOWED = {
    "95%",  # the confidence level of every interval
    "3.3",  # money scales with market size: 10,000 / 3,000 customers
    "1.1",  # the model's version ("model 1.1")
    "1.0",  # the model's version ("model 1.0")
    "$110k",  # Kotler's Caterpillar example, taught in session 02's concept brief and the glossary:
    "$100k",  # total value, price, delivered value and the rival tractor's price
    "$10k",
    "$90k",
}
ALLOWED_IN_SESSION = {
    "05-lifetime-value": {
        "0.89",  # the retention rates exercise 1 gives students to compute a lifetime value
        "0.93",  # with (notebook 05 asks what the step from 0.93 to 0.968 is worth)
        "0.968",
    },
}


def debrief_numbers(text: str) -> set[str]:
    """Result numbers of a debrief, outside code blocks."""
    prose, _ = split_fences(text)
    return {n for n in cited_numbers("\n".join(prose)) if RESULT.match(n)}


def assignments(text: str) -> set[str]:
    """Numbers given as settings: ``key = 0.05``, ``--set 'key=0.05'``, ``KEY = 0.05`` and a
    parameter in backquotes followed by its value in brackets, as in "`adequate_gap` ($6)"."""
    text = normalise(text)
    values = re.findall(r"[\w.\]\[]+\s*=\s*([-\d.,$%]+)", text)
    values += re.findall(r"`[\w.\]\[]+`\s*\(([-−\d.,$%]+)\)", text)
    found: set[str] = set()
    for value in values:
        found |= set(cited_numbers(value))
    return found


def leaves(value: object) -> Iterator[object]:
    """Every value inside nested dicts, lists and tuples."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        for item in value:
            yield from leaves(item)
    else:
        yield value


def scenario_inputs(name: str) -> set[str]:
    """Every number the scenario sets, its base scenario's and the schema's defaults included
    (its [info] texts excluded), as a plain number, a $ amount and a percentage of 1."""
    numbers: set[str] = set()
    for value in leaves(load(name).spec.model_dump(exclude={"info"})):
        if isinstance(value, int | float) and not isinstance(value, bool):
            forms = (f"{value:g}", f"{value:.2f}", f"${value:g}", f"${value:.2f}")
            numbers.update(*map(cited_numbers, (*forms, f"{value * 100:g}%")))
    return numbers


def scenario_info(name: str) -> str:
    """All texts of a scenario's [info] table (every language)."""
    info = tomllib.loads((SCENARIOS / f"{name}.toml").read_text(encoding="utf-8")).get("info", {})
    return "\n".join(text for text in leaves(info) if isinstance(text, str))


def notebook_prose(path: Path) -> str:
    if not path.is_file():
        return ""
    cells = load_notebook(path)["cells"]
    return "\n".join(source(c) for c in cells if c["cell_type"] == "markdown")


STUDENT_COURSE_FILES = [
    "README.md",
    "glossary.md",
    "game-guide.md",
    "capstone/README.md",
    "capstone/rubric.md",
]
COURSE_WIDE = [ROOT / "README.md"] + [
    edition / f for edition in (COURSE, ZH) for f in STUDENT_COURSE_FILES
]
COURSE_WIDE_NOTEBOOKS = ["00_quickstart.ipynb"]


def session_student_files(session: str) -> dict[str, str]:
    """Texts students of the session get: its folder in both editions and its notebooks' prose."""
    files: dict[str, str] = {}
    for folder in (COURSE / "sessions" / session, ZH / "sessions" / session):
        for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
            files[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    stem = session.split("-", 1)[0] + "_"
    for path in [*NOTEBOOKS.glob(f"{stem}*.ipynb"), *(NOTEBOOKS / "zh").glob(f"{stem}*.ipynb")]:
        files[str(path.relative_to(ROOT))] = notebook_prose(path)
    return files


def course_wide_student_files() -> dict[str, str]:
    present = [p for p in COURSE_WIDE if p.is_file()]  # the Chinese ones may be missing
    files = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in present}
    for name in COURSE_WIDE_NOTEBOOKS:
        for path in (NOTEBOOKS / name, NOTEBOOKS / "zh" / name):
            files[str(path.relative_to(ROOT))] = notebook_prose(path)
    return files


def scenarios_named(text: str) -> list[str]:
    stems = sorted(p.stem for p in SCENARIOS.glob("*.toml") if p.stem != "__init__")
    return [s for s in stems if re.search(rf"(?<![\w-]){s}(?![\w-])", text)]


def leaks(results: set[str], files: dict[str, str], allowed: set[str]) -> list[str]:
    """'number in file' for every debrief result number (not allowed) found in a student file."""
    found = []
    for name, text in files.items():
        cited = cited_numbers(text)
        found += [f"{n} in {name}" for n in sorted(results - allowed - ALLOWED) if n in cited]
    return found


@pytest.mark.parametrize("session", SESSIONS)
def test_no_debrief_number_in_student_material(session: str) -> None:
    debrief = COURSE / "instructor" / f"{session}.md"
    assert debrief.is_file(), f"session {session} has no debrief course/instructor/{session}.md"
    results = debrief_numbers(debrief.read_text(encoding="utf-8"))
    files = session_student_files(session)
    readme = files.get(f"course/sessions/{session}/README.md", "")
    scenarios = scenarios_named(readme)
    files |= {f"scenarios/{s}.toml [info]": scenario_info(s) for s in scenarios}
    files |= course_wide_student_files()
    inputs = set().union(*map(assignments, files.values()), *map(scenario_inputs, scenarios))
    found = leaks(results, files, inputs | ALLOWED_IN_SESSION.get(session, set()))
    assert not found, f"session {session}: debrief results appear in student material: {found}"


def test_no_scenario_finding_in_student_material() -> None:
    findings = COURSE / "instructor" / "scenario-findings.md"
    assert findings.is_file(), "course/instructor/scenario-findings.md is missing"
    results = debrief_numbers(findings.read_text(encoding="utf-8"))
    names = sorted(p.stem for p in SCENARIOS.glob("*.toml") if p.stem != "__init__")
    files = {f"scenarios/{s}.toml [info]": scenario_info(s) for s in names}
    files |= course_wide_student_files()
    inputs = set().union(*map(assignments, files.values()), *map(scenario_inputs, names))
    found = leaks(results, files, inputs)
    assert not found, f"scenario findings appear in [info] texts or course-wide files: {found}"


def test_debrief_numbers_are_found() -> None:
    """The extraction itself: a debrief's results are found, identifiers and inputs are not."""
    text = "ProductCo earns $1.37M, CustomerCo $0.39M; 73% of purchases, 0.080 [0.076, 0.085]."
    assert debrief_numbers(text) == {"$1.37M", "$0.39M", "73%", "0.080", "0.076", "0.085"}
    assert not debrief_numbers("`test_s01_x` in tests/course/test_debrief_01_05.py, S01, 01_a")
    assert set(TEST_NAME.findall("由test_a检验（tests/course/test_b.py）")) == {
        "test_a",
        "tests/course/test_b.py",
    }
    assert cited_numbers("第3个月 3,000 名客户，７３％") == Counter({"3": 1, "3000": 1, "73%": 1})
    assert cited_numbers("the 5th percentile, 4P, [link](../01_a.md)") == Counter({"5": 1})
    assert cited_numbers("[1.12M, 1.26M]（区间 0.9M）") == Counter(
        {"1.12M": 1, "1.26M": 1, "0.9M": 1}
    )
    assert "0.05" in assignments("--set 'homogenisation.rate=0.05' and SEEDS = 10")
    assert leaks({"$1.08M"}, {"s.md": "earns about $1.08M"}, set()) == ["$1.08M in s.md"]
