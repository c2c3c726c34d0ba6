"""Labels for the sentences of the core modules (the database, its backups and checks, the
configuration, scans and the file sandbox): key -> (zh, en)."""

TEXT: dict[str, tuple[str, str]] = {
    # the database file
    "error.db.missing": (
        "数据库 {target} 不存在；请先运行 'python -m delegation init' 创建。",
        "The database {target} does not exist; create it with 'python -m delegation init'.",
    ),
    "error.db.not_duckdb": (
        "{target} 不是本系统的数据库（DuckDB 文件）；请检查 --db。",
        "{target} is not a Delegation Desk database (a DuckDB file); check --db.",
    ),
    "error.db.in_use": (
        "数据库 {target} 正被另一个程序（可能是正在运行的应用）占用；请改在应用中操作（导入：导入页面或收件箱文件夹；"
        "备份：审计日志页面上的按钮），或先停止应用。",
        "The database {target} is in use by another program (probably the running app); "
        "use the app instead (imports: its import page or inbox folder; backups: the button on its "
        "Audit log page), or stop the app first.",
    ),
    "error.db.cannot_open": (
        "无法打开数据库 {target}：{reason}。",
        "The database {target} cannot be opened: {reason}.",
    ),
    "error.db.not_ours": (
        "{target} 不是本系统的数据库（{reason}）。",
        "{target} is not a Delegation Desk database ({reason}).",
    ),
    "error.db.part_not_stored": (
        "本次更改有一部分无法保存，因此全部未保存；请重试。",
        "Part of this change could not be stored, so none of it was saved; try again.",
    ),
    "error.db.changed_meanwhile": (
        "他人在同一时刻修改了同一条记录，本次未保存；请刷新后重试。",
        "Someone else changed the same record at the same moment, so nothing was saved; reload and try again.",
    ),
    # the event configuration (event.toml): {file} its name, {setting} the key at fault
    "error.config.missing": (
        "活动配置文件 {source} 不存在。",
        "The event configuration {source} does not exist.",
    ),
    "error.config.not_toml": ("{file} 不是有效的 TOML：{reason}。", "{file} is not valid TOML: {reason}."),
    "error.config.missing_table": (
        "{file}：配置项 '{setting}' 缺失或不是表。",
        "{file}: key '{setting}' is missing or is not a table.",
    ),
    "error.config.not_text": (
        "{file}：配置项 '{setting}' 必须是非空文本。",
        "{file}: key '{setting}' must be a non-empty text.",
    ),
    "error.config.not_date": (
        "{file}：配置项 '{setting}' 必须是日期，格式为 YYYY-MM-DD。",
        "{file}: key '{setting}' must be a date written as YYYY-MM-DD.",
    ),
    "error.config.not_positive": (
        "{file}：配置项 '{setting}' 必须是正整数。",
        "{file}: key '{setting}' must be a positive whole number.",
    ),
    "error.config.not_flag": (
        "{file}：配置项 '{setting}' 必须是 true 或 false。",
        "{file}: key '{setting}' must be true or false.",
    ),
    "error.config.not_slug": (
        "{file}：配置项 '{setting}' 只能包含小写字母、数字和下划线，并以字母开头。",
        "{file}: key '{setting}' must be lower-case letters, digits and underscores, starting with a letter.",
    ),
    "error.config.no_entries": (
        "{file}：配置项 '{setting}' 至少需要一项。",
        "{file}: key '{setting}' must list at least one entry.",
    ),
    "error.config.not_table": (
        "{file}：配置项 '{setting}' 必须是表。",
        "{file}: key '{setting}' must be a table.",
    ),
    "error.config.repeats": (
        "{file}：配置项 '{setting}' 重复了 '{value}'。",
        "{file}: key '{setting}' repeats '{value}'.",
    ),
    "error.config.not_texts": (
        "{file}：配置项 '{setting}' 必须是文本列表。",
        "{file}: key '{setting}' must be a list of texts.",
    ),
    "error.config.is_not_table": (
        "{file}：配置项 '{setting}' 不是表。",
        "{file}: key '{setting}' is not a table.",
    ),
    "error.config.not_form_address": (
        "{file}：配置项 '{setting}' 必须是以 https:// 开头的表单地址，或留空。",
        "{file}: key '{setting}' must be the form's https:// address, or empty.",
    ),
    "error.config.not_city": (
        "{file}：配置项 '{setting}' 必须是 [[cities]] 中的键。",
        "{file}: key '{setting}' must be one of the keys in [[cities]].",
    ),
    "error.config.no_other_sector": (
        "{file}：配置项 '{setting}' 必须包含键 'other'。",
        "{file}: key '{setting}' must include the key 'other'.",
    ),
    "error.config.no_unit_placeholder": (
        "{file}：配置项 '{setting}' 必须包含 {{unit}}。",
        "{file}: key '{setting}' must contain {{unit}}.",
    ),
    "error.config.not_email": (
        "{file}：配置项 '{setting}' 必须是电子邮箱地址。",
        "{file}: key '{setting}' must be an e-mail address.",
    ),
    "error.config.not_tables": (
        "{file}：配置项 '{setting}' 必须是表的列表。",
        "{file}: key '{setting}' must be a list of tables.",
    ),
    "error.config.no_documents": (
        "{file}：配置项 '{setting}' 至少需要一种材料。",
        "{file}: key '{setting}' must list at least one document.",
    ),
    "error.config.not_level": (
        "{file}：配置项 '{setting}' 必须是 'unit' 或 'participant'。",
        "{file}: key '{setting}' must be 'unit' or 'participant'.",
    ),
    "error.config.not_conditions": (
        "{file}：配置项 '{setting}' 只能列出以下字段：{answers}。",
        "{file}: key '{setting}' must list only these answers: {answers}.",
    ),
    "error.config.unit_conditions": (
        "{file}：配置项 '{setting}' 单位材料不能设置条件。",
        "{file}: key '{setting}' must be empty for a unit's document.",
    ),
    "error.config.no_keywords": (
        "{file}：配置项 '{setting}' 至少需要一个关键词。",
        "{file}: key '{setting}' must list at least one text.",
    ),
    "error.config.not_milestones": (
        "{file}：配置项 '{setting}' 必须列出节点的键（{keys}）。",
        "{file}: key '{setting}' must list milestone keys ({keys}).",
    ),
    "error.config.travel_ends_early": (
        "{file}：配置项 '{setting}' 不能早于出发日期。",
        "{file}: key '{setting}' must not be before event.travel.start.",
    ),
    "error.config.forum_outside_travel": (
        "{file}：配置项 '{setting}' 必须在行程日期之内。",
        "{file}: key '{setting}' must fall within the travel dates.",
    ),
    # a file the reader worker refused (delegation.worker_pipe): {name} the file
    "error.sandbox.too_long": (
        "{name}：文件无法安全读取：读取时间超过 {seconds} 秒的上限。",
        "{name}: the file could not be read safely: it took longer than the {seconds} s allowed.",
    ),
    "error.sandbox.not_data": (
        "{name}：文件无法安全读取：读取程序返回了非数据内容。",
        "{name}: the file could not be read safely: the reader's answer was not plain data.",
    ),
    "error.sandbox.failed": (
        "{name}：文件无法安全读取：读取程序出错（{reason}）。",
        "{name}: the file could not be read safely: the reader failed ({reason}).",
    ),
    "error.sandbox.cpu": (
        "{name}：文件无法安全读取：读取时超过 {seconds} 秒的 CPU 时间上限。",
        "{name}: the file could not be read safely: it needed more than the {seconds} s of CPU time allowed.",
    ),
    "error.sandbox.stopped": (
        "{name}：文件无法安全读取：读取程序意外终止（{reason}）。",
        "{name}: the file could not be read safely: the reader stopped ({reason}).",
    ),
    "error.sandbox.memory": (
        "{name}：文件无法安全读取：读取时超过 {mb} MB 的内存上限。",
        "{name}: the file could not be read safely: it needed more memory than the {mb} MB allowed.",
    ),
    # backups, scans, keys and the database file's integrity
    "error.backup.needs_key": (
        "{backup} 已加密，需要其密钥文件。",
        "{backup} is encrypted; its key file is needed.",
    ),
    "error.backup.checksum": (
        "{backup} 与其校验和不符：文件已被改动或损坏，因此未替换任何内容。",
        "{backup} does not match its checksum: it was changed or damaged, so nothing was replaced.",
    ),
    "error.backup.not_ours": ("{backup} 不是本系统的备份文件。", "{backup} is not a Delegation Desk backup."),
    "error.backup.missing": ("{backup} 不存在。", "{backup} does not exist."),
    "error.backup.no_key_for_safety_copy": (
        "密钥文件 {key_file} 不存在，无法在替换前保留当前数据库。",
        "The key file {key_file} is missing, so the current database cannot be kept before it is replaced.",
    ),
    "error.documents.not_a_folder": ("{folder} 不是文件夹。", "{folder} is not a folder."),
    "error.documents.pdf_not_shown": (
        "{name}：无法显示该 PDF，请下载后打开。",
        "{name}: this PDF cannot be shown; download it to open it.",
    ),
    "error.documents.rejected_needs_reason": (
        "退回材料时需填写原因，便于单位补交。",
        "A rejected document needs a reason the unit can act on.",
    ),
    "error.documents.too_large": (
        "{name}：文件大小 {size} MB，超过 {limit} MB 的上限。",
        "{name}: the file is {size} MB, more than the limit of {limit} MB.",
    ),
    "error.documents.scan_unreadable": (
        "{name}：存档的扫描件无法读取（可能已按规定清除）。",
        "{name}: the stored scan cannot be read (it may have been purged).",
    ),
    "error.documents.role_sees_no_scans": ("您的角色无权查看扫描件。", "Your role may not see scans."),
    "error.documents.no_scan": ("这份材料没有存档的扫描件。", "No scan is stored for this document."),
    "error.keys.in_memory": (
        "内存数据库没有需要轮换的文件。",
        "An in-memory database has no files to rotate.",
    ),
    "error.integrity.disk_full": (
        "{where} 所在的磁盘已满，本次操作未保存，数据库保持原样；请腾出空间后重新运行该命令。",
        "The disk holding {where} is full, so what was being saved was not saved and the database is as it was before; free some space and run the command again.",
    ),
    "error.integrity.read_only": (
        "{where} 位于只读磁盘上，无法保存任何内容，数据库保持原样；请让该文件夹可写（或将数据库移到可写的文件夹）后重试。",
        "{where} is on a read-only disk, so nothing could be saved and the database is as it was before; make the folder writable (or move the database to one that is) and try again.",
    ),
    "error.integrity.file_too_large": (
        "{where} 中的文件已达到系统允许的最大大小，本次操作未保存，数据库保持原样。",
        "A file in {where} reached the largest size this system allows it, so what was being saved was not saved and the database is as it was before.",
    ),
    "error.integrity.checksum.no_backup": (
        "数据库 {db} 已损坏（有数据块与其校验和不符），未作任何改动；在 {folder} 中没有找到它的备份，请先把损坏的文件另存一份再做其他操作。",
        "The database {db} is damaged (a block of it does not match its checksum) and was left as it is; no backup of it was found in {folder}, so copy the damaged file somewhere safe before anything else.",
    ),
    "error.integrity.checksum.restore": (
        "数据库 {db} 已损坏（有数据块与其校验和不符），未作任何改动；最新的备份是 {newest}，恢复命令：{command}",
        "The database {db} is damaged (a block of it does not match its checksum) and was left as it is; the newest backup is {newest}, restore it with: {command}",
    ),
    "error.integrity.truncated.no_backup": (
        "数据库 {db} 已损坏（文件比其内容短：已被截断），未作任何改动；在 {folder} 中没有找到它的备份，请先把损坏的文件另存一份再做其他操作。",
        "The database {db} is damaged (it is shorter than what it holds: it was cut short) and was left as it is; no backup of it was found in {folder}, so copy the damaged file somewhere safe before anything else.",
    ),
    "error.integrity.truncated.restore": (
        "数据库 {db} 已损坏（文件比其内容短：已被截断），未作任何改动；最新的备份是 {newest}，恢复命令：{command}",
        "The database {db} is damaged (it is shorter than what it holds: it was cut short) and was left as it is; the newest backup is {newest}, restore it with: {command}",
    ),
}
