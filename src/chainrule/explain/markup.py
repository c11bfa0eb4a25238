"""Escaping text for HTML and SVG, as ``xml.sax.saxutils`` does it.

``xml.sax.saxutils`` imports ``urllib.request`` (tens of milliseconds at ``import
chainrule``, for two string replacements); these give the same strings.

>>> escape("a < b & c")
'a &lt; b &amp; c'
>>> quoteattr('say "x"\\n')
'\\'say "x"&#10;\\''
"""

__all__ = ["escape", "quoteattr"]


def escape(data):
    """``data`` with ``&``, ``<`` and ``>`` escaped (xml.sax.saxutils.escape)."""
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(data):
    """``data`` escaped and quoted as an attribute value (xml.sax.saxutils.quoteattr).

    >>> quoteattr("x") + quoteattr("it's") + quoteattr("both \\"'")
    '"x""it\\'s""both &quot;\\'"'
    """
    data = escape(data).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in data:
        return f'"{data}"'
    if "'" not in data:
        return f"'{data}'"
    return '"%s"' % data.replace('"', "&quot;")
