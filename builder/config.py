"""Build configuration: validated once, then passed explicitly to every stage."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class BuildConfig:
    content_dir: Path
    """Folder with sources/, documents/ and registry.yaml."""
    output_dir: Path
    """Where the site is published (swapped in atomically)."""
    templates_dir: Path = ROOT / "templates"
    assets_dir: Path = ROOT / "assets"
    strict: bool = False
    """Fail the build when any warning was logged."""
    force: bool = False
    """Re-ingest sources even when their document file was edited by hand."""
    site_name: str = "Kho văn bản chỉ đạo"
    site_owner: str = "Ủy ban nhân dân thành phố Hải Phòng"

    @property
    def sources_dir(self) -> Path:
        return self.content_dir / "sources"

    @property
    def documents_dir(self) -> Path:
        return self.content_dir / "documents"

    @property
    def cache_dir(self) -> Path:
        """Build cache (parsed documents), beside the web root: <parent>/.<name>-cache/."""
        return self.output_dir.parent / f".{self.output_dir.name}-cache"

    @property
    def registry_path(self) -> Path:
        return self.content_dir / "registry.yaml"


def load_config(content: str | Path = ROOT / "content", output: str | Path = ROOT / "site",
                strict: bool = False, force: bool = False) -> BuildConfig:
    cfg = BuildConfig(content_dir=Path(content).resolve(), output_dir=Path(os.path.abspath(output)), strict=strict, force=force)
    problems = []
    if not cfg.content_dir.is_dir():
        problems.append(f"content folder not found: {cfg.content_dir}")
    elif not cfg.registry_path.is_file():
        problems.append(f"registry not found: {cfg.registry_path}")
    for folder in (cfg.templates_dir, cfg.assets_dir):
        if not folder.is_dir():
            problems.append(f"folder not found: {folder}")
    if cfg.output_dir in (cfg.content_dir, ROOT) or cfg.content_dir.is_relative_to(cfg.output_dir):
        problems.append(f"output folder {cfg.output_dir} would overwrite the content")
    if problems:
        raise ConfigError("; ".join(problems))
    return cfg
