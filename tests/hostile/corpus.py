"""A corpus of hostile ledgers, built in a temporary directory at test time.

Nothing here is committed as data: a 200 MB file is a sparse file made in a
millisecond, an alias bomb is ten lines, a ledger with 100,000 findings is written
by a loop.  Each case is a small valid ledger (`BASE`) with one thing made hostile,
and says what `luoshi validate` must answer: the finding (code, file, line, column)
or the one-line error (exit 2).  tests/test_hostile.py runs every case.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

AS_OF = "2024-05-31"

CONFIG = """title: 测试台账
issuer: 测试区委办公室
year: 2024
categories:
  - {id: econ, name: 经济发展}
"""
UNITS = """units:
  - {id: fgw, name: 区发改委, kind: department}
leaders:
  - {id: li-fuqu, name: 李某某, title: 副区长}
"""
# line numbers below are relied on by the expectations
TASK = """- id: T-001
  title: 推进重点项目开工建设
  category: econ
  lead: fgw
  leaders: [li-fuqu]
  start: 2024-01-01
  standard: 全年开复工项目不少于350个
  milestones:
    - {due: 2024-03-31, standard: 完成前期手续, done: 2024-03-28}
    - {due: 2024-12-31, standard: 开复工350个}
  status: in_progress
  progress: 45
  updates:
    - {month: "2024-04", progress: 45, note: 已开工160个}
