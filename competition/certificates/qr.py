"""QR codes drawn as one filled path: segno encodes, each row's runs of dark modules become
rectangles of a single path (ReportLab's own QR widget costs ~14 ms a code)."""

from __future__ import annotations

import segno

# segno tries all eight masks and keeps the best-scoring one, which costs ~6 ms of the
# ~7.5 ms an encode takes. Any mask is valid QR; a fixed one keeps a page under 10 ms.
MASK = 2


def qr_matrix(data: str) -> tuple[bytearray, ...]:
    return segno.make(data, error="m", boost_error=False, micro=False, mask=MASK).matrix


def qr_path_operators(matrix) -> str:
    """PDF path operators for the dark modules, one unit per module, row 0 at the top: each
    run of dark modules in a row is one ``re``. Integers only, so no float formatting."""
    ops = []
    count = len(matrix)
    for r, row in enumerate(matrix):
        y = count - 1 - r
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                ops.append(f"{start} {y} {c - start} 1 re")
            else:
                c += 1
    return "\n".join(ops)


def draw_qr(canvas, data: str, x: float, y: float, size: float, *, quiet: int = 2) -> None:
    """Draw the QR code for ``data`` in a ``size`` square at (x, y), with a white quiet zone
    of ``quiet`` modules inside the square (certificate paper may be tinted)."""
    matrix = qr_matrix(data)
    module = size / (len(matrix) + 2 * quiet)
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.translate(x + quiet * module, y + quiet * module)
    canvas.scale(module, module)
    canvas.addLiteral(qr_path_operators(matrix) + "\nf")
    canvas.restoreState()
