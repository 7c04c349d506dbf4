"""Regenerate ``schemas/*.schema.json`` from the models: ``python scripts/generate_schemas.py``."""

from __future__ import annotations

from pathlib import Path

from cens_eval.model.schemas import schema_texts

OUT = Path(__file__).resolve().parent.parent / "schemas"

if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    for name, text in schema_texts().items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"schemas/{name}")
