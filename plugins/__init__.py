"""The built-in section plugins.

Each module here is a plugin like any third-party one: it implements the public hooks in
`tongket.core.host.hookspecs` and nothing else. The host registers the modules listed below one by
one, exactly as it registers entry points.
"""

#: Each built-in plugin module and the section types it registers. The types are listed here so
#: that a report's plugin host (`PluginHost.for_report`) imports only the built-ins its sections
#: use; `tests/core/test_pluginhost.py` holds the list to what the modules register.
BUILTIN_SECTION_TYPES: dict[str, tuple[str, ...]] = {
    "tongket.plugins.free_text": ("free-text",),
    "tongket.plugins.economic_results": ("economic-results",),
    "tongket.plugins.partnerships": ("partnerships",),
    "tongket.plugins.trade_promotion": ("trade-promotion",),
    "tongket.plugins.training": ("training",),
    "tongket.plugins.media": ("media",),
    "tongket.plugins.body_figures": ("body-figures",),
}
BUILTIN_PLUGINS: tuple[str, ...] = tuple(BUILTIN_SECTION_TYPES)
