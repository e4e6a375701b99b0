"""The plugin host: the hook specifications, section types and their field checks, loading
plugins (built-ins and entry points), and calling each hook in isolation under a time limit.
"""