"""
BASE: dict[str, str | bytes] = {"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/a.yaml": TASK}

# A minimal task with everything required, status done (no monthly report due) and
# one unknown key: 100,000 of them are 100,000 findings and nothing else.
ONE_FINDING_TASK = (
    "- {{id: T{i}, title: t, category: econ, lead: fgw, leaders: [li-fuqu], "
    "start: 2024-01-01, standard: s, milestones: [{{due: 2024-03-31, standard: s, "
    "done: 2024-03-01}}], status: done, progress: 100, bogus: 1}}\n"
)

Content = str | bytes | None  # None: the file is removed from BASE
Special = Callable[[Path], None]


@dataclass(frozen=True)
class Expect:
    """One finding `validate` must report (None: that part is not pinned)."""

    code: str
    file: str
    line: int | None = None
    col: int | None = None
    contains: str = ""


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, Content] = field(default_factory=dict)
    #: what cannot be written as content: directories, links, FIFOs, sparse files
    special: Special | None = None
    expect: tuple[Expect, ...] = ()
    #: exit status; 2 means a one-line error containing `error`
    exit: int = 1
    error: str = ""
    #: too big or slow for the in-process runner: run only as a subprocess
    heavy: bool = False
    #: what the platform must offer: "symlink", "fifo", "devzero"
    needs: str = ""

    def build(self, root: Path) -> Path:
        """Write the ledger under `root` and return it."""
        files: dict[str, Content] = {**BASE, **self.files}
        for rel, content in files.items():
            if content is None:
                continue
            p = root / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                p.write_bytes(content)
            else:
                p.write_bytes(content.encode("utf-8"))
        (root / "tasks").mkdir(exist_ok=True)
        if self.special is not None:
            self.special(root)
        return root


# --- builders for what is not plain content ----------------------------------------


def alias_bomb(levels: int = 9, width: int = 10) -> str:
    """The "billion laughs": each level is `width` aliases of the one before."""
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def _sparse(rel: str, size: int) -> Special:
    def make(root: Path) -> None:
        with open(root / rel, "wb") as fh:
            fh.truncate(size)  # a hole: no disk space, no time
    return make


def _mkdir(rel: str) -> Special:
    def make(root: Path) -> None:
        (root / rel).mkdir(parents=True)
    return make


def _symlink_loop(root: Path) -> None:
    os.symlink("y.yaml", root / "tasks" / "x.yaml")
    os.symlink("x.yaml", root / "tasks" / "y.yaml")


def _dangling(root: Path) -> None:
    os.symlink("gone.yaml", root / "tasks" / "x.yaml")


def _fifo(rel: str) -> Special:
    def make(root: Path) -> None:
        (root / rel).unlink(missing_ok=True)
        os.mkfifo(root / rel)
    return make


def _dev_zero(rel: str) -> Special:
    def make(root: Path) -> None:
        (root / rel).unlink(missing_ok=True)
        os.symlink("/dev/zero", root / rel)
    return make


def _odd_names(root: Path) -> None:
    tasks = os.fsencode(root / "tasks")
    with open(tasks + b"/\xff\xfe.yaml", "wb") as fh:  # not UTF-8
        fh.write(b"- 1\n")
    with open(tasks + b"/forged\nline.yaml", "wb") as fh:  # a line break
        fh.write(b"- 1\n")


def _random_bytes(n: int, seed: int) -> bytes:
    rnd = random.Random(seed)
    return bytes(rnd.randrange(256) for _ in range(n)) + b"\x00"


def _deep_block(levels: int) -> str:
    return "".join(" " * i + "a:\n" for i in range(levels)) + " " * levels + "1\n"


def _invalid_utf8_in_middle() -> bytes:
    raw = TASK.encode("utf-8")
    at = raw.index("全年".encode())  # line 7, column 13 (in characters)
    return raw[:at] + b"\xff" + raw[at:]


def _with_dup_over_a_million_nodes() -> str:
    """More than a million nodes and one duplicate key: the slow path once mistook
    every big file for an alias bomb."""
    return "k: [" + ",".join(["0"] * 1_100_000) + "]\nk: 1\n"


HUNDRED_K = 100_000

# lines end at "\n" in luoshi's positions, as git and GitHub count them: not at a lone
# CR (old Mac files), nor at U+2028/U+2029/NEL, which PyYAML alone takes for breaks
SEPARATORS = TASK.replace("title: 推进重点项目开工建设", "title: 推进\u2028重点\u2029项目\x85开工") \
    .replace("progress: 45", "progress: 145")
OLD_MAC = TASK.replace("progress: 45", "progress: 145").replace("\n", "\r")
SHARED = TASK.replace("milestones:\n", "milestones: &ms\n").replace("due: 2024-12-31",
                                                                      "due: 2024-02-30") \
    + TASK.replace("id: T-001", "id: T-002").replace(
        TASK[TASK.index("milestones:"):TASK.index("  status")], "milestones: *ms\n")


# --- the corpus ---------------------------------------------------------------------

CASES: list[Case] = [
    # aliases, nesting, size
    Case("alias-bomb", {"tasks/a.yaml": alias_bomb()},
         expect=(Expect("LS012", "tasks/a.yaml", 2, 10),)),
    Case("alias-bomb-slow-path", {"tasks/a.yaml": "x: 1\nx: 2\n" + alias_bomb()},
         expect=(Expect("LS012", "tasks/a.yaml", 4, 10),)),
    Case("alias-bomb-mapping", {"tasks/a.yaml": "a0: &a0 {k: v}\n" + "".join(
        f"a{i}: &a{i} {{" + ", ".join(f"k{j}: *a{i - 1}" for j in range(10)) + "}\n"
        for i in range(1, 9))},
         expect=(Expect("LS012", "tasks/a.yaml", 2, 14),)),
    Case("deep-flow", {"tasks/a.yaml": "[" * 10_000 + "]" * 10_000 + "\n"},
         expect=(Expect("LS018", "tasks/a.yaml", 1, 201),)),
    Case("deep-flow-unclosed", {"tasks/a.yaml": "[" * 10_000 + "\n"},
         expect=(Expect("LS018", "tasks/a.yaml", 1, 201),)),
    Case("deep-flow-mapping", {"tasks/a.yaml": "{a: " * 10_000 + "}" * 10_000 + "\n"},
         expect=(Expect("LS018", "tasks/a.yaml", 1, 798),)),
    # libyaml 0.2.6 (PyYAML 6.0.4) refuses a 1000th flow level: the position must
    # not depend on it, nor count brackets in quoted text or comments
    Case("deep-flow-after-tasks", {"tasks/a.yaml": TASK + '- {id: T-002, note: "[[[", '
                                   "tags: ['{', x]} # [[{\n- " + "[" * 5000 + "\n"},
         expect=(Expect("LS018", "tasks/a.yaml", 16, 202),)),
    Case("deep-flow-mixed", {"tasks/a.yaml": TASK + "- id: T-003\n  title: 长\n  x: "
                             + "{a: [" * 3000 + "\n"},
         expect=(Expect("LS018", "tasks/a.yaml", 17, 501),)),
    Case("deep-block", {"tasks/a.yaml": _deep_block(10_000)},
         expect=(Expect("LS018", "tasks/a.yaml", 200, 200),)),
    Case("deep-block-sequence", {"tasks/a.yaml": "- " * 10_000 + "x\n"},
         expect=(Expect("LS018", "tasks/a.yaml", 1, 401),)),
    Case("deep-alias-chain", {"tasks/a.yaml": "a0: &a0 [x]\n" + "".join(
        f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 1000))},
         expect=(Expect("LS018", "tasks/a.yaml"),)),
    Case("file-200mb", special=_sparse("tasks/big.yaml", 200 * 1024 * 1024),
         expect=(Expect("LS003", "tasks/big.yaml", 1, 1, "200 MB"),)),
    Case("file-200mb-within-raised-limit",
         {"luoshi.yaml": CONFIG + "max_file_mb: 4096\n"},
         special=_sparse("tasks/big.yaml", 200 * 1024 * 1024),
         expect=(Expect("LS005", "tasks/big.yaml", 1, 1, "NUL"),), heavy=True),
    Case("config-70mb", special=_sparse("luoshi.yaml", 70 * 1024 * 1024),
         expect=(Expect("LS003", "luoshi.yaml", 1, 1),)),
    Case("long-line-10mb", {"tasks/a.yaml": "- id: T-9\n  title: " + "长" * (10 * 2**20 // 3)
                            + "\n"},
         expect=(Expect("LS102", "tasks/a.yaml", 1, 3, "category"),)),
    Case("long-line-dense", {"tasks/a.yaml": "[" + ",".join(["x"] * 2**20) + "]\n"},
         expect=(Expect("LS019", "tasks/a.yaml", 1, 1, "200,000"),
                 Expect("LS103", "tasks/a.yaml", 1, 2)), heavy=True),
    # yaml_rs raised TypeError (unhashable dict) for this: a crash until found by fuzzing
    Case("mapping-inside-a-key", {"tasks/a.yaml": "- x\n- ? {a: {b: 1}}\n  : v\n"},
         expect=(Expect("LS010", "tasks/a.yaml", 2, 3, "itself a mapping"),)),
    # the same key in a file that ends its document with `...`: the slow path reads the
    # first document with yaml_rs, which raised the same TypeError there (a review)
    Case("mapping-inside-a-key-after-the-slow-path", {"tasks/a.yaml": "?\n  a: {b: 1}\n...\n"},
         expect=(Expect("LS010", "tasks/a.yaml", 1, 1, "itself a mapping"),)),
    Case("over-a-million-nodes-one-duplicate", {"tasks/a.yaml": _with_dup_over_a_million_nodes()},
         expect=(Expect("LS011", "tasks/a.yaml", 2, 1, "line 1"),)),
    Case("hundred-thousand-findings", {"tasks/a.yaml": "- 0\n" * HUNDRED_K},
         expect=(Expect("LS103", "tasks/a.yaml", HUNDRED_K, 3),), heavy=True),
    # encodings and bytes
    Case("nul-bytes", {"tasks/a.yaml": TASK.encode() + b"\x00\x00"},
         expect=(Expect("LS005", "tasks/a.yaml", 15, 1, "NUL"),)),
    Case("binary", {"tasks/a.yaml": _random_bytes(5000, 7)},
         expect=(Expect("LS005", "tasks/a.yaml"),)),
    Case("gb18030", {"tasks/a.yaml": TASK.encode("gb18030")},
         expect=(Expect("LS004", "tasks/a.yaml", 1, 1, "GB18030"),)),
    Case("gbk-units", {"units.yaml": UNITS.encode("gbk")},
         expect=(Expect("LS004", "units.yaml", 1, 1, "GB18030"),)),
    Case("utf16-bom", {"tasks/a.yaml": TASK.encode("utf-16")},
         expect=(Expect("LS004", "tasks/a.yaml", 1, 1, "UTF-16"),)),
    Case("utf16le-no-bom", {"tasks/a.yaml": TASK.encode("utf-16-le")},
         expect=(Expect("LS004", "tasks/a.yaml", 1, 1, "UTF-16"),)),
    Case("utf16be-no-bom", {"tasks/a.yaml": TASK.encode("utf-16-be")},
         expect=(Expect("LS004", "tasks/a.yaml", 1, 1, "UTF-16"),)),
    Case("invalid-utf8-in-the-middle", {"tasks/a.yaml": _invalid_utf8_in_middle()},
         expect=(Expect("LS005", "tasks/a.yaml", 7, 13, "0xff"),)),
    Case("bom", {"tasks/a.yaml": b"\xef\xbb\xbf" + TASK.encode()}, exit=0),
    Case("crlf", {"tasks/a.yaml": TASK.replace("\n", "\r\n")}, exit=0),
    Case("crlf-positions", {"tasks/a.yaml": TASK.replace("progress: 45", "progress: 145")
                            .replace("\n", "\r\n")},
         expect=(Expect("LS205", "tasks/a.yaml", 12, 13),)),
    Case("bom-crlf-positions", {"tasks/a.yaml": b"\xef\xbb\xbf" + TASK.replace(
        "lead: fgw", "lead: nobody").replace("\n", "\r\n").encode()},
         expect=(Expect("LS110", "tasks/a.yaml", 4, 9),)),
    Case("unicode-line-separators", {"tasks/a.yaml": SEPARATORS},
         expect=(Expect("LS205", "tasks/a.yaml", 12, 13),)),
    Case("unicode-line-separators-slow-path", {"tasks/a.yaml": SEPARATORS + "  lead: fgw\n"},
         expect=(Expect("LS205", "tasks/a.yaml", 12, 13),
                 Expect("LS011", "tasks/a.yaml", 15, 3, "line 4"))),
    Case("lone-cr-line-endings", {"tasks/a.yaml": OLD_MAC + "  lead: fgw\r"},
         expect=(Expect("LS205", "tasks/a.yaml", 1, OLD_MAC.index("145") + 1),
                 Expect("LS011", "tasks/a.yaml", 1, len(OLD_MAC) + 3, "line 1"))),
    # whole numbers longer than Python turns into text (4,300 digits): each is quoted
    # in its finding by its ends and its length, never an internal error
    Case("int-5000-digits-in-luoshi-yaml", {"luoshi.yaml": CONFIG + "warn_days: " + "9" * 5000
                                            + "\n"},
         expect=(Expect("LS109", "luoshi.yaml", 6, 12, "999999999999…9999 (5000 digits)"),)),
    Case("int-5000-digits-as-a-month", {"tasks/a.yaml": TASK.replace('"2024-04"', "9" * 5000)},
         expect=(Expect("LS107", "tasks/a.yaml", 14, 15, "999999999999…9999 (5000 digits)"),)),
    Case("int-5000-digits-as-a-unit-kind", {"units.yaml": UNITS.replace("department",
                                                                        "1" + "0" * 4999)},
         exit=0, expect=(Expect("LS017", "units.yaml", 2, 33, "100000000000…0000 (5000 digits)"),)),
    Case("int-5000-digits-as-a-progress", {"tasks/a.yaml": TASK.replace("progress: 45",
                                                                        "progress: " + "7" * 5000)},
         expect=(Expect("LS205", "tasks/a.yaml", 12, 13, "777777777777…7777 (5000 digits)"),)),
    # past 200,000 digits: the leading digits and the power of ten
    Case("int-300000-digits-as-the-year", {"luoshi.yaml": CONFIG.replace(
        "year: 2024", "year: 3" + "0" * 300_000)},
         expect=(Expect("LS109", "luoshi.yaml", 3, 7, "3.00000e+300000"),)),
    Case("alias-shared-by-two-tasks", {"tasks/a.yaml": SHARED},
         expect=(Expect("LS204", "tasks/a.yaml", 10, 13, "T-001"),
                 Expect("LS204", "tasks/a.yaml", 10, 13, "T-002"))),
    # things that are not files
    Case("directory-named-yaml", special=_mkdir("tasks/x.yaml"),
         expect=(Expect("LS006", "tasks/x.yaml", 1, 1, "directory"),)),
    Case("units-is-a-directory", {"units.yaml": None}, special=_mkdir("units.yaml"),
         expect=(Expect("LS006", "units.yaml", 1, 1, "directory"),)),
    Case("symlink-loop", special=_symlink_loop, needs="symlink",
         expect=(Expect("LS006", "tasks/x.yaml", 1, 1, "loop"),
                 Expect("LS006", "tasks/y.yaml", 1, 1, "loop"))),
    Case("dangling-symlink", special=_dangling, needs="symlink",
         expect=(Expect("LS006", "tasks/x.yaml", 1, 1),)),
    Case("units-is-a-fifo", special=_fifo("units.yaml"), needs="fifo",
         expect=(Expect("LS006", "units.yaml", 1, 1, "FIFO"),)),
    # a hang or a memory fill when read: only ever run as a subprocess with limits
    Case("tasks-file-is-a-fifo", special=_fifo("tasks/x.yaml"), needs="fifo", heavy=True,
         expect=(Expect("LS006", "tasks/x.yaml", 1, 1, "FIFO"),)),
    Case("units-is-dev-zero", special=_dev_zero("units.yaml"), needs="devzero",
         expect=(Expect("LS008", "units.yaml", 1, 1, "/dev/zero"),)),
    Case("tasks-file-is-dev-zero", special=_dev_zero("tasks/x.yaml"), needs="devzero",
         heavy=True,
         expect=(Expect("LS008", "tasks/x.yaml", 1, 1, "/dev/zero"),)),
    Case("odd-file-names", special=_odd_names,
         expect=(Expect("LS006", "tasks/\\xff\\xfe.yaml", 1, 1, "file name"),
                 Expect("LS006", "tasks/forged\\nline.yaml", 1, 1, "file name"))),
    # YAML
    Case("syntax-error", {"tasks/a.yaml": TASK + "- {id: T-002, title: x\n"},
         expect=(Expect("LS010", "tasks/a.yaml", 15, 3, 'the brace "{" is never closed'),)),
    Case("duplicate-key", {"tasks/a.yaml": TASK + "  lead: fgw\n"},
         expect=(Expect("LS011", "tasks/a.yaml", 15, 3, "line 4"),)),
    Case("duplicate-unit-id", {"units.yaml": UNITS.replace(
        "leaders:", "  - {id: zfw, name: 区政府}\n  - {id: fgw, name: 又一个}\nleaders:")},
         expect=(Expect("LS108", "units.yaml", 4, 10, "units.yaml:2"),)),
    Case("tab-indent", {"tasks/a.yaml": TASK.replace("  category", "\tcategory")},
         expect=(Expect("LS013", "tasks/a.yaml", 3, 1),)),
    Case("ideographic-space", {"tasks/a.yaml": TASK.replace("  standard: 全年",
                                                            "\u3000\u3000standard: 全年")},
         expect=(Expect("LS014", "tasks/a.yaml", 7, 1, "standard"),)),
    Case("multi-document", {"tasks/a.yaml": TASK + "---\n- id: T-002\n"},
         expect=(Expect("LS015", "tasks/a.yaml", 16, 1),)),
    Case("multi-document-alias-bomb", {"tasks/a.yaml": alias_bomb() + "---\n- 1\n"},
         expect=(Expect("LS012", "tasks/a.yaml", 2, 10),)),
    Case("yaml11-id-no", {"tasks/a.yaml": TASK.replace("id: T-001", "id: no")},
         expect=(Expect("LS016", "tasks/a.yaml", 1, 7, "boolean false"),)),
    Case("yaml11-id-octal", {"units.yaml": UNITS.replace("id: fgw", "id: 0571")},
         expect=(Expect("LS016", "units.yaml", 2, 10, "octal number 377"),)),
    Case("yaml11-title-base60", {"tasks/a.yaml": TASK.replace("title: 推进重点项目开工建设",
                                                              "title: 1:30")},
         expect=(Expect("LS017", "tasks/a.yaml", 2, 10, "90"),), exit=0),  # a warning
    Case("not-a-real-date", {"tasks/a.yaml": TASK.replace("due: 2024-12-31",
                                                          "due: 2024-02-30")},
         expect=(Expect("LS204", "tasks/a.yaml", 10, 13, "2024-02-30"),)),
    Case("forged-output-line", {"tasks/a.yaml": TASK.replace(
        "id: T-001", 'id: "T\\nfake.yaml:9:9: error LS999 forged"')},
         expect=(Expect("LS104", "tasks/a.yaml", 1, 7, "T\\nfake.yaml"),)),
    # empty and malformed required files
    Case("empty-units", {"units.yaml": ""}, expect=(Expect("LS002", "units.yaml", 1, 1),)),
    Case("empty-tasks-file", {"tasks/a.yaml": ""},
         expect=(Expect("LS002", "tasks/a.yaml", 1, 1),)),
    Case("empty-config", {"luoshi.yaml": ""}, expect=(Expect("LS002", "luoshi.yaml", 1, 1),)),
    Case("config-is-a-list", {"luoshi.yaml": "- title\n- year\n"},
         expect=(Expect("LS002", "luoshi.yaml", 1, 1),)),
    Case("config-is-a-scalar", {"luoshi.yaml": "luoshi\n"},
         expect=(Expect("LS002", "luoshi.yaml", 1, 1),)),
    Case("config-binary", {"luoshi.yaml": b"\x00\x01\x02\x03"},
         expect=(Expect("LS005", "luoshi.yaml", 1, 1),)),
    Case("units-missing", {"units.yaml": None}, expect=(Expect("LS001", "units.yaml", 1, 1),)),
    Case("paths-escaping-the-root", {"luoshi.yaml": CONFIG + (
        "files:\n  tasks: '../../etc/*'\n  records: /etc/*\n  units: ../units.yaml\n")},
         expect=(Expect("LS007", "luoshi.yaml", 7, 10, "../../etc/*"),
                 Expect("LS007", "luoshi.yaml", 8, 12, "/etc/*"),
                 Expect("LS007", "luoshi.yaml", 9, 10, "../units.yaml"))),
    # no ledger at all: a one-line error
    Case("config-is-a-directory", {"luoshi.yaml": None}, special=_mkdir("luoshi.yaml"),
         exit=2, error="luoshi.yaml"),
]

BY_NAME = {c.name: c for c in CASES}
