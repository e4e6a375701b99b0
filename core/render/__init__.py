"""Rendering: a report and its plugins' hooks become one list of neutral blocks (`document`),
with the shared prose flow, sentence templates, citations, Vietnamese number formats and the
letterhead's lines.
"""
