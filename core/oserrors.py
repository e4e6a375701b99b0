"""Why an operating-system call failed, in Vietnamese (lý do lỗi hệ thống).

The C library's messages are English ("No such file or directory", "File name too long"); a
drafter reads Vietnamese. `os_cause` gives the reason alone, for a message that names the file
itself ("bao-cao.docx: không ghi được (hết chỗ trống trên đĩa)"); `os_reason` puts the file in
front ("/srv/bao-cao/r.toml: hết chỗ trống trên đĩa"). A reason tongket gave itself
(`atomicfile`: "là một thư mục, không phải tệp thường") is Vietnamese already and is kept; an
error not listed keeps the system's words, which is rare enough to be worth the English.
"""

from __future__ import annotations

import errno
import os

__all__ = ["os_cause", "os_reason"]

#: The errors a drafter meets, without the file: `os_reason` names it. "{action}" is what was
#: refused ("ghi" for a write, "đọc" for a read, "truy cập" when either).
_CAUSES = {
    errno.ENOENT: "không có (tệp, hoặc thư mục chứa nó, không tồn tại)",
    errno.EACCES: "không có quyền {action}",
    errno.EPERM: "không có quyền {action}",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ENOSPC: "hết chỗ trống trên đĩa",
    errno.EDQUOT: "vượt hạn mức dung lượng của tài khoản",
    errno.EISDIR: "là một thư mục, không phải tệp",
    errno.ENOTDIR: "có một phần của đường dẫn không phải thư mục",
    errno.EINVAL: (
        'tên không hợp lệ trên ổ đĩa này (thường do ký tự : * ? " < > | hoặc dấu chấm, dấu '
        "cách ở cuối tên)"
    ),
    errno.ENAMETOOLONG: "tên hoặc đường dẫn quá dài",
    errno.EEXIST: "đã có",
    errno.ELOOP: "là liên kết tượng trưng (symlink) vòng lặp hoặc không được đi theo",
}


def os_cause(error: OSError, action: str = "truy cập") -> str:
    """Why `error` happened, in Vietnamese, without the file ("hết chỗ trống trên đĩa")."""
    reason = error.strerror or str(error)
    if error.strerror and not error.strerror.isascii():
        return reason  # tongket's own reason, already Vietnamese
    known = _CAUSES.get(error.errno or 0)
    return known.format(action=action) if known is not None else reason


def os_reason(
    error: OSError, path: str | os.PathLike[str] | None = None, action: str = "truy cập"
) -> str:
    """Why `error` happened, after the file concerned: `path` (the report, not the temporary
    file the error may name), else the error's own file ("/srv/r.toml: hết chỗ trống trên
    đĩa")."""
    name = path if path is not None else error.filename
    where = os.fspath(name) if name is not None else ""
    cause = os_cause(error, action)
    return f"{where}: {cause}" if where else cause
