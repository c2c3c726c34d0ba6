"""Sentences of the command line (what `python -m delegation` prints, on success and when it refuses)
and of the modules under it: accounts (`access`), the key file (`keys`) and encrypted files
(`crypto`): key -> (zh, en)."""

TEXT: dict[str, tuple[str, str]] = {
    # What the commands print on success.
    "cli.init.created": ("已创建 {path}", "Created {path}"),
    "cli.init.checked": ("已检查 {path}", "Checked {path}"),
    "cli.demo.loaded": (
        "已将 {participants} 名演示参团人员（{units} 个单位）载入 {path}",
        "Loaded {participants} demo participants in {units} units into {path}",
    ),
    "cli.wrote": ("已写入 {path}", "Wrote {path}"),
    "cli.wrote.rows": ("已写入 {path}（{rows} 行）", "Wrote {path} ({rows} rows)"),
    "cli.restored": ("已恢复 {snapshot}", "Restored {snapshot}"),
    "cli.restored.kept": (
        "已恢复 {snapshot}；之前的状态保存在 {safety}",
        "Restored {snapshot}; the previous state is in {safety}",
    ),
    "cli.restored.key": (
        "已恢复 {snapshot}；备份的密钥已加入 {key_file}",
        "Restored {snapshot}; the backup's key was added to {key_file}",
    ),
    "cli.restored.kept.key": (
        "已恢复 {snapshot}；之前的状态保存在 {safety}；备份的密钥已加入 {key_file}",
        "Restored {snapshot}; the previous state is in {safety}; the backup's key was added to {key_file}",
    ),
    "cli.purge.nothing_changed": (
        "未作任何更改；加 --yes 执行清除。",
        "Nothing was changed; add --yes to clear.",
    ),
    "cli.keys.rotated": (
        "已用新密钥 {key_id} 重新加密 {scans} 个扫描件和 {backups} 个备份。",
        "Re-encrypted {scans} scans and {backups} backups with the new key {key_id}.",
    ),
    "cli.keys.other_key": ("未改动（用其他密钥加密）：{name}", "left as it is (another key): {name}"),
    "cli.keys.old_gone": (
        "旧密钥 {keys} 已从密钥文件中删除。",
        "The old key {keys} is gone from the key file.",
    ),
    "cli.watching": ("正在监视 {folder}（按 Ctrl+C 停止）", "Watching {folder} (Ctrl+C to stop)"),
    "cli.mail.reading": (
        "每 {seconds} 秒读取一次 {host} 上的 {user}（按 Ctrl+C 停止）",
        "Reading {user} at {host} every {seconds} s (Ctrl+C to stop)",
    ),
    "cli.scan.recorded": ("记录：{name} → {document}", "recorded: {name} → {document}"),
    "cli.scan.unmatched": ("未匹配：{name} — {reason}", "not matched: {name} — {reason}"),
    "cli.import.changed": ("更改：{change}", "changed: {change}"),
    "cli.import.skipped": ("跳过：{issue}", "skipped: {issue}"),
    "cli.import.warning": ("警告：{issue}", "warning: {issue}"),
    "cli.users.added": ("已将 {name}（{role}）添加到 {path}", "Added {name} ({role}) to {path}"),
    "cli.users.removed": ("已删除 {name}", "Removed {name}"),
    "cli.users.role_set": ("{name} 的角色现为 {role}", "{name} is now {role}"),
    "cli.users.password": ("密码：", "Password: "),
    "cli.users.password_again": ("再输一次：", "Again: "),
    # What the commands refuse.
    "cli.error.mistyped": (
        "{prog}：命令有误（{message}）；运行“{prog} --help”查看用法。",
        "{prog}: {message}; run '{prog} --help' to see how to use it.",
    ),
    "cli.error.not_a_date": (
        "“{given}”不是 YYYY-MM-DD 格式的日期",
        "'{given}' is not a date in the form YYYY-MM-DD",
    ),
    "cli.error.not_positive": ("“{given}”不是正整数", "'{given}' is not a positive whole number"),
    "cli.error.too_many_days": ("“{given}”天超过一百年", "'{given}' days is more than a hundred years"),
    "cli.error.cannot_use": ("无法使用 {path}：{reason}。", "Cannot use {path}: {reason}."),
    "cli.error.system_refused": ("系统拒绝了操作：{reason}。", "The system refused: {reason}."),
    "cli.error.filter_unknown": (
        "{flag} {value} 无法识别；可选值：{allowed}。",
        "{flag} {value} is not known; use one of: {allowed}.",
    ),
    "cli.error.no_database": (
        "数据库 {path} 不存在；请先运行 'python -m delegation init' 创建。",
        "The database {path} does not exist; create it with 'python -m delegation init'.",
    ),
    "cli.error.demo_over_data": (
        "{path} 已有 {participants} 名参团人员；如需删除并载入演示数据请加 --replace，或用 --db 指定其他数据库。",
        "{path} already holds {participants} participants; "
        "use --replace to delete them and load demo data, or choose another --db.",
    ),
    "cli.error.restore_needs_yes": (
        "恢复将替换当前数据库（会先保留一份快照）；确认请加 --yes。",
        "Restoring replaces the database (a snapshot of it is kept first); add --yes to go ahead.",
    ),
    "cli.error.serve_needs_accounts": (
        "未配置账户时应用只能在本机访问；请先添加账户（python -m delegation users add）。",
        "Without accounts the app serves this computer only; add users first (python -m delegation users add).",
    ),
    "cli.error.rotate_failed": (
        "{count} 个文件无法重新加密（{names}：{reason}）；在修复这些文件并再次运行 keys rotate 之前，旧密钥保留在密钥文件中。",
        "{count} files could not be re-encrypted ({names}: {reason}); "
        "the old key stays in the key file until they are fixed and `keys rotate` runs again.",
    ),
    "cli.error.no_such_file": ("{path} 不存在。", "{path} does not exist."),
    "cli.error.backup_without_chain": (
        "{name} 未记录审计链（它早于审计链生成）。",
        "{name} does not record the audit chain (it was made before the chain existed).",
    ),
    "cli.error.passwords_differ": ("两次输入的密码不一致。", "The two passwords differ."),
    "cli.error.out_needs_name": (
        "--out 需要文件名，而不是“{path}”。",
        "Give a file name for --out, not '{path}'.",
    ),
    "cli.error.out_not_a_file": (
        "{path} 不是文件；--out 需要文件名。",
        "{path} is not a file; give a file name for --out.",
    ),
    "cli.error.no_folder": ("文件夹 {path} 不存在。", "The folder {path} does not exist."),
    "cli.error.cannot_write": ("无法写入 {path}：{reason}。", "Cannot write {path}: {reason}."),
    "cli.error.summary_is_a_workbook": (
        "领导汇报只有 Excel 格式：请将 --out 命名为 ….xlsx，且不要用 --format csv。",
        "The leadership summary is a workbook: name --out ….xlsx, without --format csv.",
    ),
    "cli.error.format_mismatch": (
        "--format {given} 与文件名 {out} 不符；请将文件命名为 .{given}，或不写 --format。",
        "--format {given} does not match the file name {out}; name it .{given} or leave --format out.",
    ),
    "cli.error.not_a_folder": ("{path} 不是文件夹。", "{path} is not a folder."),
    "cli.error.not_a_file": ("{path} 不是文件。", "{path} is not a file."),
    # Accounts (`access`).
    "access.error.incomplete_account": (
        "{file}：账户“{name}”需要角色（{roles}）和密码哈希。",
        "{file}: the account '{name}' needs a role ({roles}) and a password hash.",
    ),
    "access.error.bad_name": (
        "用户名须为 1–64 个字母、数字或 . _ - @。",
        "A user name is 1–64 letters, digits, '.', '_', '-' or '@'.",
    ),
    "access.error.bad_role": ("角色必须是 {roles} 之一。", "The role must be one of {roles}."),
    "access.error.short_password": (
        "密码至少需要 {least} 个字符。",
        "A password needs at least {least} characters.",
    ),
    "access.error.user_exists": ("用户“{name}”已存在。", "There is already a user '{name}'."),
    "access.error.no_user": ("没有用户“{name}”。", "There is no user '{name}'."),
    "access.error.last_admin": (
        "“{name}”是最后一个管理员；请先将另一个账户设为管理员。",
        "'{name}' is the last admin; make another account admin first.",
    ),
    "access.error.locked": (
        "“{name}”登录失败次数过多，请 {minutes} 分钟后再试。",
        "Too many failed logins for '{name}'; try again in {minutes} minutes.",
    ),
    "access.error.wrong_login": ("用户名或密码错误。", "The user name or password is wrong."),
    # The key file (`keys`).
    "keys.error.key_not_held": (
        "密钥文件 {path} 中没有加密该文件所用的密钥 {key_id}；请放回该密钥文件，或用 --key 指定。",
        "The key file {path} does not hold key {key_id}, which this file was encrypted with; "
        "put that key's file there, or give it with --key.",
    ),
    "keys.error.unreadable": (
        "无法读取密钥文件 {path}：{reason}。",
        "The key file {path} cannot be read: {reason}.",
    ),
    "keys.error.damaged": (
        "密钥文件 {path} 已损坏（其中没有有效的密钥）；请放回您保存的副本。",
        "The key file {path} is damaged (it holds no valid key); put back your copy of it.",
    ),
    "keys.error.missing": (
        "密钥文件 {path} 不存在，因此无法读取扫描件和备份；请将您保存的密钥文件放回该处，或用 DELEGATION_KEY_FILE 指向它。",
        "The key file {path} is missing, so the scans and backups cannot be read; put your copy of "
        "the key file there, or point DELEGATION_KEY_FILE at it.",
    ),
    "keys.error.missing_recorded": (
        "密钥文件 {path} 不存在，因此无法读取本数据库的扫描件和备份（加密所用密钥：{recorded}）；"
        "请将您保存的密钥文件放回该处，或用 DELEGATION_KEY_FILE 指向它（系统不会为已有密钥的数据库新建密钥）。",
        "The key file {path} is missing, so this database's scans and backups (encrypted with key "
        "{recorded}) cannot be read; put your copy of the key file there, or point "
        "DELEGATION_KEY_FILE at it (a new key is never made for a database that had one).",
    ),
    "keys.error.wrong_key": (
        "密钥文件 {path} 中的密钥是 {held}，而本数据库的扫描件和备份是用密钥 "
        "{recorded} 加密的；请放回正确的密钥文件，或用 DELEGATION_KEY_FILE 指向它。",
        "The key file {path} holds key {held}, but this database's scans and backups "
        "are encrypted with key {recorded}; put the right key file there, or point "
        "DELEGATION_KEY_FILE at it.",
    ),
    "keys.error.in_memory": (
        "内存数据库没有数据文件夹可定位密钥；请设置 DELEGATION_KEY_FILE。",
        "An in-memory database has no data folder for its key; set DELEGATION_KEY_FILE.",
    ),
    "keys.error.no_backup_key": (
        "密钥文件 {path} 不存在；请用 --key 指定该备份的密钥文件。",
        "The key file {path} does not exist; give the backup's key file with --key.",
    ),
    # Encrypted files (`crypto`).
    "crypto.error.undecryptable": (
        "{name} 无法解密：文件已被改动或损坏，或是用另一把密钥加密的。",
        "{name} cannot be decrypted: it was changed or damaged, or it was made with another key.",
    ),
    "crypto.error.not_ours": (
        "{name} 不是本系统加密的文件。",
        "{name} is not a file encrypted by Delegation Desk.",
    ),
    "crypto.error.newer_format": (
        "{name} 由更新版本的本系统写入（格式 {version}）；请升级后再读取。",
        "{name} was written by a newer version of Delegation Desk (format {version}); update the desk to read it.",
    ),
}
