"""Sentences of the importer: its warnings about a form's rows and sheets, and why it refuses a
file: key -> (zh, en)."""

TEXT: dict[str, tuple[str, str]] = {
    # Where a warning is: a sheet, or one of its rows; `said` is the warning itself.
    "ingest.at_row": ("工作表“{sheet}”第 {row} 行：{said}", "sheet '{sheet}', row {row}: {said}"),
    "ingest.at_sheet": ("工作表“{sheet}”{said}", "sheet '{sheet}' {said}"),
    # A row's cells.
    "ingest.formula": (
        "有单元格含公式；已导入其保存的值（公式不会被执行）。",
        "a cell holds a formula; its saved value was imported (formulas are never run).",
    ),
    "ingest.no_name": ("没有参团人员姓名，该行未导入。", "no participant name, row skipped."),
    "ingest.no_unit": ("没有单位名称，该行未导入。", "no unit name, row skipped."),
    "ingest.unknown_province": (
        "省份“{province}”无法识别。",
        "province '{province}' is not a known province.",
    ),
    "ingest.unknown_sector": (
        "行业“{sector}”无法识别，已归入“其他”。",
        "sector '{sector}' is not known; counted as 'other'.",
    ),
    "ingest.bad_contact_mobile": (
        "联系人手机无法识别，已留空。",
        "the contact's mobile cannot be read; left empty.",
    ),
    "ingest.unlikely_birth_date": (
        "出生日期晚于今天或早于 120 年前；已保留，请核对。",
        "the date of birth is in the future or more than 120 years ago; kept, please check it.",
    ),
    # `shown`: the cell's value (ingest.shown_value), or nothing for a personal field.
    "ingest.unreadable.as_no": (
        "{field}{shown}无法识别，按“否”处理。",
        "{field}{shown} cannot be read; read as no.",
    ),
    "ingest.unreadable.empty": (
        "{field}{shown}无法识别，已留空。",
        "{field}{shown} cannot be read; left empty.",
    ),
    "ingest.shown_value": ("“{value}”", " '{value}'"),
    "ingest.passport_format": (
        "护照号码不符合中国护照格式。",
        "the passport number is not in the PRC passport format.",
    ),
    "ingest.unknown_choice": ("{field}“{part}”无法识别。", "{field} '{part}' is not known."),
    "ingest.tick_not_yes_no": (
        "{choice} 列中的“{shown}”不是“是/否”，按“否”处理。",
        "'{shown}' under {choice} is not yes or no; read as no.",
    ),
    # A sheet.
    "ingest.hidden_sheet": (
        "在工作簿中被隐藏，未导入；如属报名表内容，请在 Excel 中取消隐藏后重新导入。",
        "is hidden in the workbook and was not imported; "
        "unhide it in Excel and import again if it belongs to the form.",
    ),
    "ingest.no_unit_column": (
        "列有人员但缺少单位名称（Unit name）列，未导入。",
        "names people but has no column for the unit (单位名称 / Unit name); it was not imported.",
    ),
    "ingest.repeated_column": (
        "第 {left} 列（“{heading}”）与第 {used} 列是同一字段；只导入了第 {used} 列。",
        "column {left} ('{heading}') is the same field as column {used}; only column {used} was imported.",
    ),
    # What a file changed that an earlier one of the same set had set, or said otherwise.
    "ingest.conflict": (
        "{what}在{earlier}中为“{before}”，在{this}中为“{after}”；已采用较晚的报名表，请核对哪个正确。",
        "{what} was set to '{before}' by {earlier} and is '{after}' in {this}; "
        "the later form's is kept — check which is right.",
    ),
    "ingest.conflict.person": ("{person}的{field}", "{person}'s {field}"),
    "ingest.conflict.unit": ("单位“{unit}”的{field}", "the {field} of the unit '{unit}'"),
    "ingest.form_named": ("“{name}”", "'{name}'"),
    "ingest.form_dated": ("“{name}”（{day}）", "'{name}' ({day})"),
    "ingest.contact_changed": (
        "单位“{unit}”此前的报名表填写了不同的{field}；已采用本表的，请核对哪个正确。",
        "the unit '{unit}' had another {field} from an earlier form; this form's is kept — check which is right.",
    ),
    "ingest.passport_moved_unit": (
        "该护照号码原登记在“{old}”，现改为“{new}”。",
        "this passport number was registered under '{old}' and is now under '{new}'.",
    ),
    "ingest.passport_renamed": (
        "该护照号码属于“{old}”，现改名为“{new}”。",
        "this passport number belongs to '{old}', who is now named '{new}'.",
    ),
    # Why a file is refused: nothing of it is imported.
    "ingest.is_folder": (
        "{name}：这是文件夹；请给出报名表文件。",
        "{name}: this is a folder; give a form file.",
    ),
    "ingest.not_a_file": (
        "{name}：这不是文件；请给出报名表文件。",
        "{name}: this is not a file; give a form file.",
    ),
    "ingest.no_such_file": ("{name}：文件不存在。", "{name}: there is no such file."),
    "ingest.received_after_today": (
        "收到文件的日期 {received} 晚于今天；请填写 {today} 或更早的日期。",
        "The day the files were received, {received}, is after today; give a day up to {today}.",
    ),
    "ingest.unexpected": (
        "{name}：文件无法导入（{kind}），未做任何更改。",
        "{name}: the file could not be imported ({kind}); nothing was changed.",
    ),
    "ingest.strict": (
        "{name}：严格模式下拒绝导入，因为有 {skipped} 行无法导入（第一处：{first}）",
        "{name}: refused in strict mode because {skipped} row(s) cannot be imported (first: {first})",
    ),
    "ingest.upload_not_saved": (
        "{name}：上传的文件无法保存以供读取（{reason}），未导入任何内容。",
        "{name}: the upload could not be saved for reading ({reason}); nothing was imported.",
    ),
    "ingest.option_numbers": (
        "{name}：这是问卷星“按序号下载”的文件，答案为选项序号；请改用“按文本下载”，再导入该文件。",
        "{name}: this is 问卷星's download by option numbers (按序号下载), where answers are numbers; "
        "download the answers as text (按文本下载) and import that file.",
    ),
    "ingest.form_on_hidden_sheet": (
        "{name}：报名表位于隐藏的工作表（“{sheet}”）；请在 Excel 中取消隐藏后重新导入。",
        "{name}: the form is on a hidden sheet ('{sheet}'); unhide it in Excel and import again.",
    ),
    "ingest.no_unit_column_in_form": (
        "{name}：工作表“{sheet}”缺少必填列：单位名称（Unit name）。",
        "{name}: sheet '{sheet}' has no column for the unit (单位名称 / Unit name), which every row needs.",
    ),
    "ingest.no_data": ("{name}：文件中没有数据。", "{name}: the file has no data in it."),
    "ingest.no_header": (
        "{name}：各工作表前 {rows} 行中没有可识别的表头行（至少需要“姓名/Name”及另一个字段）。",
        "{name}: no sheet has a recognisable header row in its first {rows} rows "
        "(a row naming at least the participant's name, e.g. 姓名 or Name, and one more field).",
    ),
    "ingest.no_rows": (
        "{name}：找到了表头，但表头下没有参团人员数据。",
        "{name}: the header was found but there are no participant rows under it.",
    ),
    # A value typed by hand (editing a participant) that the importer could not read either.
    "ingest.typed_unreadable": (
        "{field}填写的内容无法识别；请重新填写，或留空。",
        "What was typed for {field} cannot be read; type it again, or leave the box empty.",
    ),
    # What an import did (`ImportReport`).
    "ingest.report.summary": (
        "{prefix}{file}：读取 {read} 行，新增 {added} 人，更新 {updated} 人，无变化 {unchanged} 人，"
        "跳过 {skipped} 行，警告 {warnings} 条。",
        "{prefix}{file}: {read} rows read, {added} added, {updated} updated, {unchanged} unchanged, "
        "{skipped} skipped, {warnings} warnings.",
    ),
    "ingest.report.dry_run": ("[试运行] ", "[dry run] "),
    "ingest.report.already": (
        "{file}：相同内容已于 {when} 导入，未作任何更改（如需重新导入，请{again}）。",
        "{file}: the same content was imported on {when}; nothing changed ({again} to import it again).",
    ),
    "ingest.report.again_app": ("打开“重新导入相同文件”开关", "turn on 'Import the same file again'"),
    "ingest.report.again_cli": ("加 --force", "use --force"),
    "ingest.day.source.received": ("收到文件的日期", "the day the file was received"),
    "ingest.day.source.import": ("导入当天", "the import day"),
    "ingest.day.own": (
        "报名日期：取自报名表本身（报名日期或提交时间）。",
        "Registration days: the form's own (its registration date or submission time).",
    ),
    "ingest.day.fallback": (
        "报名日期：{day}（{source}；报名表未写报名日期）。",
        "Registration day: {day}, {source} (the form gives none).",
    ),
    "ingest.day.mixed": (
        "报名日期：{dated} 行取自报名表本身，其余 {other} 行为 {day}（{source}）。",
        "Registration days: the form's own for {dated} rows; {day}, {source}, for the other {other}.",
    ),
    "ingest.change.person": (
        "{person}（{unit}）：{field} {before} → {after}",
        "{person} ({unit}): {field} {before} → {after}",
    ),
    "ingest.change.unit": (
        "单位 {unit}：{field} {before} → {after}",
        "unit {unit}: {field} {before} → {after}",
    ),
    "ingest.applied_order": (
        "按报名表日期先后导入：{files}。",
        "Applied in the order of the forms' dates: {files}.",
    ),
    "ingest.applied_file": ("{name}（{day}）", "{name} ({day})"),
    "ingest.no_date": ("无日期", "no date"),
    # The retention purge.
    "retention.summary.applied": (
        "已清除 {participants} 名参团人员的护照、签证、出生日期、手机和邮箱，以及 {files} 个扫描件。",
        "Cleared passport, visa, birth-date, mobile and e-mail data of {participants} participants "
        "and {files} scan files.",
    ),
    "retention.summary.dry": (
        "将清除 {participants} 名参团人员的护照、签证、出生日期、手机和邮箱，以及 {files} 个扫描件。",
        "Would clear passport, visa, birth-date, mobile and e-mail data of {participants} participants "
        "and {files} scan files.",
    ),
    "retention.backups_found": (
        "另有 {found} 个备份将改写为不含这些信息的版本。",
        "{found} backups would be rewritten without them.",
    ),
    "retention.backup.rewritten": ("已改写，不再含被清除的信息", "rewritten without the purged data"),
    "retention.backup.deleted": ("无法改写，已删除", "could not be rewritten, so deleted"),
    "retention.backup.snapshot": (
        "已删除（清除前快照只在清除进行时需要；不设撤销期）",
        "deleted (the before-purge snapshot was needed only while the purge ran; there is no undo window)",
    ),
    "retention.too_early": (
        "个人信息须在 {due}（行程结束后 {days} 天）之后才能清除。",
        "Personal data may be purged only after {due} (the trip's end plus {days} days).",
    ),
}
