#!/usr/bin/env python3
"""Draws the app icons in public/icons/ (PNG, for the web app manifest) from the same
shapes as public/favicon.svg: a teal rounded square with a light diamond and a teal core.
Run it again only when the mark changes; the PNGs are committed."""
import struct
import zlib
from pathlib import Path

TEAL = (0x2F, 0x5D, 0x62)
LIGHT = (0xF4, 0xEF, 0xE6)


def pixel(x, y, size, maskable):
    # Work in the favicon's 32-unit space, sampling 4x4 per pixel for smooth edges.
    u, v = x / size * 32, y / size * 32
    if maskable:
        # A maskable icon fills the square; the mark sits in the central safe zone.
        u, v = 16 + (u - 16) / 0.8 * 1.0, 16 + (v - 16) / 0.8 * 1.0
        inside_square = True
    else:
        r = 7
        cx, cy = min(max(u, r), 32 - r), min(max(v, r), 32 - r)
        inside_square = (u - cx) ** 2 + (v - cy) ** 2 <= r * r
    if not inside_square:
        return None
    d = abs(u - 16) + abs(v - 16)
    if d <= 5:
        return TEAL
    if d <= 10:
        return LIGHT
    return TEAL


def draw(size, maskable):
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(4):
                for sx in range(4):
                    c = pixel(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4, size, maskable)
                    if c:
                        acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]; acc[3] += 255
            n = acc[3] // 255
            if n:
                row += bytes([acc[0] // n, acc[1] // n, acc[2] // n, acc[3] // 16])
            else:
                row += bytes([0, 0, 0, 0])
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


out = Path(__file__).resolve().parent.parent / "public" / "icons"
out.mkdir(parents=True, exist_ok=True)
for size in (192, 512):
    (out / f"icon-{size}.png").write_bytes(draw(size, False))
    (out / f"maskable-{size}.png").write_bytes(draw(size, True))
print("icons written to", out)
