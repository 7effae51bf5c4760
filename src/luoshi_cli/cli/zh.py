"""Chinese help and Click's own messages (issue 18: a clerk's CLI is Chinese first).

The help texts live in one table here rather than in each decorator: the table is
applied to the built Click command (`localize`), and a test walks every command and
option so that one added later without a Chinese text is caught.  Keys are an
option's parameter name, optionally qualified by the command path
(`"score.explain"` wins over `"explain"`).  Click's errors (vendored in typer) are
English strings without gettext: `usage_error` renders a `UsageError` in Chinese by
matching its few message shapes."""

from __future__ import annotations

import re
from typing import Any

#: what each command does (the first paragraph of its help), by command path
COMMANDS: dict[str, str] = {
    "": "落实 luoshi — 以 YAML 形式保存在 git 中的任务台账：校验、进度、考核得分、通报。",
    "validate": "检查台账：YAML、字段、引用、任务、考核方案、考核记录。\n\n"
                "无错误时退出码 0；有错误（或加 --strict 时有警告）为 1；"
                "命令无法运行（找不到台账、参数有误）为 2。",
    "init": "在目录 DIR 中新建台账（内置示例，默认渭南 2021；或用 --year、--blank 新建某一年度的台账）。"
            "\n\n同时写入编辑器用的 schema（.luoshi/schema）和 .vscode/settings.json，"
            "VS Code 可据此补全字段和单位、领导代码。",
    "status": "截至某日的进度汇总与红黄灯（序时进度、红灯/黄灯）。\n\n"
              "输出报告时退出码 0；台账有错误为 1；参数有误为 2。",
    "score": "被考核单位的考核得分、等次、排名。\n\n"
             "输出结果时退出码 0；台账有错误或无法计分（无考核方案、按月计分而考核办法没有按月考核的指标、"
             "该期无考核记录、缺季度而未加 --partial）为 1；参数有误为 2。",
    "bulletin": "生成通报：进度、红黄灯名单、排名、标记、扣分。\n\n"
                "--month YYYY-MM：按月末进度，考核办法有按月考核的指标且有当月记录时附当月得分；"
                "--quarter Qn：按季末进度，台账有考核方案和记录时附该季得分。--as-of 可另定日期。"
                "输入相同，输出逐字节相同。",
    "diff": "两个版本之间有何变化（按业务口径）：新增、删除、销号的任务；状态、灯色、进度的变化；"
            "节点调整（是否经审批）；约谈、整改的增删与变化；units.yaml 中单位与领导的增删与变化；"
            "luoshi.yaml 中类别与标签的增删与变化；考核办法（scheme.yaml）中考核项目、等次、排名分组、"
            "扣分类别、加分类别、考核规则的增删与变化及办法设置的修改；考核记录中扣分、加分、标记的"
            "增删与变化；各单位得分、等次、排名（分组排名时注明分组）的前后对比及原因。",
    "schema": "生成台账文件的 JSON Schema（draft-07），供编辑器补全与检查。\n\n"
              "每个字段都有说明；在台账目录中运行时，单位、领导、类别、标签等字段列出本台账的"
              "代码和名称，输入 lead: 即可按名称选择单位。",
    "export": "把台账导出为 Excel 工作簿：任务台账（打印用：灯色、序时进度，红黄行高亮）、"
              "任务明细（节点、标准、最新进展等其余各列）、汇总、约谈登记和整改台账（台账有督办文件时）、各考核期的得分表；"
              "英文台账（language: en）或 --lang en 时表名和表头为英文（Tasks、Task details、Summary、"
              "Interviews、Rectifications、Scores）。任务表可用 luoshi import tasks 读回。",
    "rollup": "多台账汇总：合计，按台账、类别、分组、牵头单位汇总，以及红灯名单（DuckDB 计算）。\n\n"
              "各台账的数字与其 luoshi status 一致：不给 --as-of 时各按自己的默认日期判断，"
              "年度不同的台账须用 --as-of 给出同一日期。",
    "import": "导入 Excel 表：任务台账（tasks）、考核得分（scores）或各单位的月度填报（updates）。",
    "import.updates": "读回各单位的月度填报表：该月进展（进度、进展、存在问题）、节点完成日期和状态，"
                      "原处写入任务文件。\n\n按隐藏的任务编号对应各行。历史、标记、锁定和调整记录从不改动；"
                      "不属于该单位填报的单元格被列出而不导入；重复导入同一文件不改变任何内容。有问题时退出码 1。",
    "hook": "检查暂存区中的台账（pre-commit 钩子）：每个改动文件所属的台账，按 git 暂存区的内容检查。\n\n"
            "暂存的台账都没有错误时退出码 0；有错误（或加 --strict 时有警告）为 1；"
            "无法检查（不在 git 仓库中、参数有误）为 2。"
            "只有给出 --base 时才检查变更控制（已锁定的任务）：随附的钩子写作 `args: [--base, HEAD]`。",
    "supervise": "输出某单位的督办单：其红灯、黄灯任务，未报送的月报，未完成的整改及期限，以及即将到期的节点。"
                 "\n\n输出督办单时退出码 0；台账有错误为 1；参数有误为 2。",
    "import.tasks": "把台账表读入 tasks/imported.yaml（台账格式 v1）。表头按常用名称识别"
                    "（序号、任务名称、牵头单位、责任单位、包抓领导、完成时限、完成标准、进展情况…），"
                    "单位和领导按名称对应 units.yaml。有任何单元格无法转换时不写文件。",
    "import.scores": "把得分表（单位 × 考核项）读入 records/PERIOD.yaml（季度、年度或月份）。行为单位（名称或代码），"
                     "列为 scheme.yaml 的末级考核项（名称或代码）。",
}

