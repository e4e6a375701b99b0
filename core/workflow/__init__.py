"""The many-hands workflow: outlines (đề cương), imported replies, consolidation (tổng hợp)."""
