"""Writers: the blocks become a Word file (`docx_writer` and its parts), a PDF through
LibreOffice (`pdf`) or plain text (`textrender`); `terminal` keeps control characters off a
terminal and `sanitize` keeps what Word cannot store out of the file.
"""