#: option and argument help, by parameter name or "command.name"
OPTIONS: dict[str, str] = {
    "version": "显示版本号并退出。",
    "color": "颜色：auto（终端中着色；设了 NO_COLOR 则不着色，FORCE_COLOR 强制着色）、"
             "always 或 never。",
    "install_completion": "为当前 shell 安装命令补全。",
    "show_completion": "显示当前 shell 的补全脚本，可复制或自行安装。",
    "help": "显示本帮助并退出。",
    "ledger": "台账根目录（默认：向上最近的含 luoshi.yaml 的目录）。",
    "schema.ledger": "台账根目录（决定默认输出目录）。",
    "as_of": "判断所依据的日期，YYYY-MM-DD（默认：今天与台账年度末中较早的一天）。",
    "bulletin.as_of": "判断进度所依据的日期，YYYY-MM-DD（默认：通报期末）。",
    "lang": "zh 或 en（默认：台账 luoshi.yaml 中的 language，未写则为 zh）。",
    "init.lang": "zh 或 en：提示信息和新台账的语言（en 写出英文的新年度台账）。",
    "luoshi.lang": "zh 或 en：其后命令的语言（命令自己的 --lang 优先）。",
    "import.lang": "zh 或 en：其后命令的语言（命令自己的 --lang 优先）。",
    "schema.lang": "zh 或 en：字段说明的语言（默认：LUOSHI_LANG，否则台账的语言，否则 zh）。",
    "schema.generic": "不列出本台账的单位、领导、类别和标签代码（得到任何台账都可用的 schema）。",
    "schema.vscode": "同时在台账的 .vscode/settings.json 中登记这些 schema（yaml.schemas），"
                     "与 luoshi init 相同；已有的文件只合并，不覆盖。",
    "init.year": "不用示例，写出该年度的空白台账：单位、类别、该年内的任务和序时节点、考核办法；"
                 "尚无月度进展和考核记录。",
    "init.blank": "只写 luoshi.yaml、units.yaml 和一个示例任务，每个字段都有中文注释"
                  "（年度默认今年，可用 --year 指定）。",
    "rev": "读取该 git 版本（标签、分支或提交）中的台账。",
    "validate.format": "text（默认）、json、github（工作流命令）或 sarif（SARIF 2.1.0，代码扫描用）。",
    "validate.strict": "警告也算失败（退出码 1）。",
    "validate.base": "变更控制：与该 git 版本（如 origin/main）比较已锁定的任务；"
                     "改动而无新的 adjustments 记录即为错误。",
    "validate.staged": "检查 git 暂存区中的台账（即提交时会记录的内容），而不是工作区。",
    "hook.files": "改动的文件（pre-commit 传入暂存的文件）：每个文件所属的台账检查一次；"
                  "不写时检查当前目录下的所有台账。",
    "hook.strict": "警告也算失败（退出码 1）。",
    "hook.base": "同时检查变更控制：把每本暂存的台账中已锁定的任务与该 git 版本（如 HEAD 或 "
                 "origin/main）比较，与 validate --staged --base 相同。",
    "validate.no_cache": "重新解析所有文件：不读也不写 .luoshi-cache/（也可设 LUOSHI_NO_CACHE=1）。",
    "validate.select": "只报告这些检查代码或前缀，逗号分隔或重复给出（LS1、LS105；ALL 为全部）。",
    "validate.ignore": "不报告这些检查代码或前缀（LS6、LS105）。",
    "init.path": "新台账所在目录（须为空）。",
    "init.example": "weinan（默认：渭南 2021 考核办法，台账格式 v1）或 beilin（碑林式考核办法 v2："
                    "分类排名、责任单位按任务计分、加分、不适用）。",
    "status.by": "只显示这一种汇总：category、lead、leader、group、unit 或 tag。",
    "status.light": "任务清单中只列这种灯色的任务：red、yellow 或 green。",
    "status.unit": "只看该单位（代码或名称）牵头或参与的任务。",
    "status.format": "table（默认）、json（SPEC §5）或 csv。",
    "quarter": "季度：Q1..Q4（或 1..4）。",
    "bulletin.quarter": "季度通报：Q1..Q4（配合 --year）。",
    "score.annual": "年度得分：季度考核项取四个季度的平均，加年度考核项；计入全年扣分。",
    "partial": "配合 --annual（或有按月考核项时的 --quarter）：缺某季度、某月或年度记录时按已有"
               "记录计分，输出注明缺哪些。",
    "export.partial": "按已有季度计算年度得分（同 luoshi score）。",
    "year": "年度（默认：台账的年度）。",
    "score.format": "table（默认）、json（SPEC §4）或 csv（带 BOM 的 UTF-8，供 Excel）。",
    "score.explain": "说明该单位（代码或名称）得分的构成：权重、各项得分、贡献、扣分、规则。",
    "month": "月度通报：YYYY-MM。",
    "import.tasks.month": "该表所报的月份，YYYY-MM：每行的进度和进展情况记为该月的进展。",
    "bulletin.format": "md（默认）、html（单个可打印的文件）、docx（Word；需 python-docx：在 luoshi "
                       "的源码目录中运行 pip install '.[docx]'）或 pdf（需 Chromium）；"
                       "默认按 -o 的扩展名。",
    "output": "写入该文件（原子写入），而不是标准输出（-o - 即标准输出）。",
    "bulletin.template": "用这个 Jinja 模板文件代替默认模板。",
    "bulletin.edition": "internal（全部内容）或 public（不含完整排名和扣分明细）。",
    "bulletin.dump_template": "把默认模板写入目录 DIR 供修改，然后退出。",
    "diff.revs": "比较 git 版本 REV1 与 REV2（默认：工作区）中的台账，也可写 REV1..REV2；"
                 "LEDGER：台账根目录。",
    "diff.format": "text（默认）、md（拉取请求评论）或 json。",
    "schema.output": "写入 <kind>.schema.json 的目录（默认：台账的 .luoshi/schema，与 luoshi init 一致）；"
                     "与 --kind 一起时 - 表示标准输出。",
    "schema.kind": "只生成这一类文件的 schema；不加 -o 时输出到标准输出。",
    "export.output": "要写入的 .xlsx 文件（--format parquet 时为目录）。",
    "export.format": "xlsx（默认）或 parquet：每类实体一张表，写入 -o 目录，"
                     "供 DuckDB、Spark 或 BI 工具使用（需 pyarrow：在 luoshi 的源码目录中运行 "
                     "pip install '.[rollup]'）。",
    "export.name": "Parquet：ledger 列中的台账名称（默认：台账目录名）。",
    "rollup.ledgers": "各台账根目录；加 --from-parquet 时为 luoshi export --format parquet 写出的目录。",
    "rollup.from_parquet": "参数是 Parquet 导出目录而不是台账（可扩展的做法：各台账就地导出，再汇总文件）。",
    "rollup.by": "只显示这一种汇总：ledger、category、group 或 lead（CSV 默认 ledger）。",
    "rollup.format": "table（默认）、json 或 csv。",
    "workbook": "要读取的 .xlsx 工作簿。",
    "sheet": "工作表（默认：第一个能识别表头的）。",
    "map_file": "指定各字段表头的 YAML 文件（title: 重点工作, …; header_row: 3）。",
    "import.output": "要写入的 YAML 文件。",
    "import.tasks.output": "要写入的 YAML 文件。",
    "import.scores.output": "要写入的 YAML 文件。",
    "category": "表中未分类任务的类别（代码或名称）。",
    "start": "无开始日期的任务所用的开始日期（默认：台账年度的 1 月 1 日）。",
    "prefix": "生成的任务编号的前缀。",
    "import.tasks.force": "输出文件已存在时覆盖它。",
    "import.scores.force": "输出文件已存在时导入其中：只改表中涉及的单位 × 列，记录的其余部分保留。",
    "period": "考核期：YYYY-Qn、YYYY，或 YYYY-MM（月度，考核办法有按月考核的指标时）。",
    "replace": "用表中得分替换整个已有记录；被删掉的内容逐项列出。",
    "dry_run": "只列出将要改动的内容，不写文件。",
    "bulletin.half": "半年通报：H1 或 H2（配合 --year）。",
    "bulletin.annual": "年度通报：全年排名、等次、一票否决和扣分。",
    "bulletin.unit": "该单位（一单位一通报）本期的通知：其任务、灯色、得分与名次（单位代码或名称）。",
    "bulletin.doc_no": "文号，如 碑督通〔2024〕5号（默认：luoshi.yaml 的 doc_no，{year} 取成文日期的年份，{n} 取 --issue）。",
    "bulletin.issue": "期号 N（第N期；luoshi.yaml 中 doc_no 的 {n}）。",
    "bulletin.signed": "成文日期，YYYY-MM-DD（默认：数据截止日）。",
    "bulletin.allow_other_year": "允许台账年度以外的期间。",
    "bulletin.allow_missing": "有得分缺失时仍排名（通报中注明）。",
    "export.per_unit": "在 -o 目录中为每个牵头/责任单位各写一个工作簿：其任务和本月待填列（其余锁定），"
                       "英文台账或 --lang en 时为英文表；用 luoshi import updates 读回（中英文表均可）。",
    "export.month": "--per-unit：填报的月份，YYYY-MM（默认：截止日所在月；截止日已过台账年度时为该年度最后一个月）。",
    "export.force": "--per-unit：覆盖 -o 目录中与本次导出不同的工作簿（如单位交回、尚未导入的表）。",
    "score.month": "考核的月份（YYYY-MM），用于含月度考核项（cadence: monthly）的考核办法。",
    "import.scores.merge": "导入已有记录（默认）：只改表中涉及的单位 × 列，记录的其余部分保留。",
    "import.updates.workbooks": "各单位交回的工作簿（luoshi export --per-unit 生成）。",
    "import.updates.ledger": "台账目录（默认：当前目录所在的台账）。",
    "import.updates.month": "所报月份，YYYY-MM（默认：导出该表时的月份）。",
    "import.updates.dry_run": "只显示将写入的改动，不写文件。",
    "supervise.unit": "督办单发给的单位（代码或名称）。",
    "supervise.format": "md（默认）或 html（单个自包含、可打印的文件）；默认按 -o 的扩展名。",
}


