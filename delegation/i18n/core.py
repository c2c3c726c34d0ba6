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
}
