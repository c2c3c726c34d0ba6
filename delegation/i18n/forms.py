"""Sentences of the form readers: why a form file is refused before or while it is read (its
kind, its size, its zip, its XML, its text), each said after the file's name: key -> (zh, en)."""

TEXT: dict[str, tuple[str, str]] = {
    # The kind of file a sentence names (`Words` in `{what}`), and what to do with one that cannot be read.
    "forms.kind.workbook": ("工作簿", "workbook"),
    "forms.kind.document": ("Word 文档", "Word document"),
    "forms.save_as": (
        "请另存为 .docx 或 .xlsx 格式后重新发送。",
        "save it as .docx or .xlsx and send it again.",
    ),
    # A worker's refusal, carried across as the two sentences it said.
    "forms.said": ("{said}", "{said}"),
    # The file's name, kind and size.
    "forms.suffix": (
        "只能导入 {suffixes} 或 {last} 格式的报名表。",
        "only {suffixes} and {last} forms can be imported.",
    ),
    "forms.empty": ("文件是空的。", "the file is empty."),
    "forms.too_large": (
        "文件大小 {size} MB，超过 {limit} MB 的上限。",
        "the file is {size} MB, more than the limit of {limit} MB.",
    ),
    "forms.zip_not_a_form": (
        "该文件是压缩包，不是 Excel 工作簿或 Word 文档。",
        "the file is a zip archive, not an Excel workbook or a Word document.",
    ),
    "forms.password": (
        "{what}设有密码保护；请取消密码后重新保存。",
        "the {what} is password-protected; save it again without a password.",
    ),
    "forms.old_word": (
        "这是旧版 Word（.doc）或 WPS 文件；{save_as}",
        "this is an old Word (.doc) or WPS file; {save_as}",
    ),
    "forms.wps_sheet": (
        "这是 WPS 表格文件（.et）；{save_as}",
        "this is a WPS spreadsheet (.et); {save_as}",
    ),
    "forms.pdf_or_picture": (
        "PDF 或图片无法作为报名表读取（打印或扫描的表格须重新录入）；{save_as}",
        "a PDF or a picture cannot be read as a form (a printed or scanned form has to be typed in); {save_as}",
    ),
    "forms.not_a_form": (
        "该文件无法作为报名表读取；{save_as}",
        "this file cannot be read as a form; {save_as}",
    ),
    "forms.damaged": (
        "文件已损坏，无法作为{what}打开。",
        "the file is damaged and cannot be opened as a {what}.",
    ),
    "forms.not_a_spreadsheet": (
        "文件已损坏或不是电子表格（{kind}）。",
        "the file is damaged or not a spreadsheet ({kind}).",
    ),
    # The zip's directory.
    "forms.zip.too_many_parts": (
        "{what}包含的部件过多，不像是报名表。",
        "the {what} has too many parts to be a form.",
    ),
    "forms.zip.bomb": (
        "{what}解压后的数据量远超正常报名表（疑似压缩炸弹），未予打开。",
        "the {what} unpacks to far more data than a form holds (a zip bomb?); it was not opened.",
    ),
    "forms.zip.same_name": (
        "{what}中有两个同名部件（疑似被篡改的文件），未予打开。",
        "the {what} holds two parts of the same name (a tampered file?); it was not opened.",
    ),
    "forms.zip.macros": ("{what}含有宏；{save_as}", "the {what} contains macros; {save_as}"),
    "forms.zip.entities": (
        "{what}中含有 XML 实体声明（疑似 XML 炸弹），未予打开。",
        "the {what} declares XML entities (an XML bomb?) and was not opened.",
    ),
    # How far a form reaches.
    "forms.document_size": (
        "文档中的表格共 {rows:,} 行、延伸到第 {columns:,} 列；报名表最多 {max_rows:,} 行、{max_columns:,} 列。",
        "its tables have {rows:,} rows and reach column {columns:,}; a form may have at most "
        "{max_rows:,} rows and {max_columns:,} columns.",
    ),
    "forms.sheet_size": (
        "工作表“{sheet}”延伸到第 {rows:,} 行、第 {columns:,} 列；报名表最多 {max_rows:,} 行、{max_columns:,} 列。",
        "sheet '{sheet}' reaches row {rows:,} and column {columns:,}; a form may have at most "
        "{max_rows:,} rows and {max_columns:,} columns.",
    ),
    "forms.too_much_text": (
        "单元格中的文字共 {chars:,} 个字符，超过报名表 {cap:,} 个字符的上限。",
        "its cells hold {chars:,} characters of text, more than the {cap:,} a form may hold.",
    ),
    # A CSV's text.
    "forms.csv.encoding": (
        "第 {line} 行含有既非 UTF-8 也非 GBK/GB18030 的字节；请另存为 UTF-8 编码的 CSV。",
        "row {line} holds bytes that are neither UTF-8 nor GBK/GB18030 text; save the file as UTF-8 CSV.",
    ),
    "forms.csv.utf16_damaged": (
        "文件以 UTF-16 文本开头但已损坏；请另存为 UTF-8 编码的 CSV。",
        "the file starts as UTF-16 text but is damaged; save it again as UTF-8 CSV.",
    ),
    "forms.csv.binary": (
        "该文件既不是工作簿，也不是 CSV 文本。",
        "the file is neither a workbook nor CSV text.",
    ),
    "forms.csv.unreadable": ("CSV 无法读取（{reason}）。", "the CSV cannot be read ({reason})."),
}