def help_lang(argv: list[str]) -> str:
    """The language of help: `--lang` on the command line, else LUOSHI_LANG, else
    Chinese (no ledger is read for help).  Usage errors without `--lang` are told in
    the language of the command's ledger, when it declares one (`_usage_lang`)."""
    given = _given_lang(argv)
    if given is not None:
        return given
    from .ui import env_lang

    return env_lang()


def _given_lang(argv: list[str]) -> str | None:
    """The `--lang` of the command line (anything but en is zh), None without one."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1].strip().lower() == "en" else "zh"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1].strip().lower() == "en" else "zh"
    return None


def _usage_lang(command: Any, ctx: Any, args: list[str]) -> str | None:
    """The language of a usage error of `command` (its arguments `args`): its `--lang`,
    or the one given before it (`luoshi --lang en status …`), else as `ui.lang_of`
    says once the command runs — the `language:` of its LEDGER (argument or
    `--ledger`, read from `args` as Click's parser splits them, before any value is
    checked; none given: the nearest luoshi.yaml upwards), else LUOSHI_LANG, else zh.
    None for a command that reads no ledger (`init`, `hook`, `rollup`, a group): its
    help's language stands."""
    from .ui import LANG_CHOICE, env_lang, ledger_language

    given = _given_lang(list(args)) or (LANG_CHOICE[-1] if LANG_CHOICE else None)
    if given is not None:
        return given
    names = {p.name for p in command.params}
    if "ledger" not in names and "revs" not in names:
        return None
    ledger = None
    if "ledger" in names:
        try:
            opts = command.make_parser(ctx).parse_args(args=list(args))[0]
            ledger = opts.get("ledger")
        except Exception:  # the parser's own refusal (no such option): the nearest ledger
            ledger = None
    return ledger_language(ledger) or env_lang()


