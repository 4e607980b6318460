"""Read a PDF back as text with poppler's pdftotext (layout kept)."""

import subprocess
import tempfile
from pathlib import Path


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(content)
        return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_pages(content: bytes) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(content)
        info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    line = next(line for line in info.splitlines() if line.startswith("Pages:"))
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    assert "A4" in size, size
    return int(line.split()[1])
