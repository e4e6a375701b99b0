"""Loading section plugins and calling them one at a time, so one broken plugin harms nobody else.

pluggy calls every implementation of a hook in turn and stops at the first that raises; it does
not isolate plugins (pluggy#419). The host therefore loads each plugin on its own, calls the
validate/render/migrate hooks only on the plugin that registered the section type (through
`PluginManager.subset_hook_caller`), and turns any failure into a `PluginFailure` that names
the plugin, the section, the hook and the message.

Environment switches:
- `TONGKET_PLUGINS`: comma-separated distributions allowed to load plugins; set but empty means
  built-ins only.
- `TONGKET_DISABLE_PLUGINS`: comma-separated plugin or distribution names never to load.
- `TONGKET_STRICT_PLUGINS=1`: re-raise plugin errors with their traceback (for plugin authors).
- `TONGKET_PLUGIN_TIMEOUT`: seconds one hook call may take, default 5; a call past it is
  stopped and reported (see `tongket.core.host.pluginrun`); 0 means no limit.
- `TONGKET_PLUGIN_IMPORT_TIMEOUT`: seconds importing one plugin may take; by default the larger
  of 30 s and 6 hook limits (generous: a plugin may import a large library on a slow shared
  server), none when hooks have none. A plugin stopped there is reported as not loaded.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import pluggy

from tongket.core.host import hookspecs
from tongket.core.host.pluginrun import import_time_limit, run_plugin_code, time_limit
from tongket.core.host.sectiontypes import SectionType, repeated_field_names
from tongket.core.problems import Problem
from tongket.core.render.blocks import Block, block_problems

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from tongket.core.report.model import Project

ENTRY_POINT_GROUP = "tongket"
RENDER_HOOK = "tongket_render_section"
OUTLINE_CHECK_HOOK = "tongket_outline_check"
BUILTIN_SOURCE = "built-in"
ENTRY_POINT_SOURCE = "entry point"


@dataclass
class PluginInfo:
    """What `tongket plugins` shows for one plugin."""

    name: str
    source: str  # "built-in" or "entry point"
    distribution: str = ""
    version: str = ""
    module: str = ""
    section_types: list[str] = field(default_factory=list)
    hooks: list[str] = field(default_factory=list)
    error: str = ""
    warnings: list[str] = field(default_factory=list)  # loaded, but something looks wrong


class PluginFailure(Exception):
    """A plugin that failed: which plugin, for which section, in which hook, and why."""

    def __init__(self, plugin: str, section: str, hook: str, message: str) -> None:
        super().__init__(message)
        self.plugin = plugin
        self.section = section
        self.hook = hook
        self.message = message

    def __str__(self) -> str:
        if not self.plugin:  # a section type that no installed plugin provides
            return f"mục {self.section}: {self.message}" if self.section else self.message
        where = f"mục {self.section}, " if self.section else ""
        return f"plugin {self.plugin}: {where}{self.hook}: {self.message}"


class PluginTimeout(PluginFailure):
    """A plugin call that ran past the time limit and was stopped."""


def _seconds(limit: float) -> str:
    return f"{limit:g}".replace(".", ",")


def timeout_message(limit: float) -> str:
    """What a drafter reads when a plugin call ran past `limit` seconds and was stopped."""
    return f"chạy quá {_seconds(limit)} giây nên đã bị dừng (giới hạn TONGKET_PLUGIN_TIMEOUT)"


def import_timeout_message(limit: float) -> str:
    """What a drafter reads when importing a plugin ran past `limit` seconds and was stopped."""
    return f"nạp quá {_seconds(limit)} giây nên đã bị dừng (giới hạn TONGKET_PLUGIN_IMPORT_TIMEOUT)"


def _strict() -> bool:
    return os.environ.get("TONGKET_STRICT_PLUGINS", "") not in ("", "0")


def _names(variable: str) -> set[str] | None:
    value = os.environ.get(variable)
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


def _describe_error(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@cache
def _tongket_version() -> str:
    # importlib.metadata is imported here, not at the top: with its email parser it is about
    # 15 ms, an eighth of exporting a small report, which needs neither version nor entry points.
    from importlib import metadata

    try:
        return metadata.version("tongket")
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


#: Plugins added to every host built while an `including` block is active (tests).
_INCLUDED: list[tuple[object, str]] = []


def _single_implementation(caller: Any, first_result: bool) -> Callable[..., Any] | None:
    """A plugin's one plain implementation of a hook, called without pluggy's general loop.

    A section's hooks are called thousands of times per export, and pluggy's call (argument
    checks, the wrapper loop) costs more than a short section's own work. With exactly one
    implementation and no wrappers, the result is the same: `firstresult` gives the value,
    otherwise a list of it unless it is None. Anything else keeps pluggy's call.
    """
    implementations = caller.get_hookimpls()
    if len(implementations) != 1:
        return None
    implementation = implementations[0]
    if implementation.hookwrapper or implementation.wrapper:
        return None
    function, names = implementation.function, implementation.argnames
    # The plugin's arguments, in its order, picked from the hook's keyword arguments without
    # a Python-level loop (a list comprehension is one more frame per call on Python 3.11).
    pick = itemgetter(*names) if names else None
    several = len(names) > 1  # one name: itemgetter gives the value itself, not a tuple

    def call(**kwargs: Any) -> Any:
        if pick is None:
            result = function()
        elif several:
            result = function(*pick(kwargs))
        else:
            result = function(pick(kwargs))
        if first_result:
            return result
        return [] if result is None else [result]

    return call


def plugin_name(plugin: object) -> str:
    """The name a plugin object registers under by default: its module's or class's name."""
    return getattr(plugin, "__name__", None) or type(plugin).__name__


def _hook_warnings(plugin: object, info: PluginInfo) -> list[str]:
    """What a loaded plugin probably got wrong: hooks pluggy will never call.

    pluggy only calls functions marked `@hookimpl`; an unmarked function with a hook's name is
    silently ignored, and a section type without a render hook cannot be exported.
    """
    warnings = [
        f"hàm {name} thiếu @hookimpl nên không được gọi"
        for name in hookspecs.HOOK_NAMES
        if name not in info.hooks and callable(getattr(plugin, name, None))
    ]
    if info.section_types and RENDER_HOOK not in info.hooks:
        types = ", ".join(info.section_types)
        warnings.append(f"loại mục {types} không có hook {RENDER_HOOK}: không xuất được")
    return warnings


def _distribution_without_entry_point(type_id: str) -> str:
    """The installed distribution that looks like it should provide `type_id` but declares no
    `tongket` entry point ("tongket-du-an 0.1.0"), or "" when there is none."""
    from importlib import metadata

    for name in (f"tongket-{type_id}", type_id):
        try:
            dist = metadata.distribution(name)
        except (metadata.PackageNotFoundError, ValueError):
            continue
        if not any(point.group == ENTRY_POINT_GROUP for point in dist.entry_points):
            return f"{dist.name} {dist.version}"
    return ""


def _is_form_table(table: Any) -> bool:
    """A form table: `header` and `rows` of strings, each row as wide as the header."""
    if not isinstance(table, dict):
        return False
    header, rows = table.get("header"), table.get("rows", [])
    return (
        isinstance(header, list)
        and bool(header)
        and all(isinstance(cell, str) for cell in header)
        and isinstance(rows, list)
        and all(
            isinstance(row, list)
            and len(row) == len(header)
            and all(isinstance(cell, str) for cell in row)
            for row in rows
        )
        and all(isinstance(table.get(key, ""), str) for key in ("caption", "note"))
    )


class PluginHost:
    """The plugin manager of one tongket run: loaded plugins and the section types they give."""

    def __init__(self) -> None:
        self.manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.manager.add_hookspecs(hookspecs)
        self.plugins: dict[str, PluginInfo] = {}
        self.section_types: dict[str, SectionType] = {}
        self.owners: dict[str, str] = {}  # section type id → plugin name
        self._callers: dict[tuple[str, str], Any] = {}
        #: The installed distributions' entry points have been read (`load_entry_points`).
        self.entry_points_loaded = False
        #: Seconds a hook call may take; None reads `TONGKET_PLUGIN_TIMEOUT` at each call.
        self.timeout: float | None = None
        #: (plugin name, module) of the built-ins `load_builtins` left out (`for_report`),
        #: loaded on demand.
        self._builtins_left: list[tuple[str, str]] = []

    @property
    def time_limit(self) -> float:
        """The limit in force for the next hook call, in seconds (0: none)."""
        return time_limit() if self.timeout is None else self.timeout

    @contextmanager
    def fixed_time_limit(self) -> Iterator[None]:
        """Within the block, hook calls have the limit in force when it began: read once, not
        from the environment at each of a big report's thousands of calls."""
        if self.timeout is not None:
            yield
            return
        self.timeout = self.time_limit
        try:
            yield
        finally:
            self.timeout = None

    @property
    def import_time_limit(self) -> float:
        """The limit in force for importing the next plugin, in seconds (0: none)."""
        return import_time_limit(self.time_limit)

    # -- loading -------------------------------------------------------------------------

    @classmethod
    def builtins(cls) -> PluginHost:
        """A host with the built-in section types only: no entry points, no included plugins.

        What a plugin's own tests start from (`tongket.testing`).
        """
        host = cls()
        host.load_builtins()
        return host

    @classmethod
    def default(cls) -> PluginHost:
        """Built-ins plus every allowed entry-point plugin, the way the CLI and TUI start
        (and the plugins of an active `including` block)."""
        host = cls()
        host.load_builtins()
        host._load_included()
        host.load_entry_points()
        return host

    @classmethod
    @contextmanager
    def including(cls, plugin: object, name: str | None = None) -> Iterator[None]:
        """Within the block, every host `default` and `for_report` build also has `plugin`.

        For tests that run commands in-process (`tongket.core.cli.main(["render", ...])`) with
        a plugin that is not installed; the `tongket_plugin` pytest fixture uses it. A plugin
        that is also installed as an entry point is registered once.
        """
        entry = (plugin, name or plugin_name(plugin))
        _INCLUDED.append(entry)
        try:
            yield
        finally:
            _INCLUDED.remove(entry)

    def _load_included(self) -> None:
        for plugin, name in list(_INCLUDED):
            self.add_plugin(plugin, name)

    @classmethod
    def for_report(cls, project: Project) -> PluginHost:
        """The plugins a report needs, the way `export`, `check` and `render` start: the
        built-ins its sections use, and the entry-point plugins only when a section type is
        not built in (then every built-in first, as `default` loads them).

        Hooks are only ever called on the plugin that registered a section's type, and a
        built-in type cannot be taken over, so the result is the same as with `default`; a
        report made of built-in sections just skips importing the built-ins it does not use,
        reading every installed distribution's entry points (and importing
        importlib.metadata), and warnings about other plugins. `load_entry_points` (the app's
        "Thêm mục") brings in the rest.
        """
        host = cls()
        wanted = {section.type for section in project.sections}
        # A plugin under test (`including`) may name a built-in type: it must meet them all.
        host.load_builtins(None if _INCLUDED else wanted)
        host._load_included()
        if not wanted <= host.section_types.keys():
            host.load_entry_points()
        return host

    def load_builtins(self, section_types: Iterable[str] | None = None) -> None:
        """Register the plugins shipped in `tongket.plugins` (the same hooks as any other).

        With `section_types`, only the built-ins registering one of them; the others wait in
        `_builtins_left` for `load_entry_points` or `load_left_builtins`.
        """
        from tongket.plugins import BUILTIN_SECTION_TYPES

        disabled = _names("TONGKET_DISABLE_PLUGINS") or set()
        wanted = None if section_types is None else set(section_types)
        for module_name, types in BUILTIN_SECTION_TYPES.items():
            name = module_name.rsplit(".", 1)[-1]
            if name in disabled:
                continue
            if wanted is not None and wanted.isdisjoint(types):
                self._builtins_left.append((name, module_name))
                continue
            self._add_builtin(name, module_name)

    def load_left_builtins(self) -> None:
        """Register the built-ins `load_builtins` left out, keeping the built-ins' order."""
        if not self._builtins_left:
            return
        left, self._builtins_left = self._builtins_left, []
        for name, module_name in left:
            self._add_builtin(name, module_name)
        from tongket.plugins import BUILTIN_PLUGINS

        # The app lists section types in the order of `section_types`: built-ins first, in
        # their own order, whichever of them a report happened to need first.
        rank = {module_name: index for index, module_name in enumerate(BUILTIN_PLUGINS)}
        last = len(rank)
        order = sorted(self.plugins, key=lambda name: rank.get(self.plugins[name].module, last))
        self.plugins = {name: self.plugins[name] for name in order}
        position = {name: index for index, name in enumerate(order)}
        types = sorted(self.section_types, key=lambda type_id: position[self.owners[type_id]])
        self.section_types = {type_id: self.section_types[type_id] for type_id in types}

    def _add_builtin(self, name: str, module_name: str) -> None:
        # The version is tongket's own, looked up when listed (see `listing`).
        info = PluginInfo(name, BUILTIN_SOURCE, "tongket", "", module_name)
        self._add(info, lambda: importlib.import_module(module_name))

    def load_types(self, section_types: Iterable[str]) -> None:
        """Make sure the plugins of `section_types` are loaded: the built-ins first, the
        entry points only when one is not built in. A host made `for_report` has only the
        report's own types; an outline (đề cương) may ask for others."""
        missing = set(section_types) - self.section_types.keys()
        if missing:
            self.load_left_builtins()
        if not missing <= self.section_types.keys() and not self.entry_points_loaded:
            self.load_entry_points()

    def load_entry_points(self, entry_points: Iterable[EntryPoint] | None = None) -> None:
        """Register third-party plugins from the `tongket` entry-point group, each on its own."""
        from importlib import metadata

        self.load_left_builtins()  # a built-in type is never taken over by an installed plugin
        self.entry_points_loaded = True
        allowed = _names("TONGKET_PLUGINS")
        disabled = _names("TONGKET_DISABLE_PLUGINS") or set()
        if entry_points is None:
            entry_points = metadata.entry_points(group=ENTRY_POINT_GROUP)
        for entry_point in entry_points:
            dist = getattr(entry_point, "dist", None)
            dist_name = dist.name if dist else ""
            if dist_name == "tongket":
                continue  # built-ins are loaded from tongket.plugins
            if allowed is not None and dist_name not in allowed and entry_point.name not in allowed:
                continue
            if dist_name in disabled or entry_point.name in disabled:
                continue
            info = PluginInfo(
                entry_point.name,
                ENTRY_POINT_SOURCE,
                dist_name,
                dist.version if dist else "",
                entry_point.value,
            )
            self._add(info, entry_point.load)

    def add_plugin(
        self, plugin: object, name: str | None = None, *, source: str = ENTRY_POINT_SOURCE
    ) -> PluginInfo:
        """Register an already imported plugin object (tests, `tongket.testing`); the name
        defaults to its module's or class's name (`plugin_name`)."""
        name = name or plugin_name(plugin)
        info = PluginInfo(name, source, module=getattr(plugin, "__name__", type(plugin).__name__))
        self._add(info, lambda: plugin)
        return info

    def remove_plugin(self, name: str) -> None:
        """Unregister a plugin and forget the section types it gave."""
        plugin = self.manager.get_plugin(name)
        if plugin is not None:
            self.manager.unregister(plugin)
        for type_id in [type_id for type_id, owner in self.owners.items() if owner == name]:
            del self.owners[type_id]
            del self.section_types[type_id]
        self.plugins.pop(name, None)
        self._callers.clear()

    def _add(self, info: PluginInfo, load: Callable[[], object]) -> None:
        if info.name in self.plugins:
            info.name = f"{info.name}@{info.distribution or info.module}"
        self.plugins[info.name] = info
        limit = self.import_time_limit
        call = run_plugin_code(load, limit, (info.name, "", ""))
        if call is None:
            message = import_timeout_message(limit)
            if _strict():
                raise TimeoutError(f"plugin {info.name}: {message}")
            info.error = f"không nạp được: {message}"
            return
        if call.error is not None:
            if _strict():
                raise call.error
            from tongket.core.host.plugincheck import import_failure

            entry_point = (
                f"{info.name} = {info.module}" if info.source == ENTRY_POINT_SOURCE else ""
            )
            info.error = (
                f"không nạp được: {import_failure(call.error, entry_point, info.distribution)}"
            )
            return
        if self.manager.is_registered(call.result):
            # The same object twice (a plugin under test that is also installed): keep one.
            del self.plugins[info.name]
            return
        plugin = call.result
        try:
            self.manager.register(plugin, name=info.name)
            # A misspelled hook name would otherwise be silently ignored.
            self.manager.check_pending()
        except Exception as error:
            if self.manager.is_registered(plugin):
                self.manager.unregister(plugin)
            if _strict():
                raise
            info.error = self._registration_error(plugin, error)
            return
        info.hooks = sorted(
            impl_caller.name for impl_caller in self.manager.get_hookcallers(plugin) or []
        )
        self._callers.clear()
        self._collect_section_types(info)
        info.warnings.extend(_hook_warnings(plugin, info))

    def _registration_error(self, plugin: object, error: Exception) -> str:
        """Why pluggy refused the plugin, in the author's terms when it is about its hooks."""
        from tongket.core.host.plugincheck import registration_failure

        if isinstance(error, pluggy.PluginValidationError):
            reason = registration_failure(plugin, self.manager)
            if reason:
                return f"hook không hợp lệ: {reason}"
            return f"hook không hợp lệ: {_describe_error(error)}"
        return f"không nạp được: {_describe_error(error)}"

    def _collect_section_types(self, info: PluginInfo) -> None:
        registering = True  # register() kept by the plugin must do nothing after this call

        def register(section_type: SectionType) -> None:
            if not registering:
                return
            if not isinstance(section_type, SectionType):
                raise TypeError(
                    f"register() needs a SectionType, got {type(section_type).__name__}"
                )
            owner = self.owners.get(section_type.id)
            if owner is not None and owner != info.name:
                problem = f"loại mục '{section_type.id}' đã do plugin {owner} đăng ký; bỏ qua"
                info.error = "; ".join(filter(None, [info.error, problem]))
                return
            self.section_types[section_type.id] = section_type
            self.owners[section_type.id] = info.name
            info.section_types.append(section_type.id)
            repeated = repeated_field_names(section_type.fields)
            if repeated:
                info.warnings.append(
                    f"loại mục {section_type.id}: tên trường bị lặp: {', '.join(repeated)} "
                    "(biểu mẫu và dữ liệu chỉ giữ được một trường mỗi tên)"
                )

        try:
            self._call_one(info.name, "tongket_section_types", register=register)
        except PluginFailure as failure:
            info.error = f"{failure.hook}: {failure.message}"
        finally:
            registering = False

    # -- calling one plugin --------------------------------------------------------------

    def _caller(self, plugin_name: str, hook_name: str) -> tuple[Callable[..., Any], bool]:
        """How to call `hook_name` on that one plugin, and whether it is a `firstresult` hook.

        The function takes the hook's keyword arguments and returns what pluggy's hook call
        would: the first result of a `firstresult` hook, otherwise the list of non-None ones.
        """
        key = (plugin_name, hook_name)
        known = self._callers.get(key)
        if known is None:
            others = [
                plugin for name, plugin in self.manager.list_name_plugin() if name != plugin_name
            ]
            caller = self.manager.subset_hook_caller(hook_name, remove_plugins=others)
            first = bool(caller.spec is not None and caller.spec.opts.get("firstresult"))
            known = self._callers[key] = (_single_implementation(caller, first) or caller, first)
        return known

    def _call_owner(
        self, type_id: str, hook_name: str, section: str, **kwargs: Any
    ) -> tuple[str, Any]:
        """Call a section-type hook on the plugin that registered `type_id`: (that plugin's
        name, its answer); raises `PluginFailure` as `_call_one` does."""
        owner = self.owners.get(type_id) or self._owner(type_id, hook_name, section)
        kwargs["section_type"] = type_id  # `kwargs` is this call's own dict: no copy needed
        return owner, self._call(owner, hook_name, section, kwargs)

    def _owner(self, type_id: str, hook_name: str, section: str = "") -> str:
        """The plugin that registered `type_id`; a `PluginFailure` saying why none did."""
        owner = self.owners.get(type_id)
        if owner is None:
            raise PluginFailure("", section, hook_name, self.missing_type_message(type_id))
        return owner

    def _call_one(
        self, plugin_name: str, hook_name: str, *, section: str = "", **kwargs: Any
    ) -> Any:
        """Call one hook on one plugin under the time limit; any failure is a `PluginFailure`."""
        return self._call(plugin_name, hook_name, section, kwargs)

    def _call(
        self, plugin_name: str, hook_name: str, section: str, arguments: dict[str, Any]
    ) -> Any:
        """`_call_one` with the hook's keyword arguments as one dict, which a section's hooks
        build once (not again at each layer)."""
        # The cache looked up here first: `_caller` is a method call per hook call.
        caller, first_result = self._callers.get((plugin_name, hook_name)) or self._caller(
            plugin_name, hook_name
        )
        limit = self.time_limit
        call = run_plugin_code(caller, limit, (plugin_name, section, hook_name), arguments)
        if call is None:
            failure = PluginTimeout(plugin_name, section, hook_name, timeout_message(limit))
            if _strict():
                raise TimeoutError(str(failure))
            raise failure
        if call.error is not None:
            if _strict():
                raise call.error
            error = call.error
            raise PluginFailure(plugin_name, section, hook_name, _describe_error(error)) from error
        if first_result:
            return call.result  # one answer expected: pluggy already picked it
        return next((result for result in call.result if result is not None), None)

    def listing(self) -> list[dict[str, Any]]:
        """Every plugin as plain data (what `tongket plugins --json` prints and the TUI shows)."""
        return [
            {
                "name": info.name,
                "source": info.source,
                "distribution": info.distribution,
                "version": _tongket_version() if info.source == BUILTIN_SOURCE else info.version,
                "module": info.module,
                "section_types": [
                    {
                        "id": type_id,
                        "title": self.section_types[type_id].title,
                        "version": self.section_types[type_id].version,
                    }
                    for type_id in info.section_types
                ],
                "hooks": list(info.hooks),
                "error": info.error or None,
                "warnings": list(info.warnings),
            }
            for info in self.plugins.values()
        ]

    def owner_of(self, type_id: str) -> str | None:
        """The plugin that registered a section type, or None."""
        return self.owners.get(type_id)

    def missing_type_message(self, type_id: str) -> str:
        """Why a section type is unavailable, naming plugins that failed to load."""
        broken = [
            info.name for info in self.plugins.values() if info.error and not info.section_types
        ]
        message = f"chưa cài plugin cung cấp loại mục '{type_id}'"
        if broken:
            message += f" (plugin không nạp được: {', '.join(broken)})"
        unlisted = _distribution_without_entry_point(type_id)
        if unlisted:
            message += (
                f"; gói {unlisted} đã cài nhưng không khai báo entry point nhóm "
                f"'{ENTRY_POINT_GROUP}' (pyproject.toml: [project.entry-points.tongket])"
            )
        return message

    def validate(
        self, type_id: str, data: dict[str, Any], context: Any, section: str = ""
    ) -> list[Problem]:
        """The plugin's own problems with a section's data (raises `PluginFailure`)."""
        hook = "tongket_validate_section"
        owner = self.owners.get(type_id) or self._owner(type_id, hook, section)
        # `_call_owner`'s work without its frame and its keyword packing: a section's two hooks
        # run thousands of times (about 1 % of a 5.000-section export).
        arguments = {"data": data, "context": context, "section_type": type_id}
        problems = self._call(owner, hook, section, arguments)
        return self._problem_list(owner, section, hook, problems)

    def render(
        self, type_id: str, data: dict[str, Any], context: Any, section: str = ""
    ) -> list[Block]:
        """The section's blocks from its plugin (raises `PluginFailure`, also for bad blocks)."""
        owner = self.owners.get(type_id) or self._owner(type_id, RENDER_HOOK, section)
        arguments = {"data": data, "context": context, "section_type": type_id}
        blocks = self._call(owner, RENDER_HOOK, section, arguments)
        if blocks is None:
            message = "không trả về khối nào"
            if RENDER_HOOK not in self.plugins[owner].hooks:
                message = f"plugin không có hook {RENDER_HOOK} (hàm vẽ mục thiếu @hookimpl?)"
            raise PluginFailure(owner, section, RENDER_HOOK, message)
        problems = block_problems(blocks)
        if problems:
            raise PluginFailure(
                owner,
                section,
                RENDER_HOOK,
                "khối không hợp lệ: " + "; ".join(problems),
            )
        return list(blocks)

    def migrate(
        self, type_id: str, data: dict[str, Any], from_version: int, section: str = ""
    ) -> dict[str, Any] | None:
        """The plugin's upgrade of older data, or None when it has nothing to change."""
        owner, result = self._call_owner(
            type_id, "tongket_migrate_section", section, data=data, from_version=from_version
        )
        if result is not None and not isinstance(result, dict):
            raise PluginFailure(
                owner, section, "tongket_migrate_section", "cần trả về một bảng dữ liệu"
            )
        return result

    def section_editor(self, type_id: str, section: str = "") -> Any | None:
        """The editor widget factory the owner plugin supplies for a section type, or None.

        Only the drafting app asks (`tongket_section_editor`); raises `PluginFailure`.
        """
        owner = self._owner(type_id, "tongket_section_editor", section)
        factory = self._call_one(
            owner, "tongket_section_editor", section=section, section_type=type_id
        )
        if factory is not None and not callable(factory):
            raise PluginFailure(
                owner, section, "tongket_section_editor", "cần trả về một lớp widget của Textual"
            )
        return factory

    # -- outlines (đề cương): what an outline may ask of a section type -------------------

    def outline_check(
        self, type_id: str, wanted: dict[str, Any], request: Any, section: str = ""
    ) -> list[Problem]:
        """The problems of an outline's `wanted` table for a section type (raises
        `PluginFailure`); a type whose plugin has no `tongket_outline_check` accepts only an
        empty table."""
        owner = self._owner(type_id, OUTLINE_CHECK_HOOK, section)
        if OUTLINE_CHECK_HOOK not in self.plugins[owner].hooks:
            if not wanted:
                return []
            return [
                Problem(
                    (next(iter(wanted)),),
                    f"loại mục '{type_id}' không nhận yêu cầu số liệu trong đề cương "
                    f"(plugin {owner} không có hook {OUTLINE_CHECK_HOOK}); hãy bỏ bảng wanted",
                )
            ]
        _owner, problems = self._call_owner(
            type_id, OUTLINE_CHECK_HOOK, section, wanted=wanted, request=request
        )
        return self._problem_list(owner, section, OUTLINE_CHECK_HOOK, problems)

    def outline_prefill(
        self,
        type_id: str,
        wanted: dict[str, Any],
        data: dict[str, Any],
        request: Any,
        section: str = "",
    ) -> dict[str, Any]:
        """A new section's data pre-filled from the outline, or `data` when the plugin has
        nothing to add (raises `PluginFailure`)."""
        owner, result = self._call_owner(
            type_id, "tongket_outline_prefill", section, wanted=wanted, data=data, request=request
        )
        if result is None:
            return data
        if not isinstance(result, dict):
            raise PluginFailure(
                owner, section, "tongket_outline_prefill", "cần trả về một bảng dữ liệu"
            )
        return result

    def outline_gaps(
        self,
        type_id: str,
        wanted: dict[str, Any],
        data: dict[str, Any],
        request: Any,
        section: str = "",
    ) -> list[Problem]:
        """Where a section's data falls short of its outline's `wanted` (raises
        `PluginFailure`)."""
        owner, problems = self._call_owner(
            type_id, "tongket_outline_gaps", section, wanted=wanted, data=data, request=request
        )
        return self._problem_list(owner, section, "tongket_outline_gaps", problems)

    def outline_form(
        self, type_id: str, wanted: dict[str, Any], request: Any, section: str = ""
    ) -> list[dict[str, Any]]:
        """The blank tables of a Word reply form for a section (`tongket_outline_form`), [] when
        the plugin gives none (raises `PluginFailure`, also for tables of the wrong shape)."""
        hook = "tongket_outline_form"
        owner = self._owner(type_id, hook, section)
        if hook not in self.plugins[owner].hooks:
            return []
        _owner, tables = self._call_owner(type_id, hook, section, wanted=wanted, request=request)
        if tables is None:
            return []
        if not isinstance(tables, list) or not all(_is_form_table(t) for t in tables):
            raise PluginFailure(
                owner, section, hook, "cần trả về danh sách bảng có header và rows là chuỗi"
            )
        return tables

    def outline_read_tables(
        self,
        type_id: str,
        wanted: dict[str, Any],
        tables: list[dict[str, Any]],
        request: Any,
        section: str = "",
    ) -> dict[str, Any] | str | None:
        """The section's data read from a Word reply's `tables`, why they cannot be read, or
        None when the plugin reads no tables (raises `PluginFailure`, also for an answer of
        the wrong shape)."""
        hook = "tongket_outline_read_tables"
        owner = self._owner(type_id, hook, section)
        if hook not in self.plugins[owner].hooks:
            return None
        _owner, result = self._call_owner(
            type_id, hook, section, wanted=wanted, tables=tables, request=request
        )
        if result is not None and not isinstance(result, dict | str):
            raise PluginFailure(
                owner, section, hook, "cần trả về một bảng dữ liệu, một lý do, hoặc None"
            )
        return result

    @staticmethod
    def _problem_list(owner: str, section: str, hook: str, problems: Any) -> list[Problem]:
        if problems is None:
            return []
        if problems.__class__ is list and not problems:
            return problems  # the usual answer of a clean section: nothing to look through
        if not isinstance(problems, list) or not all(isinstance(p, Problem) for p in problems):
            raise PluginFailure(owner, section, hook, "cần trả về một danh sách Problem")
        return problems

    def merge(
        self, type_id: str, contributions: list[Any], previous: dict[str, Any] | None, section: str
    ) -> Any | None:
        """The owner plugin's merge of the bodies' contributions (`tongket_merge_sections`):
        a `MergedSection`, or None when the plugin does not merge the type (raises
        `PluginFailure`, also for an answer of the wrong shape)."""
        from tongket.core.host.merging import MergedSection
        from tongket.core.report.model import Section

        hook = "tongket_merge_sections"
        owner = self._owner(type_id, hook, section)
        if hook not in self.plugins[owner].hooks:
            return None
        _owner, merged = self._call_owner(
            type_id, hook, section, contributions=contributions, previous=previous
        )
        if merged is None:
            return None
        if not isinstance(merged, MergedSection) or not isinstance(merged.data, dict):
            raise PluginFailure(owner, section, hook, "cần trả về một MergedSection có data")
        if not all(
            isinstance(item, Problem) for item in (*merged.findings, *merged.notices)
        ) or not all(isinstance(item, Section) for item in merged.companions):
            raise PluginFailure(
                owner,
                section,
                hook,
                "findings và notices cần là các Problem, companions các Section",
            )
        return merged