def option_help(path: str, name: str) -> str | None:
    """The Chinese help of parameter `name` of command `path` (most specific first;
    `luoshi` itself, path "", is `luoshi.NAME`)."""
    if not path and f"luoshi.{name}" in OPTIONS:
        return OPTIONS[f"luoshi.{name}"]
    parts = path.split(".") if path else []
    for i in range(len(parts), -1, -1):
        key = ".".join([*parts[:i], name])
        # a group's own option (`luoshi import --lang`) is not its commands' option of
        # the same name (`import tasks --lang`: the language of that command)
        if key in OPTIONS and (i == len(parts) or key not in _GROUP_ONLY):
            return OPTIONS[key]
    return None


#: options of a group (`luoshi import --lang …`) whose text its commands do not share
_GROUP_ONLY = frozenset({"import.lang"})


def commands(command: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every command below `command` (itself first), with its dotted path."""
    found = [(path, command)]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found.extend(commands(sub, f"{path}.{name}" if path else name))
    return found


def localize(command: Any) -> None:
    """Put the Chinese texts into the built Click command tree, in place."""
    _chinese[0] = True
    for path, cmd in commands(command):
        if path in COMMANDS:
            cmd.help = COMMANDS[path]
            # Click shortens at ". " and spaces, which Chinese has not: the first clause
            cmd.short_help = re.split(r"[。：\n]", COMMANDS[path], maxsplit=1)[0]
        _help_option_in_chinese(cmd)
        for param in cmd.params:
            text = option_help(path, param.name or "")
            if text is not None and hasattr(param, "help"):
                param.help = text
    _patch_formatter()


def _help_option_in_chinese(cmd: Any) -> None:
    """Click makes the -h/--help option when help is formatted, with English help."""
    make = cmd.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = make(ctx)
        if option is not None:
            option.help = OPTIONS["help"]
        return option

    cmd.get_help_option = get_help_option


_patched: list[bool] = []
#: whether Click's own words (headings, usage, errors, "[default: …]") are Chinese: set
#: by `localize`, unset by `english` — one process may serve both (a test, a library)
_chinese: list[bool] = [False]


def english() -> None:
    """Click's own words in English again (the command was built with `--lang en`);
    a usage error is still told in its ledger's language (`_usage_lang`)."""
    _chinese[0] = False
    _patch_formatter()


#: the words typer adds after an option's help, through gettext ("[default: table]")
_EXTRAS = {"default: {default}": "默认：{default}", "required": "必填"}


def _click(module: str) -> Any:
    """Click's `module` as typer uses it: typer 0.28 carries its own copy
    (`typer._click`); older typer (≥ 0.20, the lower bound) imports Click itself."""
    import importlib

    try:
        return importlib.import_module(f"typer._click.{module}")
    except ModuleNotFoundError:
        return importlib.import_module(f"click.{module}")


def _patch_formatter() -> None:
    """Click's help headings ("Usage:", "Options:", "Commands:", "Arguments:") in Chinese."""
    if _patched:
        return
    _patched.append(True)
    formatting = _click("formatting")

    write_usage = formatting.HelpFormatter.write_usage
    write_heading = formatting.HelpFormatter.write_heading
    headings = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}

    def usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None and _chinese[0]:
            prefix = "用法："
        write_usage(self, prog, args, prefix)

    def heading(self: Any, text: str) -> None:
        write_heading(self, headings.get(text, text) if _chinese[0] else text)

    formatting.HelpFormatter.write_usage = usage
    formatting.HelpFormatter.write_heading = heading

    exceptions = _click("exceptions")
    show_english = exceptions.UsageError.show

    def show(self: Any, file: Any = None) -> None:
        import sys

        chinese = _chinese[0]
        lang = getattr(self, "luoshi_lang", None)
        if lang is not None:  # the ledger's language (`_usage_lang`)
            _chinese[0] = lang == "zh"
        try:
            if not _chinese[0]:
                show_english(self, file)
                return
            (file or sys.stderr).write(usage_error(self))
        finally:
            _chinese[0] = chinese

    exceptions.UsageError.show = show

    core_module = _click("core")
    parse_args = core_module.Command.parse_args

    def parse_in_ledger_language(self: Any, ctx: Any, args: list[str]) -> list[str]:
        given = list(args)
        try:
            return parse_args(self, ctx, args)  # type: ignore[no-any-return]
        except exceptions.UsageError as exc:
            exc.luoshi_lang = _usage_lang(self, ctx, given)
            raise

    core_module.Command.parse_args = parse_in_ledger_language

    # "[default: table]" and "[required]" after an option's help: typer's own help
    # records (for options and arguments alike, whichever Click it uses) ask gettext
    # for these words, and no catalogue of luoshi's is installed
    import importlib

    core: Any = importlib.import_module("typer.core")
    translate = getattr(core, "_", None)
    if callable(translate):
        def words(message: str) -> str:
            return _EXTRAS.get(message, message) if _chinese[0] else translate(message)

        core._ = words


