"""Make the damage publishers do: their UTF-8 decoded once more as cp1252."""

from __future__ import annotations


def read_as(text: str, codec: str = "cp1252") -> str:
    """``text``'s UTF-8 bytes decoded with ``codec``, as a careless CMS serves it.

    Bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) become the C1
    control of the same number, as the WHATWG windows-1252 decoder does.
    """
    return "".join(
        bytes([byte]).decode(codec, errors="replace").replace("\ufffd", chr(byte))
        for byte in text.encode("utf-8")
    )
