"""The built-in section plugins.

Each module here is a plugin like any third-party one: it implements the public hooks in
`tongket.core.host.hookspecs` and nothing else. The host registers the modules listed below one by
one, exactly as it registers entry points.
"""

BUILTIN_PLUGINS: tuple[str, ...] = (
    "tongket.plugins.free_text",
    "tongket.plugins.economic_results",
    "tongket.plugins.partnerships",
    "tongket.plugins.trade_promotion",
    "tongket.plugins.training",
    "tongket.plugins.media",
    "tongket.plugins.body_figures",
)
