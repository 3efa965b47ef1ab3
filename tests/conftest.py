"""Layered fixtures: registry → parsed seeds → a built site in a temporary folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from builder.build import build
from builder.config import load_config
from builder.ingest import read
from builder.parse import parse_document
from builder.registry import Registry, load_registry
from builder.model import Document

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
SOURCES = CONTENT / "sources"
SAMPLES = ROOT.parent / "shared" / "samples"
LAOCAI = SAMPLES / "laocai"  # real Lào Cai documents, never copied into the repository; tests skip without them
LAOCAI_MANIFEST: list[dict[str, str]] = (json.loads((LAOCAI / "manifest.json").read_text(encoding="utf-8"))
                                         if LAOCAI.is_dir() else [])
# LC-PD01's only defect is 'ƣ' for 'ư', which the PDF reader repairs: it is usable. Scans and
# broken text layers are refused before parsing.
LAOCAI_USABLE = [e for e in LAOCAI_MANIFEST if e["category"] in ("pdf_text", "docx", "txt") or e["id"] == "LC-PD01"]

SEED_576 = "000_fca136c0df1387a6.txt"
SEED_CV_2025 = "001_f881cb5f2196ceef.txt"
SEED_CV_2026 = "003_cd82417a3351c5a1.txt"
SEED_BC_267 = "004_7b7e275b88431bdd.txt"


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry(CONTENT / "registry.yaml")


@pytest.fixture(scope="session")
def seeds(registry: Registry) -> dict[str, Document]:
    return {name: parse_document(read(SOURCES / name), registry, f"sources/{name}")
            for name in (SEED_576, SEED_CV_2025, SEED_CV_2026, SEED_BC_267)}


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's content built into a temporary web root (content copied, never touched)."""
    base = tmp_path_factory.mktemp("build")
    shutil.copytree(CONTENT, base / "content")
    result = build(load_config(base / "content", base / "site"))
    assert result.problems == []
    return base / "site"
