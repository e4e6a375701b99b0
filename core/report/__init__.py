"""The report file: the model (`Project`), the particulars' description, reading and writing
the TOML file, key positions for messages, atomic writes, locks, and the editing session.

Data flows one way through core: report file → plugin host → rendering → writers; `checks`
reads the model and the rendered blocks, and `cli` composes them all.
"""
