"""Charts of the ranking dataset (matplotlib, Agg, DejaVu Sans for the Vietnamese diacritics).

`plan` turns ranking rows and facts into chart jobs (plain data); `draw` draws one job into a
folder and returns the file name; same rows, same bytes.
"""
import gc
import multiprocessing as mp
import os
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)
from matplotlib.ticker import MaxNLocator  # noqa: E402

from parindex.model.normalize import search_key

# DejaVu Sans has every Vietnamese letter with its tone; matplotlib ships it.
STYLE = {"font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "parindex",
         "figure.dpi": 100,
         # A fixed title height: matplotlib otherwise measures every tick label to place it.
         "axes.titley": 1.0}
# PNG metadata holds the matplotlib version only: no date, so the bytes repeat.
_META = {"Software": None}
PARALLEL_FROM = 8  # charts; below that starting processes costs more than it saves


def slug(text: str) -> str:
    ascii_ = search_key(text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-") or "unknown"


def _save(fig, folder: Path, name: str) -> str:
    fig.savefig(folder / name, metadata=_META)
    plt.close(fig)
    return name


def _district_series(rows) -> list[tuple]:
    """("districts", province, index, {unit: [(year, rank)]}) per province with ranked districts."""
    by_province: dict[tuple, dict] = {}
    for r in rows:
        if r["level"] == "district" and r["rank"] is not None and r["province"]:
            series = by_province.setdefault((r["province"], r["index"]), {})
            series.setdefault(r["unit"], []).append((r["year"], r["rank"]))
    return [("districts", province, index, series)
            for (province, index), series in sorted(by_province.items())]


def _heatmap_cells(rows, index: str = "PAR") -> list[tuple]:
    cells = {(r["unit"], r["year"]): r["rank"] for r in rows
             if r["level"] == "province" and r["index"] == index and r["rank"] is not None}
    return [("heatmap", index, cells)] if cells else []


def _source_counts(facts) -> list[tuple]:
    counts = Counter(f["site"] for f in facts)
    return [("sources", sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:40])] if counts else []


def plan(rows, facts) -> list[tuple]:
    """Every chart to draw, as plain data (so it can be drawn in another process)."""
    return _district_series(rows) + _heatmap_cells(rows) + _source_counts(facts)


def _draw_districts(folder: Path, province, index, series) -> str:
    """A province's districts: rank by evaluated year, 1 at the top."""
    fig, ax = plt.subplots(figsize=(9, 4.8))
    for unit, points in sorted(series.items()):
        points = sorted(points)
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=unit)
    years = sorted({y for pts in series.values() for y, _ in pts})
    ax.set_xticks(years)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.invert_yaxis()
    ax.set_xlabel("Năm đánh giá (evaluated year)")
    ax.set_ylabel("Thứ hạng (rank)")
    ax.set_title(f"{index}: xếp hạng các huyện, thị xã, thành phố — {province}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    # Fixed margins instead of tight_layout: one draw per chart instead of two.
    fig.subplots_adjust(left=0.08, right=0.74, top=0.92, bottom=0.11)
    return _save(fig, folder, f"districts_{slug(province)}_{slug(index)}.png")


def _draw_heatmap(folder: Path, index, cells) -> str:
    """Provinces by evaluated year on the national index: rank as colour and number."""
    years = sorted({y for _, y in cells})
    latest = {}
    for (unit, year), rank in cells.items():
        if unit not in latest or year > latest[unit][0]:
            latest[unit] = (year, rank)
    units = sorted(latest, key=lambda u: (latest[u][1], u))
    grid = [[cells.get((u, y), float("nan")) for y in years] for u in units]
    fig, ax = plt.subplots(figsize=(max(6.0, 2.5 + 0.7 * len(years)), 1.4 + 0.28 * len(units)))
    image = ax.imshow(grid, cmap="RdYlGn_r", aspect="auto", vmin=1, vmax=max(63, max(cells.values())))
    for i, unit in enumerate(units):
        for j, year in enumerate(years):
            if (unit, year) in cells:
                ax.text(j, i, str(cells[(unit, year)]), ha="center", va="center", fontsize=7)
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_yticks(range(len(units)), units)
    ax.set_title(f"{index}: thứ hạng các tỉnh, thành phố\n(rank of provinces by evaluated year)")
    fig.colorbar(image, ax=ax, label="Thứ hạng (rank)", fraction=0.05)
    fig.tight_layout()
    return _save(fig, folder, f"provinces_{slug(index)}_heatmap.png")


def _draw_sources(folder: Path, items) -> str:
    """How many facts each site contributed (rejected facts included: it is about the sources)."""
    fig, ax = plt.subplots(figsize=(8, 1.0 + 0.3 * len(items)))
    ax.barh([k for k, _ in items][::-1], [v for _, v in items][::-1], color="#3b6ea8")
    ax.set_xlabel("Số dữ kiện (facts)")
    ax.set_title("Dữ kiện theo nguồn (facts per source)")
    fig.tight_layout()
    return _save(fig, folder, "facts_per_source.png")


_DRAW = {"districts": _draw_districts, "heatmap": _draw_heatmap, "sources": _draw_sources}


def draw(job: tuple, folder: Path) -> str:
    with plt.rc_context(STYLE):
        return _DRAW[job[0]](folder, *job[1:])


def start_drawing(rows, facts, folder: Path):
    """Begin drawing every chart into folder; return a function that waits and gives the names.

    A chart costs about 0.3 s of drawing. With many charts they are drawn in worker processes
    while the caller writes the data files; each chart is independent, so the bytes are the
    same either way.
    """
    folder = Path(folder)
    for old in folder.glob("*.png"):
        old.unlink()  # a chart of a province no longer in the data must not linger
    jobs = plan(rows, facts)
    workers = min(os.cpu_count() or 1, 4)
    if len(jobs) < PARALLEL_FROM or workers < 2 or "fork" not in mp.get_all_start_methods():
        return lambda: [draw(job, folder) for job in jobs]
    # The forked workers share the caller's memory (every fact); frozen, those objects stay out
    # of the workers' garbage collection, which would otherwise touch and copy all of them.
    gc.freeze()
    pool = ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"))
    futures = [pool.submit(draw, job, folder) for job in jobs]

    def wait() -> list[str]:
        try:
            return [f.result() for f in futures]
        finally:
            pool.shutdown()
            gc.unfreeze()
    return wait


def draw_all(rows, facts, folder: Path) -> list[str]:
    return start_drawing(rows, facts, folder)()
