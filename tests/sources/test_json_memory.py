"""JSON is streamed: reading a 50 MB file needs a small, fixed amount of memory."""

from __future__ import annotations

import json
import tracemalloc

from vcsehub.sources.readers import read_tables

ITEMS = 25_000
TEXT = "Funding for a community café and food bank in Sparkbrook. " * 33  # about 2 KB


def _write_big_array(path) -> int:
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for i in range(ITEMS):
            item = {
                "id": f"360G-TEST-{i}",
                "amountAwarded": 1000 + i,
                "description": TEXT,
                "recipientOrganization": [{"id": f"GB-CHC-{i}", "name": f"Charity {i}"}],
            }
            out.write(("," if i else "") + json.dumps(item, ensure_ascii=False))
        out.write("]")
    return path.stat().st_size


def test_reading_a_big_json_array_keeps_memory_small(tmp_path):
    path = tmp_path / "big.json"
    size = _write_big_array(path)
    assert size > 45 * 1024 * 1024
    tracemalloc.start()
    try:
        (table,) = list(read_tables(path))
        count = 0
        total = 0
        for _, item in table.records():
            count += 1
            total += item["amountAwarded"]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == ITEMS
    assert total == sum(range(1000, 1000 + ITEMS))
    print(f"peak traced memory {peak:,} bytes for a {size:,}-byte file")
    assert peak < size / 20, f"peak {peak:,} bytes for a {size:,}-byte file"