#: Click's error messages, as (pattern, Chinese), tried in order ("Did you mean" apart)
_ERRORS: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.S), zh) for p, zh in (
    (r"Missing argument (.+?)\.?$", r"缺少参数 \1。"),
    (r"Missing option (.+?)\.?$", r"缺少选项 \1。"),
    (r"No such option: (\S+?)$", r"没有这个选项：\1"),
    (r"No such command (.+?)\.?$", r"没有这个命令：\1。"),
    (r"Option (.+?) requires an argument\.?$", r"选项 \1 需要一个值。"),
    (r"Option (.+?) does not take a value\.?$", r"选项 \1 不接受值。"),
    (r"Got unexpected extra arguments? \((.+)\)$", r"多余的参数：\1"),
    (r"Got unexpected extra argument\(s\) \((.+)\)$", r"多余的参数：\1"),
    (r"Invalid value for (.+?): (.*?) is not one of (.+)\.$", r"\1 的值 \2 无效，应为其中之一：\3。"),
    (r"Invalid value for (.+?): (.*?) is not a valid int(?:eger)?(?: range)?\.$",
     r"\1 的值 \2 不是整数。"),
    (r"Invalid value for (.+?): (.*?) is not a valid float(?: range)?\.$", r"\1 的值 \2 不是数字。"),
    # `--year 0` (`options.year_option`)
    (r"Invalid value for (.+?): (.*?) is not a four-digit year \((\d+)-(\d+)\)\.?$",
     r"\1 的值 \2 无效：请写四位数年份（\3–\4）。"),
    # a path Click checked (typer's `exists=`, `readable=`, `file_okay=`, `dir_okay=`)
    (r"Invalid value for (.+?): (?:Path|File|Directory) (.+) does not exist\.$",
     r"\1 的值无效：\2 不存在。"),
    (r"Invalid value for (.+?): (?:Path|File|Directory) (.+) is not readable\.$",
     r"\1 的值无效：\2 没有读取权限。"),
    (r"Invalid value for (.+?): (?:Path|File|Directory) (.+) is not writable\.$",
     r"\1 的值无效：\2 没有写入权限。"),
    (r"Invalid value for (.+?): (?:Path|File|Directory) (.+) is a file\.$",
     r"\1 的值无效：\2 是文件，不是目录。"),
    (r"Invalid value for (.+?): (?:Path|File|Directory) (.+) is a directory\.$",
     r"\1 的值无效：\2 是目录，不是文件。"),
    (r"Invalid value for (.+?): (.+)$", r"\1 的值无效：\2"),
)]
_NEAR = re.compile(r"\s*(?:Did you mean (\S+?)\?|\(Possible options: (.+?)\))$")
#: Click's range check (`min=`/`max=` of an int option): "-1 is not in the range x>=1."
_RANGE = re.compile(r"Invalid value for (.+?): (.*?) is not in the range (.+)\.$", re.S)
#: its range, as Click describes it: x>=1, x<10, 1<=x<=10
_BOUND = {">=": "不小于", ">": "大于", "<=": "不大于", "<": "小于"}
_ONE_SIDE = re.compile(r"x(>=|>|<=|<)(\S+)")
_TWO_SIDES = re.compile(r"(\S+?)(<=|<)x(<=|<)(\S+)")


