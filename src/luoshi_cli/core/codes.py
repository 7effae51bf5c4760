"""The catalogue of finding codes: stable ids, default severity, and the message
in both languages.  Every message says what is wrong *and* how to fix it, because
the reader is a clerk fixing a YAML file, not a programmer reading a stack trace.

Codes are stable: CI pipelines filter on them.  Ranges:
LS0xx files and YAML · LS1xx schema and references · LS2xx tasks ·
LS3xx scheme · LS4xx records · LS5xx change control · LS6xx reporting rhythm ·
LS7xx the supervision loop (督办闭环: 约谈 and 整改, `supervision/*.yaml`).
The code table of docs/REFERENCE.md is generated from this module (`python docs/build_readme.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple


class L(NamedTuple):
    """A label in both languages, for message parameters such as "任务 T-001"."""

    zh: str
    en: str

    def __str__(self) -> str:
        return self.zh


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Literal["error", "warning"]
    title: str
    zh: str
    en: str
    #: parameters a finding may leave out, and their text (`render`): the usual fix of
    #: an unknown reference, replaced when the value is an entry's name ("write fgw")
    defaults: tuple[tuple[str, L], ...] = ()


_E: Literal["error"] = "error"
_W: Literal["warning"] = "warning"

_ALL = [
    # ---- files and YAML -------------------------------------------------------------
    Code("LS001", _E, "required file missing",
         "缺少必需文件 {name}：请创建它（luoshi init 可生成一个完整示例）",
         "required file {name} is missing: create it (luoshi init writes a complete example)"),
    Code("LS002", _E, "file empty or lacks its top-level key",
         "文件为空或缺少顶层键 {key}：请以{start}开头写入内容",
         "the file is empty or lacks its top-level key {key}: start it with {start}"),
    Code("LS003", _E, "file too large",
         "文件大小 {size} MB 超过上限 {limit} MB：{fix}",
         "the file is {size} MB, over the {limit} MB limit: {fix}",
         # a file of a git revision refused only by the working tree's limit (which a
         # revision never exceeds, `GitSource.load_many`) says so: that file is not wrong
         defaults=(("fix", L("请拆分为多个文件，或在 luoshi.yaml 中调大 max_file_mb",
                             "split it into several files, or raise max_file_mb in "
                             "luoshi.yaml")),)),
    Code("LS004", _E, "file is not UTF-8",
         "文件不是 UTF-8 编码（看起来是 {encoding}）：请转换为 UTF-8，例如 "
         "iconv -f {iconv} -t UTF-8 {shfile} -o {shfile}.utf8，打开 {file}.utf8 确认文字无误后"
         "再 mv {shfile}.utf8 {shfile}{other}，或在编辑器中“另存为 UTF-8”",
         "the file is not UTF-8 (it looks like {encoding}): convert it, e.g. "
         "iconv -f {iconv} -t UTF-8 {shfile} -o {shfile}.utf8, check that the text in "
         "{file}.utf8 reads right, then mv {shfile}.utf8 {shfile}{other}, "
         "or 'Save as UTF-8' in your editor"),
    Code("LS005", _E, "invalid bytes or binary file",
         "文件不是有效的 UTF-8 文本（{reason}）：{advice}",
         "the file is not valid UTF-8 text ({reason}): {advice}"),
    Code("LS006", _E, "file cannot be read",
         "无法读取：{reason}",
         "cannot read the file: {reason}"),
    Code("LS007", _E, "path outside the ledger root, or into .git",
         "files.{key} 的值 {value} {why}；已改用默认路径",
         "files.{key}: {value} {why}; the default is used",
         # a path into the ledger's .git or .luoshi-cache passes `why` (`parse_config`)
         defaults=(("why", L("不是台账目录内的文件路径：请写成相对路径（如 tasks/*.yaml），"
                             "不要用“..”或绝对路径",
                             "is not a file path inside the ledger root: give a relative "
                             "path such as tasks/*.yaml, without '..' and not absolute")),)),
    Code("LS008", _E, "link points outside the ledger root, or into .git",
         "{link} 是指向{where}（{target}）的符号链接：{rule}；请把链接换成台账目录内的真实文件",
         "{link} is a symbolic link to {target}, {where}: {rule}; replace the link with a "
         "real file inside the ledger",
         # a link into the ledger's .git or .luoshi-cache passes `where` and `rule`
         # (`assemble.link_out`): .git/config may hold a CI job's credentials
         defaults=(("where", L("台账目录之外", "outside the ledger root")),
                   ("rule", L("台账目录之外的文件一律不读取",
                              "luoshi reads nothing outside the ledger")))),
    Code("LS009", _E, "no task files, or none holding a task",
         "files.tasks 的模式 {pattern} {found}：台账中没有任务，任务总数会是 0；{fix}",
         "the files.tasks pattern {pattern} {found}: the ledger would have no tasks at "
         "all; {fix}",
         # task files that all parse and hold no task (`[]`) pass `found` and `fix`
         # (`assemble._no_task_in`): a ledger of 0 tasks is never clean either way
         defaults=(("found", L("没有匹配任何文件", "matches no file")),
                   ("fix", L("请检查任务目录是否存在且可读，或改正 luoshi.yaml 中的 files.tasks",
                             "check that the task directory exists and is readable, or "
                             "correct files.tasks in luoshi.yaml")))),
    Code("LS010", _E, "YAML syntax error",
         "YAML 语法错误：{problem}{hint}",
         "YAML syntax error: {problem}{hint}"),
    Code("LS011", _E, "duplicate key",
         "键 {key} 重复（第一次出现在第 {first} 行）：YAML 会悄悄丢掉前一个值，请删除或合并其中一个",
         "duplicate key {key} (first at line {first}): YAML would silently drop one value; "
         "remove or merge one of them"),
    Code("LS012", _E, "alias expansion too large",
         "别名（*alias）展开超过 {limit}（“别名炸弹”）：请不要用锚点成倍复制内容",
         "aliases (*alias) would expand to more than {limit} (an 'alias bomb'): "
         "do not multiply content with anchors"),
    Code("LS013", _E, "tab indentation",
         "行首用了制表符（Tab）缩进：YAML 只允许空格缩进，{fix}",
         "the line is indented with a tab: YAML allows only spaces; {fix}"),
    Code("LS014", _E, "full-width space indentation",
         "键 {key} 前面有全角空格（U+3000）：YAML 把它当成一个新键，原本想写的键反而为空；"
         "{fix}",
         "key {key} starts with an ideographic space (U+3000): YAML reads it as a new key and "
         "leaves the intended one empty; {fix}"),
    Code("LS015", _E, "several YAML documents",
         "文件含有多个 YAML 文档（“---”分隔）：每个文件只能有一个文档，只读取了第一个",
         "the file holds several YAML documents ('---'): one per file; only the first was read"),
    Code("LS016", _E, "YAML reads this as a non-text value",
         "{key}{of} {value} 会被 YAML 读成{kind}，这里需要文本：请加引号写成 \"{value}\"",
         "{of}{key}: {value} is read by YAML as {kind}, but text is expected here: "
         "quote it as \"{value}\""),
    Code("LS017", _W, "free text that YAML reads as a non-text value",
         "{key}{of} {value} 会被 YAML 读成{kind}：如要保留原样，请加引号写成 \"{value}\"",
         "{of}{key}: {value} is read by YAML as {kind}: to keep it as written, "
         "quote it as \"{value}\""),
    Code("LS018", _E, "nesting too deep",
         "嵌套层数超过 {limit}：台账不需要这么深的结构，请检查括号是否配对",
         "nesting is deeper than {limit} levels: ledgers never need that; "
         "check that brackets are balanced"),
    Code("LS019", _E, "too many findings in one file",
         "此文件的问题超过 {limit} 个，只列出了前 {limit} 个：往往是同一个错误重复出现，"
         "请先改正列出的问题，再重新运行 luoshi validate",
         "more than {limit} problems in this file; only the first {limit} are listed: "
         "usually one mistake repeated; fix those and run luoshi validate again"),
    Code("LS020", _W, "no task directory",
         "台账没有任务目录（{pattern} 没有匹配任何文件）：这是一本没有任务的台账，任务总数为 0；"
         "如果任务文件丢失了，请恢复；添加任务请在 tasks/ 下新建 YAML 文件",
         "the ledger has no task directory ({pattern} matches no file): it holds no tasks, "
         "and status counts 0; restore the task files if they were lost, or add YAML "
         "files under tasks/"),
    Code("LS021", _W, "lint cannot leave out errors",
         "lint 的 {key} 会略去错误 {codes}：luoshi.yaml 的 lint 只能略去警告，错误总会报告"
         "（它们决定能否通过检查，而 luoshi.yaml 本身也在受检的改动之中）；"
         "确需略去某个错误，请在命令行上用 --ignore",
         "lint's {key} would leave out the errors {codes}: luoshi.yaml's lint leaves out "
         "warnings only, and errors are always reported (they decide the check, and "
         "luoshi.yaml is part of the change being checked); to leave out an error, pass "
         "--ignore on the command line"),
    Code("LS022", _E, "Git LFS pointer, not the file",
         "此文件是 Git LFS 指针，不是台账的 YAML 内容：在工作目录中请安装 git-lfs 并运行 "
         "git lfs pull（CI 中：actions/checkout 设 lfs: true）；--rev、diff 和提交钩子读取的是 "
         "git 中保存的内容，也就是这个指针，因此台账文件不要放进 Git LFS"
         "（删去 .gitattributes 中对它们的 filter=lfs）",
         "this file is a Git LFS pointer, not the ledger's YAML: in a checkout, install "
         "git-lfs and run `git lfs pull` (in CI: actions/checkout with lfs: true); --rev, "
         "diff and the hook read what git itself stores, which is the pointer, so keep "
         "ledger files out of Git LFS (drop their filter=lfs in .gitattributes)"),
    Code("LS023", _W, "YAML file the ledger does not read",
         "此文件在 {base}/ 下，但不符合 files.{kind} 的模式 {pattern}，luoshi 不读它，"
         "其中的内容不会被校验、统计或考核：如果它是台账文件，请改名或移动使其符合该模式"
         "（例如扩展名改为 .yaml），或修改 luoshi.yaml 的 files.{kind}；如果不是，请移出 {base}/",
         "this file is under {base}/ but does not match files.{kind} ({pattern}), so luoshi "
         "never reads it: nothing in it is validated, counted or scored; if it is a ledger "
         "file, rename or move it to match (e.g. the .yaml extension) or change files.{kind} "
         "in luoshi.yaml; if not, move it out of {base}/"),
    Code("LS024", _E, "lint names no finding code",
         "lint 的 {key} 中的 {value} 不是检查代码，也不是任何代码的开头{hint}：这一项不起作用，"
         "请改正或删除（代码形如 LS105，前缀形如 LS6，ALL 表示全部代码，见 docs/REFERENCE.md 的代码表）",
         "lint's {key} entry {value} is no finding code and starts none{hint}: it has no "
         "effect; correct or remove it (codes look like LS105, prefixes like LS6, ALL is "
         "every code: see the table in docs/REFERENCE.md)",
         defaults=(("hint", L("", "")),)),
    Code("LS025", _W, "invisible or control character in the text",
         "此处有看不见的字符 {char}{more}：它会原样带进通报、状态表和导出的表格，文字看起来相同却"
         "对不上（查找、比对、按名称匹配都会落空）；请删除它（多数编辑器不显示它，VS Code 会把它"
         "标成方框或高亮；也可以删掉它前后的几个字再重新输入）",
         "an invisible character {char} here{more}: it is carried as it is into bulletins, "
         "status and exported sheets, where text that looks the same does not match "
         "(searches, comparisons, look-ups by name fail); delete it (most editors do not "
         "show it, VS Code marks it with a box or a highlight; or delete the words around "
         "it and type them again)"),
    Code("LS026", _W, "text after ' #' read as a comment",
         "{key} 的值中“ #”之后的文字被 YAML 当作注释丢掉了，只读到“{value}”，没有读到“{comment}”："
         "如果“#”是内容的一部分，请给整个值加引号：{key}: {quoted}",
         "{key}: YAML reads ' #' as the start of a comment, so the value is only '{value}' "
         "and '{comment}' is dropped: if the '#' is part of the text, quote the whole "
         "value: {key}: {quoted}"),
    Code("LS027", _W, "anchor at the start of a text value",
         "{key} 的值以 &{anchor} 开头：YAML 把它读成锚点（供别处用 *{anchor} 引用），不是文字，"
         "{read}；如果“&”是内容的一部分，请给整个值加引号：{key}: {quoted}",
         "{key}: the value starts with &{anchor}, which YAML reads as an anchor (for "
         "*{anchor} to refer to), not as text, {read}; if the '&' is part of the text, "
         "quote the whole value: {key}: {quoted}"),
    # ---- schema and references ------------------------------------------------------
    Code("LS101", _E, "unknown key",
         "{what}中有未知的键 {key}{hint}：请检查拼写，或删除它",
         "unknown key {key} in {what}{hint}: check the spelling or remove it"),
    Code("LS102", _E, "missing required key",
         "{what}缺少必需的键 {key}：请补上",
         "{what} lacks the required key {key}: add it"),
    Code("LS103", _E, "wrong type",
         "{key} 应为{expected}，实际是{actual}{hint}：{fix}",
         "{key} should be {expected}, not {actual}{hint}: {fix}",
         # text where a list of unit or leader ids belongs (`leaders: 甲某某`): the
         # list to write, by the ids of the names (`checks.refs.list_hints`)
         defaults=(("hint", L("", "")), ("fix", L("请改正", "correct it")))),
    Code("LS104", _E, "id of the wrong form",
         "{key} 的值 {value} 不是合法的标识：{pattern}{fix}",
         "{key}: {value} is not a valid id: {pattern}{fix}",
         # the rule in words (`load.slips`), and the id to write when full-width
         # letters or a blank made it invalid
         (("fix", L("", "")),)),
    Code("LS105", _E, "value not allowed",
         "{key} 的值 {value} 无效：可选值为 {allowed}",
         "{key}: {value} is not allowed; use one of {allowed}"),
    Code("LS106", _E, "date of the wrong form",
         "{key} 的值 {value} 不是 YYYY-MM-DD 形式的日期：{fix}",
         "{key}: {value} is not a YYYY-MM-DD date: {fix}",
         # a date in another form that is one day (2024/02/29): that day (`core.slips`)
         (("fix", L("请写成如 2024-05-31", "write it like 2024-05-31")),)),
    Code("LS107", _E, "month of the wrong form",
         "{key} 的值 {value} 不是 YYYY-MM 形式的月份：{fix}",
         "{key}: {value} is not a YYYY-MM month: {fix}",
         # a month in another form (2024年3月): that month, quoted (`core.slips`)
         (("fix", L("请写成如 \"2024-05\"（加引号）", "write it like \"2024-05\" (quoted)")),)),
    Code("LS108", _E, "duplicate id",
         "{kind} {id} 重复（第一次定义于 {first}）：标识必须唯一，请改名或删除一个",
         "{kind} {id} is defined twice (first at {first}): ids must be unique; "
         "rename or remove one"),
    Code("LS109", _E, "number out of range",
         "{key} 的值 {value} {outside}：{fix}",
         "{key}: {value} {outside}: {fix}",
         # `outside`: the range (超出范围 0–100, `load.schema.out_of_range`), or the
         # decimal places a target or an actual may have (有 7 位小数，超过 6 位: the
         # Parquet export keeps 6); every finding gives it, the default words the
         # findings table of the docs (`markdown_table`)
         (("outside", L("超出范围 {low}–{high}（或小数位数超过允许的位数）",
                        "is outside {low}–{high} (or has more decimal places than allowed)")),
          ("fix", L("请改正", "correct it")))),
    Code("LS110", _E, "unknown unit",
         "{what}引用了不存在的单位 {id}{hint}：{fix}",
         "{what} names unknown unit {id}{hint}: {fix}",
         (("fix", L("请在 units.yaml 中添加该单位，或改正拼写",
                    "add it to units.yaml or correct the spelling")),)),
    Code("LS111", _E, "unknown leader",
         "{what}引用了不存在的领导 {id}{hint}：{fix}",
         "{what} names unknown leader {id}{hint}: {fix}",
         (("fix", L("请在 units.yaml 的 leaders 中添加，或改正拼写",
                    "add it under leaders in units.yaml or correct the spelling")),)),
    Code("LS112", _E, "unknown category",
         "{what}引用了不存在的类别 {id}{hint}：{fix}",
         "{what} names unknown category {id}{hint}: {fix}",
         (("fix", L("请在 luoshi.yaml 的 categories 中添加，或改正拼写",
                    "add it under categories in luoshi.yaml or correct the spelling")),)),
    Code("LS113", _E, "unknown scheme component",
         "{what}引用了考核办法中不存在的指标 {id}{hint}：{fix}",
         "{what} names unknown scheme component {id}{hint}: {fix}",
         # a component's name written for its id: the id to write (`checks.refs.Hints`)
         (("fix", L("请对照 scheme.yaml 改正", "check it against scheme.yaml")),)),
    Code("LS114", _E, "unknown checklist item",
         "{what}引用了指标 {leaf} 中不存在的评分细项 {id}{hint}：请对照 scheme.yaml 改正",
         "{what} names unknown checklist item {id} of {leaf}{hint}: check it against scheme.yaml"),
    Code("LS115", _E, "unknown deduction category",
         "{what}引用了负面清单中不存在的类别 {id}{hint}：{fix}",
         "{what} names unknown deduction category {id}{hint}: {fix}",
         # a category's name written for its id: the id to write (`checks.refs.Hints`)
         (("fix", L("请对照 scheme.yaml 的 deductions 改正",
                    "check it against deductions in scheme.yaml")),)),
    Code("LS116", _E, "unknown task",
         "{what}引用了不存在的任务 {id}{hint}：{fix}",
         "{what} names unknown task {id}{hint}: {fix}",
         # a task id with a blank around it (`K-02　`): what to delete (`checks.records`)
         (("fix", L("请改正任务编号", "correct the task id")),)),
    Code("LS117", _E, "unknown grade",
         "{what}引用了不存在的等次 {id}：可选等次为 {allowed}",
         "{what} names unknown grade {id}: the grades are {allowed}"),
    Code("LS118", _E, "unknown tag",
         "{what}引用了未在 luoshi.yaml 的 tags 中声明的标签 {id}{hint}：{fix}",
         "{what} names tag {id}, which luoshi.yaml does not declare under tags{hint}: {fix}",
         # a tag's name written for its id: the id to write (`checks.refs.tag_hint`)
         (("fix", L("请先声明 {id, name} 或改正标签",
                    "declare it as {id, name} or correct the tag")),)),
    # ---- tasks ----------------------------------------------------------------------
    Code("LS119", _W, "two units with one name",
         "单位 {id} 的名称 {name} 与单位 {other} 的名称{how}相同（见 {first}）：通报、排名和"
         "督办单中无法区分这两个单位，--unit 按名称也只能找到其中一个；请改用不同的名称"
         "（例如加上所属的镇街或上级单位）",
         "unit {id} is named {name}, which {how_en}is the name of unit {other} (at {first}): "
         "bulletins, rankings and notices cannot tell the two apart, and --unit by name "
         "finds only one; give them different names (e.g. add the town or parent unit)"),
    Code("LS120", _W, "unknown placeholder in doc_no",
         "doc_no 的值 {value} 中的 {placeholder} 不是 luoshi 认识的占位符：只有 {{year}}（成文年份）"
         "和 {{n}}（期号，--issue）会被替换，须用半角花括号、小写；其他写法会原样印在通报的文号中",
         "doc_no: {placeholder} in {value} is no placeholder luoshi knows: only {{year}} (the "
         "year of issue) and {{n}} (the issue number, --issue) are filled in, with ASCII "
         "braces, in lower case; anything else is printed as written in the bulletin's document number"),
    Code("LS201", _E, "task without milestones",
         "任务 {task}：至少需要一个序时节点（milestones）",
         "task {task}: at least one milestone is required"),
    Code("LS202", _E, "milestones out of order",
         "任务 {task}：序时节点到期日应严格递增，{due} 不晚于前一个节点的 {prev}；请按时间顺序排列",
         "task {task}: milestone dues must strictly increase; {due} is not after {prev}: "
         "put them in date order"),
    Code("LS203", _E, "done in the future",
         "任务 {task}：完成日期 {done} 晚于检查日期 {as_of}：不能登记未来的完成，请改正日期",
         "task {task}: done date {done} is after the as-of date {as_of}: "
         "a completion cannot be in the future"),
    Code("LS204", _E, "not a real date",
         "{what} {value} 不是真实存在的日期：请改正",
         "{what} {value} is not a real date: correct it"),
    Code("LS205", _E, "progress out of range",
         "任务 {task}：进度 {value} 超出 0–100：请填写百分比数值",
         "task {task}: progress {value} is outside 0–100: give a percentage"),
    Code("LS206", _E, "progress 100 on an unfinished task",
         "任务 {task}：进度为 100，但状态是 {status}：请把状态改为 done，或改正进度",
         "task {task}: progress is 100 but the status is {status}: "
         "set status to done or correct the progress"),
    Code("LS207", _E, "monthly updates out of order",
         "任务 {task}：月度进展的月份应严格递增，{month} 不晚于前一条的 {prev}：请按月份排列并去掉重复",
         "task {task}: update months must strictly increase; {month} is not after {prev}: "
         "order them and drop duplicates"),
    Code("LS208", _E, "monthly update outside the year",
         "任务 {task}：月度进展 {month} 不在台账年度 {year} 内：请改正月份，或移到对应年度的台账",
         "task {task}: update {month} is outside the ledger year {year}: "
         "correct the month or move it to that year's ledger"),
    Code("LS209", _E, "closed task without closing record",
         "任务 {task}：状态为 closed（已销号），但缺少 closed 销号记录：请补上 closed: {{date, approved_by, evidence}}"
         "（approved_by 写批准销号的领导的标识，即 units.yaml 中 leaders 的 id，不写单位）",
         "task {task}: status is closed but there is no closed block: "
         "add closed: {{date, approved_by, evidence}} (approved_by: the id of the approving "
         "leader under leaders in units.yaml, not a unit)"),
    Code("LS210", _E, "closing record without approver",
         "任务 {task}：销号记录缺少审批人 approved_by：销号须经领导审批，请补上批准销号的领导的标识"
         "（units.yaml 中 leaders 的 id）",
         "task {task}: the closed block lacks approved_by: closing needs an approver; add "
         "the id of the approving leader (under leaders in units.yaml)"),
    Code("LS211", _E, "wrong number of leaders",
         "任务 {task}：包抓领导应为 1–2 名，现为 {count} 名：请调整 leaders",
         "task {task}: a task has 1 or 2 leaders, not {count}: adjust leaders"),
    Code("LS212", _W, "milestone before the task starts",
         "任务 {task}：序时节点 {due} 早于任务开始日期 {start}：请检查日期",
         "task {task}: milestone {due} is before the task's start {start}: check the dates"),
    Code("LS213", _W, "unusual status for its record",
         "任务 {task}：{problem}",
         "task {task}: {problem}"),
    # ---- tasks v2: targets and decomposition (SPEC §11) -------------------------------
    Code("LS214", _W, "reported progress and achieved target disagree",
         "任务 {task}：报送进度 {progress}%，但完成值 {actual}/目标值 {target} 折合 {achieved}%，"
         "相差超过 {tolerance} 个百分点：请核对进度或完成值",
         "task {task}: reported progress is {progress}% but {actual} of the target {target} "
         "is {achieved}%, more than {tolerance} points apart: check the progress or the actual"),
    Code("LS215", _E, "decomposition cycle",
         "任务 {task}：分解关系成环（{cycle}）：上级任务（parent）不能直接或间接指向自己，请改正",
         "task {task}: the decomposition runs in a circle ({cycle}): a parent cannot be its "
         "own ancestor; correct parent"),
    Code("LS216", _E, "decomposition does not balance",
         "任务 {task}：分解后下级任务目标值合计 {sum}{unit}，上级目标值为 {target}{unit}，相差 {diff}：请使分解的目标值之和等于上级目标值",
         "task {task}: the children's targets sum to {sum}{unit} but the target is "
         "{target}{unit}, a difference of {diff}: make the decomposed targets add up"),
    Code("LS217", _W, "target not comparable",
         "任务 {task}：目标计量单位为 {unit}，上级任务 {parent} 为 {parent_unit}：无法核对分解平衡，请统一计量单位",
         "task {task}: its target is in {unit} but its parent {parent}'s is in "
         "{parent_unit}: the balance cannot be checked; use one measurement unit"),
    Code("LS218", _E, "parent closed with open children",
         "任务 {task}：已销号，但下级任务 {child} 状态为 {status}：请先办结下级任务，再销号上级任务",
         "task {task} is closed but its child {child} is {status}: finish the children "
         "before closing the parent"),
    Code("LS219", _W, "child due after its parent",
         "任务 {task}：最后一个序时节点 {due} 晚于上级任务 {parent} 的最后节点 {parent_due}：请检查分解的时间安排",
         "task {task}: its last milestone {due} is after its parent {parent}'s last "
         "milestone {parent_due}: check the schedule of the decomposition"),
    Code("LS220", _W, "category count differs from the plan",
         "类别 {category}：计划 {planned} 项任务（planned），台账中有 {count} 项：请补齐或改正 planned",
         "category {category}: tasks planned {planned} (planned), in the ledger {count}: add "
         "the missing tasks or correct planned"),
    Code("LS221", _W, "progress differs from the latest update",
         "任务 {task}：进度（progress）为 {progress}，但最新月报 {month} 报送的进度为 {reported}："
         "progress 应是最新报送的进度，请核对后改为一致",
         "task {task}: progress is {progress} but the latest update ({month}) reports "
         "{reported}: progress is the latest reported figure; make them agree"),
    Code("LS222", _W, "progress below 1",
         "任务 {task}：{what}进度（progress）为 {value}，小于 1，按百分数读作 {value}%："
         "如果是指 {pct}%（Excel 的百分比单元格存的是小数 {value}），请写 {pct}",
         "task {task}: {what}progress is {value}, below 1, which reads as {value}%: "
         "if {pct}% is meant (an Excel percent cell holds the fraction {value}), write {pct}"),
    Code("LS223", _W, "tag listed twice",
         "任务 {task} 的 tags 中标签 {id} 重复列出：请删去重复的一项",
         "task {task} lists tag {id} twice under tags: remove the repeat"),
    Code("LS224", _W, "actual without a target",
         "任务 {task}：{month} 月报写了完成值（actual）{actual}，但任务没有量化目标（target）："
         "完成值无从折算，不计入任何统计；请补上任务的目标值（target 的 value 和 unit），或删去 actual",
         "task {task}: the {month} update has actual {actual} but the task has no numeric "
         "target: the actual counts nowhere; add the task's target (value and unit) or "
         "remove actual"),
    # ---- scheme ---------------------------------------------------------------------
    Code("LS301", _E, "weights do not sum to 100",
         "{what}的下级权重合计为 {total}，应为 100：请调整 weight",
         "the weights under {what} sum to {total}, not 100: adjust the weights"),
    Code("LS302", _E, "checklist points do not add up",
         "评分细项 {item} 的下级分值合计为 {total}，但它本身是 {points} 分：请核对分值",
         "the sub-items of checklist item {item} add up to {total}, but it is worth {points}: "
         "check the points"),
    Code("LS303", _E, "checklist does not sum to 100",
         "指标 {leaf} 的评分细项合计为 {total} 分，应为 100 分：请核对分值",
         "the checklist of {leaf} adds up to {total} points, not 100: check the points"),
    Code("LS304", _E, "grade bands out of order or overlapping",
         "等次 {grade} 的下限 {min} 不低于上一等次 {prev} 的下限 {prev_min}：等次应从高到低排列且互不重叠",
         "grade {grade} starts at {min}, not below {prev} ({prev_min}): "
         "list grades best first without overlaps"),
    Code("LS305", _E, "grade bands leave a gap",
         "最后一个等次 {grade} 的下限是 {min}，低于它的分数没有等次：最后一个等次的 min 应为 0",
         "the last grade {grade} starts at {min}, so lower scores get no grade: "
         "the last min must be 0"),
    Code("LS306", _E, "points range reversed",
         "{kind} {id} 的{range}范围 {min}–{max} 下限大于上限：请改正",
         "{kind} {id} has min {min} above max {max}: correct the range",
         # a bonus category's range says so (`checks.scheme._categories`)
         (("kind", L("负面清单类别", "deduction category")), ("range", L("扣分", "")))),
    Code("LS307", _E, "timeliness and quality do not sum to 100",
         "指标 {leaf} 的时效（timeliness {t}）与质量（quality {q}）之和应为 100",
         "component {leaf}: timeliness {t} and quality {q} must sum to 100"),
    Code("LS308", _E, "component with conflicting definitions",
         "指标 {id}：{problem}",
         "component {id}: {problem}"),
    # ---- records --------------------------------------------------------------------
    Code("LS309", _W, "a unit kind no unit has",
         "{what}写了单位类型 {kind}，但 units.yaml 中没有这种 kind 的单位{hint}："
         "请改正拼写，或给相应单位写上 kind",
         "{what} names kind {kind}, which no unit in units.yaml has{hint}: "
         "correct the spelling or give those units that kind"),
    Code("LS310", _W, "task-scoring key on a component not scored from tasks",
         "指标 {id} 写了 {key}，但它不是 source: tasks 指标，该设置不起作用：请删除，或加上 source: tasks",
         "component {id} sets {key} but is not a source: tasks leaf, so it has no effect: "
         "remove it or add source: tasks"),
    Code("LS311", _E, "assessed unit in no ranking group",
         "单位 {unit}（{name}）参加考核，但不属于任何排名分组（ranking_groups）：请把它的 kind "
         "或 id 加入一个分组",
         "unit {unit} ({name}) is assessed but in no ranking group (ranking_groups): add its "
         "kind or id to one group"),
    Code("LS312", _E, "unit in two ranking groups",
         "单位 {unit} 同时属于排名分组 {first} 和 {second}：每个单位只能属于一个分组",
         "unit {unit} is in ranking groups {first} and {second}: a unit belongs to one group"),
    Code("LS313", _E, "score ceiling below the floor",
         "bonuses.ceiling {ceiling} 低于 deductions.floor {floor}：得分先按下限保底、再按上限封顶，"
         "每个单位都只能得 {ceiling} 分：请把 ceiling 调到不低于 {floor}，或调低 floor",
         "bonuses.ceiling {ceiling} is below deductions.floor {floor}: a score is raised to "
         "the floor and then capped at the ceiling, so every unit would score {ceiling}: "
         "raise the ceiling to at least {floor} or lower the floor"),
    Code("LS314", _W, "quota on the last grade",
         "最后一个等次 {grade} 写了 max_share，但超出名额的单位要顺延到下一等次，最后一个等次之下"
         "没有等次，这个名额不起作用：请删去它，或写在上面的等次",
         "the last grade {grade} has max_share, but a unit over a quota moves to the next "
         "grade and there is none below the last, so the setting has no effect: remove it, "
         "or put the quota on a grade above"),
    Code("LS401", _E, "malformed period",
         "period 的值 {value} 无效：{fix}",
         "period {value} is not valid: {fix}",
         # a period in another form (2024Q1, 2024年一季度): that period (`core.slips`)
         (("fix", L("季度写成 2021-Q2，年度写成 2021，月份写成 \"2024-05\"",
                    "write a quarter as 2021-Q2, a year as 2021 and a month as \"2024-05\"")),)),
    Code("LS402", _E, "period recorded twice",
         "期间 {period} 已在 {first} 中记录：同一期间只能有一个记录文件，请合并",
         "period {period} is already recorded in {first}: keep one record file per period"),
    Code("LS403", _E, "score out of range",
         "{what}的得分 {value} 超出 0–100：请改正",
         "{what}: score {value} is outside 0–100: correct it"),
    Code("LS404", _E, "checklist points out of range",
         "{unit} 的细项 {item} 得分 {value} 超出 0–{points}：请改正",
         "{unit}: item {item} earned {value}, outside 0–{points}: correct it"),
    Code("LS405", _E, "deduction points out of range",
         "{unit} 的扣分 {value} 不在 {category} 的范围 {min}–{max} 内（媒体曝光的加倍另行计算）："
         "请按负面清单的分值填写",
         "{unit}: deduction {value} is outside the {category} range {min}–{max} "
         "(media doubling is applied separately): use the negative list's points"),
    Code("LS406", _E, "date outside the period",
         "{what}日期 {date} 不在期间 {period} 内：请移到对应期间的记录中",
         "{what} date {date} is outside the period {period}: move it to that period's record"),
    Code("LS407", _W, "missing scores",
         "期间 {period}：{unit} 缺少 {leaves} 的得分：计分时按 0 分计算并列为缺失，请补上",
         "period {period}: {unit} has no score for {leaves}: scoring counts it as 0 and "
         "lists it as missing; add it"),
    Code("LS408", _W, "checklist item without points",
         "期间 {period}：{unit} 的指标 {leaf} 缺少细项 {items} 的得分，按 0 分计算",
         "period {period}: {unit} has no points for {items} of {leaf}; they count as 0"),
    Code("LS409", _W, "task quality missing",
         "期间 {period}：任务 {task} 没有{whose}质量评分（quality），按 0 分计算",
         "period {period}: task {task} has no quality score{whose}; it counts as 0"),
    Code("LS410", _E, "score given in the wrong place",
         "{what}：{problem}",
         "{what}: {problem}"),
    Code("LS411", _W, "record outside the ledger year",
         "期间 {period} 不在台账年度 {year} 内：请移到对应年度的台账",
         "period {period} is outside the ledger year {year}: move it to that year's ledger"),
    Code("LS412", _W, "unit scored in no record",
         "单位 {unit}（{name}）{why}，不参加排名：{fix}",
         "unit {unit} ({name}) {why} and is left out of the ranking: {fix}",
         # a scheme whose every leaf is `source: tasks` scores no unit in a record (that
         # is LS410): `checks.records.unassessed_units` passes why and fix for it
         defaults=(("why", L("在所有考核记录中都没有得分", "is scored in no record")),
                   ("fix", L("请在记录中为它打分，或在 units.yaml 中写明 assessed: false"
                             "（不参加考核）",
                             "score it, or mark it assessed: false in units.yaml")))),
    # ---- change control -------------------------------------------------------------
    Code("LS413", _E, "bonus points out of range",
         "{unit} 的加分 {value} 不在加分类别 {category} 的范围 {min}–{max} 内：请按考核办法的分值填写",
         "{unit}: bonus {value} is outside the {category} range {min}–{max}: "
         "use the points the scheme allows"),
    Code("LS414", _E, "deduction restored before it was made",
         "{unit} 的预扣分（{date}）返还日期 {restored} 不晚于扣分日期：返还应在扣分之后，请核对日期",
         "{unit}: the provisional deduction of {date} is restored on {restored}, not after "
         "it was made: check the dates"),
    Code("LS415", _W, "restored on a deduction that is not provisional",
         "{unit} 的扣分（{date}）写了 restored，但没有 provisional: true，返还不起作用："
         "预扣分请加 provisional: true",
         "{unit}: the deduction of {date} has restored but not provisional: true, so it is "
         "not given back: add provisional: true to a provisional deduction"),
    Code("LS416", _E, "unknown bonus category",
         "{what}引用了不存在的加分类别 {id}{hint}：{fix}",
         "{what} names unknown bonus category {id}{hint}: {fix}",
         # a category's name written for its id: the id to write (`checks.refs.Hints`)
         (("fix", L("请对照 scheme.yaml 的 bonuses 改正", "check it against bonuses in scheme.yaml")),)),
    Code("LS423", _W, "flag kind no rule reads",
         "期间 {period}：{unit} 的标记种类 {kind} 不是 red_flag（红旗）或 yellow_card（黄牌），"
         "考核办法也没有规则读它{rules}，这个标记不起作用{hint}：请改正种类，或在 scheme.yaml 的 "
         "rules 中用 when: {{flag: {kind}}} 写明它的作用",
         "period {period}: {unit}: flag kind {kind} is neither red_flag nor yellow_card and "
         "no rule of the scheme reads it{rules}, so the flag has no effect{hint}: correct "
         "the kind, or give it a rule in scheme.yaml (when: {{flag: {kind}}})"),
    Code("LS417", _W, "score for a component that does not apply",
         "期间 {period}：按 scheme.yaml 的 applies_to，指标 {leaf} 不考核 {unit}，这个得分不计入："
         "请删去，或把该单位（或其类别）加入{holder}的 applies_to（{first}）",
         "period {period}: by applies_to in scheme.yaml, component {leaf} does not assess "
         "{unit}, so this score is not counted: remove it, or add the unit (or its kind) to "
         "the applies_to of {holder} ({first})"),
    Code("LS418", _W, "checklist points for a component written n/a",
         "期间 {period}：{unit} 的指标 {leaf} 在 scores: 下写为不适用（n/a），这里的细项得分不计入："
         "请删去细项得分，或删去 n/a 按细项计分",
         "period {period}: {leaf} is written n/a for {unit} under scores:, so these "
         "checklist points are not counted: remove them, or remove the n/a to score the "
         "checklist"),
    Code("LS419", _W, "score for a unit that is not assessed",
         "期间 {period}：units.yaml 写明 {unit} 不参加考核（assessed: false），这个得分不计入："
         "请删去，或删去该单位的 assessed: false",
         "period {period}: units.yaml marks {unit} as not assessed (assessed: false), so "
         "this score is not counted: remove it, or remove the unit's assessed: false"),
    Code("LS420", _W, "task quality for a unit the task does not count for",
         "期间 {period}：{why}，这个质量评分不计入：请删去{fix}",
         "period {period}: {why}, so this quality score is not counted: remove it{fix}"),
    Code("LS421", _W, "task quality in a period the task is not scored in",
         "期间 {period}：任务 {task} {why}，本期不按它计分，这个质量评分不计入：请删去{fix}",
         "period {period}: task {task} {why}, so it is not scored in the period and this "
         "quality score is not counted: remove it{fix}"),
    Code("LS422", _W, "task quality in a record no component reads it from",
         "期间 {period}：考核办法中没有{every}考核、按任务计分（source: tasks）的指标，"
         "quality: 下的任务质量评分都不计入：请删去{fix}",
         "period {period}: no component of the scheme assessed {every} is scored from "
         "tasks (source: tasks), so no task quality under quality: is counted: remove "
         "them{fix}"),
    Code("LS424", _W, "deduction or bonus for a unit that is not assessed",
         "期间 {period}：units.yaml 写明 {unit} 不参加考核（assessed: false），这条{what}不计入"
         "得分，通报也不计入合计：请删去，或删去该单位的 assessed: false",
         "period {period}: units.yaml marks {unit} as not assessed (assessed: false), so "
         "this {what} is counted in no score nor in the bulletin's totals: remove it, or "
         "remove the unit's assessed: false"),
    Code("LS501", _E, "locked task changed without approval",
         "任务 {task} 已锁定，其 {field} 自 {base} 以来被修改，但没有新的 adjustments 记录："
         "请添加 {{date, field: {field}, approved_by, reason}}",
         "task {task} is locked and its {field} changed since {base} without a new "
         "adjustments entry: add {{date, field: {field}, approved_by, reason}}"),
    Code("LS502", _E, "locked task deleted",
         "已锁定的任务 {task}（{name}）自 {base} 以来被删除：锁定的任务不能删除，请恢复或先解锁并经审批",
         "locked task {task} ({name}) was deleted since {base}: restore it, "
         "or unlock it with approval first"),
    Code("LS503", _E, "approval record changed",
         "任务 {task} 的审批记录（adjustments 第 {n} 条，{date}）自 {base} 以来被修改或删除："
         "审批记录只能追加、不能改动，否则改动后的记录会被当作一次新的审批；请恢复原记录，"
         "新的调整请另加一条",
         "task {task}'s approval record (adjustments entry {n}, {date}) was changed or "
         "removed since {base}: the record only grows — an edited entry would count as a "
         "new approval; restore it, and add a new entry for a new change"),
    Code("LS504", _E, "approval dated in the future",
         "任务 {task}：adjustments 审批记录的日期 {date} 晚于检查日期 {as_of}：不能登记未来的审批，"
         "这条记录不算审批；请改正日期",
         "task {task}: an adjustments entry is dated {date}, after the as-of date {as_of}: an "
         "approval cannot be recorded ahead of time, and this one approves nothing; correct "
         "the date"),
    Code("LS505", _E, "a task file at the base could not be read",
         "{base} 时的这个文件无法读取，变更管控无法把{what}与现在比较（不能当作“没有锁定任务”）："
         "{why}",
         "this file as it was at {base} could not be read, so change control cannot compare "
         "{what} with their versions now (it is not taken as \"nothing was locked\"): {why}",
         defaults=(("what", L("其中锁定的任务", "the locked tasks it may hold")),)),
    Code("LS506", _E, "locked task not found where the files could be read",
         "{base} 时已锁定的任务 {task}（{name}）不在现在任何能读取的任务文件中，而 {files} 无法读取："
         "变更管控无法比较它（它可能就在其中）；请先修正该文件",
         "task {task} ({name}), locked at {base}, is in none of the task files that could "
         "be read now, and {files} could not be read: change control cannot compare it (it "
         "may be in there); fix that file first"),
    Code("LS507", _E, "a task at the base could not be read whole",
         "任务 {task} 在 {base} 时没有完整读出（{fields} 无法读取）：变更管控无法判断它是否锁定、"
         "这些字段是否被修改（不能当作“未锁定”或“未修改”）；请先在单独的提交中修正它在 {base} 时的"
         "写法，或由审核人核对后对这一次加 --ignore LS507",
         "task {task} could not be read whole at {base} ({fields} did not read): change "
         "control cannot tell whether it was locked or whether those fields changed (it "
         "is not taken as \"not locked\" or \"unchanged\"); fix how it is written at "
         "{base} in a change of its own, or have a reviewer check it and run this once "
         "with --ignore LS507"),
    # ---- reporting rhythm -----------------------------------------------------------
    Code("LS601", _W, "monthly report overdue",
         "任务 {task}：{latest}，{as_of} 时应已报送 {expected} 的进展：请督促 {lead} 报送",
         "task {task}: {latest}; by {as_of} the {expected} report was due: remind {lead} "
         "to report"),
    # ---- the supervision loop (SPEC §12) ----------------------------------------------
    Code("LS701", _E, "rectification dates out of order",
         "整改 {id}：{what} {when} 早于立项日期 {opened}：请改正日期",
         "rectification {id}: {what} {when} is before it was opened on {opened}: "
         "correct the date"),
    Code("LS702", _W, "rectification overdue",
         "整改 {id}（{unit}）：整改期限 {due} 已过 {days} 天仍未销号：请督促整改并登记 closed，或经批准延期",
         "rectification {id} ({unit}): due {due}, still open {days} later: follow it up "
         "and record closed, or extend the deadline with approval"),
    Code("LS703", _E, "rectification closed without approver",
         "整改 {id}：销号记录缺少审批人 approved_by：整改销号须经领导审批，请补上",
         "rectification {id}: the closed block lacks approved_by: closing a rectification "
         "needs an approver"),
    Code("LS704", _E, "dated in the future (supervision, a deduction's return)",
         "{what} {when} 晚于检查日期 {as_of}：不能登记未来的事项，请改正日期",
         "{what} {when} is after the as-of date {as_of}: nothing can be recorded ahead "
         "of time; correct the date"),
    Code("LS705", _W, "rectification closed before its written report",
         "整改 {id}：销号日期 {closed} 早于书面报告日期 {report}：应先收到书面报告再审批销号，请核对两个日期",
         "rectification {id}: closed on {closed}, before its written report of {report}: "
         "a rectification is closed after its report comes in; check both dates"),
    Code("LS706", _W, "supervision entry outside the ledger year",
         "{what} {when} 不在台账年度 {year} 内：请改正日期，或登记到对应年度的台账",
         "{what} {when} is outside the ledger year {year}: correct the date, or record it "
         "in that year's ledger"),
    Code("LS707", _W, "rectification or interview names a task its unit has no part in",
         "{what}：{role} {unit} 不是任务 {task} 的牵头、责任或配合单位（牵头单位：{lead}）："
         "请核对{role}和任务编号",
         "{what}: {unit} neither leads, shares nor cooperates on task {task} "
         "(lead: {lead}): check {role} and the task id"),
    Code("LS708", _W, "task listed twice",
         "{what}的 tasks 中任务 {task} 重复列出：请删去重复的一项",
         "{what} lists task {task} twice under tasks: remove the repeat"),
    Code("LS709", _W, "interview recorded twice",
         "{what}重复登记（第一次登记于 {first}）：同一单位同一天的同类约谈是一次约谈（约谈人、事由或任务"
         "不同的除外），重复的一条会在通报中多计一次，请删去",
         "{what} is recorded twice (first at {first}): one talk with a unit on one day is "
         "one interview (unless another interviewer, matter or task is named), and the "
         "repeat counts again in the bulletin; remove it"),
    Code("LS710", _W, "rectification from an interview the ledger does not record",
         "整改 {id}：来源为约谈（source: interview），但台账中没有 {unit} 在 {opened} 或之前的约谈："
         "请在 interviews 中登记该次约谈，或改正 source",
         "rectification {id}: its source is an interview, but the ledger records no "
         "interview of {unit} on or before {opened}: record the interview under "
         "interviews, or correct source"),
    Code("LS711", _W, "interview follows a ranking outside the ledger year",
         "{what}所依排名的期间 period {period} 不在台账年度 {year} 内：约谈登记在其排名所在年度的台账中，"
         "请改正 period，或把这次约谈登记到 {period_year} 年度的台账",
         "{what} follows the ranking of {period}, outside the ledger year {year}: an "
         "interview is recorded in its ranking's ledger; correct period, or record it in "
         "the {period_year} ledger"),
    Code("LS712", _W, "interview dated before the ranking it follows",
         "{what}的日期 {when} 不晚于所依排名期间 {period} 的最后一天 {end}：排名在期间结束后才作出，"
         "约谈不能早于排名，请核对日期和 period",
         "{what} is dated {when}, not after {end}, the last day of the ranked period "
         "{period}: a ranking is made after its period ends, and its interview after "
         "that; check the date and period"),
    Code("LS713", _W, "interview follows a ranking the scheme does not make",
         "{what}所依的 period {period} 是{kind}排名，但考核办法不作{every}排名（只作{ranks}排名）："
         "应约谈不会把这次约谈算作任何排名的约谈，{fix}",
         "{what} follows the ranking of {period}, a {kind}, but the scheme makes no {every} "
         "ranking (it ranks {ranks}): status's To interview list counts this talk for no "
         "ranking; {fix}"),
]

CODES: dict[str, Code] = {c.code: c for c in _ALL}
#: the codes whose message holds a command naming the finding's file: `{shfile}` is
#: the file as a shell word (`safetext.shell_path`), so the command runs as pasted
SHELL_FILE = frozenset(c.code for c in _ALL if "{shfile}" in c.zh + c.en)
#: the warnings about a value a record gives that no score reads (a score for a unit
#: `assessed: false`, a task quality the leaf's `credit` does not count, ...): `score`
#: and `bulletin` say so on stderr too (`api.unread_values`), not only `validate` —
#: the clerk who scores a quarter believes every figure typed counted
UNREAD_VALUES = frozenset({"LS417", "LS418", "LS419", "LS420", "LS421", "LS422",
                           "LS423", "LS424"})


#: a run of digits longer than this is shown by its ends and its length
_LONG_DIGITS = 40


def _short_numbers(text: str, lang: str) -> str:
    """A 10,000-digit number written in a ledger is quoted in its finding by its first
    and last digits and its length: the message stays one readable line, and the
    position (file:line:col) still leads to the whole number."""
    import re

    def cut(m: re.Match[str]) -> str:
        d = m.group(0)
        return (f"{d[:12]}…{d[-4:]}（共 {len(d)} 位）" if lang != "en"
                else f"{d[:12]}…{d[-4:]} ({len(d)} digits)")

    return re.sub(rf"\d{{{_LONG_DIGITS + 1},}}", cut, text)


def render(code: str, params: dict[str, str | L], lang: str) -> str:
    """The message of `code` in `lang` with `params` filled in."""
    entry = CODES[code]
    template = entry.en if lang == "en" else entry.zh
    if entry.defaults:
        params = {**dict(entry.defaults), **params}
    values = {k: (v.en if lang == "en" else v.zh) if isinstance(v, L) else v
              for k, v in params.items()}
    for k, v in values.items():
        if isinstance(v, str) and len(v) > _LONG_DIGITS:
            values[k] = _short_numbers(v, lang)
    try:
        return template.format(**values)
    except (KeyError, IndexError):  # a missing parameter must never crash a report
        return template + " " + str(params)


def markdown_table() -> str:
    """The findings table of docs/REFERENCE.md, generated so that it cannot drift."""
    rows = ["| code | severity | what | message (en) |", "|---|---|---|---|"]
    for c in _ALL:
        msg = c.en
        for key, text in c.defaults:
            msg = msg.replace("{" + key + "}", text.en)
        msg = msg.replace("{shfile}", "{file}")  # the same name, quoted where it needs it
        msg = msg.replace("|", "\\|").replace("{{", "{").replace("}}", "}")
        rows.append(f"| {c.code} | {c.severity} | {c.title} | {msg} |")
    return "\n".join(rows)


if __name__ == "__main__":  # pragma: no cover - a maintenance helper
    print(markdown_table())
