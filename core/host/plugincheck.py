"""Why a plugin could not be loaded, said in words its author can act on.

Python and pluggy explain a broken plugin in their own English terms ("No module named 'x'",
"unknown hook 'y' in plugin <module …>"). What a plugin author needs is where to look: the
entry point in pyproject.toml, a missing dependency, a misspelled hook and its right name, an
argument the hook does not pass. These functions run only once something has failed, so a
healthy start-up never pays for them.
"""

from __future__ import annotations

import inspect
from typing import Any

from tongket.core.host import hookspecs

ENTRY_POINT_TABLE = "[project.entry-points.tongket]"


def _module_of(entry_point_value: str) -> tuple[str, str]:
    """("pkg.module", "attr.path") of an entry point's value "pkg.module:attr.path"."""
    module, _, attribute = entry_point_value.partition(":")
    return module.strip(), attribute.strip()


def import_failure(error: BaseException, entry_point: str = "", distribution: str = "") -> str:
    """What went wrong importing a plugin, after "không nạp được: ".

    `entry_point` is the entry point's "name = value" for an installed plugin, "" for a
    built-in or a plugin object added directly.
    """
    name, _, value = entry_point.partition(" = ")
    module, attribute = _module_of(value)
    reinstall = (
        f"sửa {ENTRY_POINT_TABLE} trong pyproject.toml"
        + (f" của gói {distribution}" if distribution else "")
        + " rồi cài lại gói (pip install .)"
    )
    if isinstance(error, ModuleNotFoundError) and error.name:
        missing = error.name
        if module and (module == missing or module.startswith(missing + ".")):
            return (
                f"điểm vào '{name} = {value}' chỉ tới mô-đun '{missing}' nhưng không có mô-đun "
                f"đó; {reinstall}"
            )
        package = module.split(".")[0]
        if package and missing.startswith(package + "."):
            return (
                f"gói plugin thiếu mô-đun '{missing}' của chính nó (tệp không có trong bản đã "
                "cài): kiểm tra [tool.setuptools] packages trong pyproject.toml rồi cài lại gói"
            )
        return (
            f"plugin cần mô-đun '{missing}' nhưng mô-đun này chưa được cài: cài gói cung cấp "
            "nó, và ghi gói đó vào dependencies trong pyproject.toml của plugin"
        )
    if isinstance(error, AttributeError) and error.name and error.name in attribute.split("."):
        return (
            f"điểm vào '{name} = {value}': mô-đun '{module}' không có '{error.name}'; {reinstall}"
        )
    if isinstance(error, SyntaxError):
        place = f"{error.filename or '?'}, dòng {error.lineno or '?'}"
        return f"lỗi cú pháp Python ({place}): {error.msg}"
    # The plugin's own exception: its type and text are what its author wrote to say why.
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _marked_functions(plugin: object, manager: Any) -> list[tuple[str, str, Any, dict]]:
    """(attribute, hook name, function, options) of each `@hookimpl` function of `plugin`."""
    found = []
    for attribute in dir(plugin):
        try:
            options = manager.parse_hookimpl_opts(plugin, attribute)
        except Exception:  # an attribute that raises when read is not a hook
            continue
        if options is None:
            continue
        function = getattr(plugin, attribute)
        found.append((attribute, options.get("specname") or attribute, function, options))
    return found


def _did_you_mean(name: str) -> str:
    import difflib  # only on this error path

    close = difflib.get_close_matches(name, hookspecs.HOOK_NAMES, n=1, cutoff=0.6)
    return f" (có phải '{close[0]}'?)" if close else ""


def _parameters(function: Any) -> list[str]:
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return []
    return [
        parameter.name
        for parameter in signature.parameters.values()
        if parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY)
    ]


def registration_failure(plugin: object, manager: Any) -> str:
    """Why pluggy refused `plugin`'s hooks, one clause per wrong function.

    Run after `register` or `check_pending` raised; names an unknown hook (with the nearest
    real name), an argument the hook does not pass (with those it does), and a wrapper that is
    not a generator. Falls back to "" when none of these explains the refusal.
    """
    known = set(hookspecs.HOOK_NAMES)
    problems: list[str] = []
    for attribute, hook, function, options in _marked_functions(plugin, manager):
        where = f"hàm '{attribute}'" + (f" (hook '{hook}')" if hook != attribute else "")
        if hook not in known:
            if hook.startswith("_"):
                continue  # pluggy does not check these; nothing calls them either
            defined = getattr(function, "__name__", "")
            if defined in known:
                # A ready-made hook (prose_merge_hook(...)) bound to a name of the plugin's own:
                # pluggy takes the name it is bound to as the hook's.
                problems.append(
                    f"{where} là hook '{defined}' gán cho tên khác, nên pluggy coi nó là hook "
                    f"'{hook}' (không có): gán nó đúng tên '{defined}', hoặc để gọi nó trong "
                    "hook của mình hãy dùng bản không có @hookimpl (xem docs/plugins.md)"
                )
            else:
                problems.append(
                    f"{where} có @hookimpl nhưng tongket không có hook tên '{hook}'"
                    f"{_did_you_mean(hook)}; danh sách hook ở docs/plugins.md"
                )
            continue
        spec = getattr(manager.hook, hook).spec
        accepted = [*spec.argnames, *spec.kwargnames] if spec is not None else []
        extra = [name for name in _parameters(function) if name not in accepted]
        if extra and spec is not None:
            problems.append(
                f"{where} nhận tham số {', '.join(extra)} mà hook không truyền; hook này "
                f"truyền: {', '.join(accepted) or '(không có tham số)'}"
            )
        wraps = options.get("wrapper") or options.get("hookwrapper")
        if wraps and not inspect.isgeneratorfunction(function):
            problems.append(f"{where} khai báo wrapper nhưng không có yield")
    return "; ".join(problems)