def _range_words(text: str) -> str:
    """Click's range in words: x>=1 → 不小于 1; 1<=x<=10 → 不小于 1 且不大于 10."""
    one = _ONE_SIDE.fullmatch(text)
    if one:
        return f"{_BOUND[one.group(1)]} {one.group(2)}"
    two = _TWO_SIDES.fullmatch(text)
    if two:
        low = {"<=": ">=", "<": ">"}[two.group(2)]
        return f"{_BOUND[low]} {two.group(1)} 且{_BOUND[two.group(3)]} {two.group(4)}"
    return text


def error_message(message: str) -> str:
    """One of Click's messages in Chinese (unknown shapes stay as they are)."""
    near = _NEAR.search(message)
    if near:
        message = message[:near.start()]
    out_of_range = _RANGE.match(message)
    if out_of_range:  # --issue -1: "-1 is not in the range x>=1." ended the Chinese line
        name, value, limits = out_of_range.groups()
        return (f"{name.replace(chr(39), '')} 的值 {value} 超出范围：应"
                f"{_range_words(limits)}。")
    for pattern, zh in _ERRORS:
        m = pattern.match(message)
        if m:
            message = m.expand(zh).replace("'", "")
            break
    if near:
        message += f"（是否想写 {(near.group(1) or near.group(2)).replace(chr(39), '')}？）"
    return message


def usage_error(exc: Any) -> str:
    """A Click `UsageError` as Click prints it, but in Chinese."""
    ctx = exc.ctx
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        help_opt = next(iter(ctx.help_option_names), "--help")
        lines.append(f"运行“{ctx.command_path} {help_opt}”查看帮助。\n")
    lines.append(f"错误：{error_message(exc.format_message())}")
    return "\n".join(lines) + "\n"


