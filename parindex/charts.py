"""Charts of the ranking dataset (matplotlib, Agg, DejaVu Sans for the Vietnamese diacritics).

`plan` turns ranking rows and facts into chart jobs (plain data); `draw` draws one job into a
folder and returns the file name; same rows, same bytes.
"""
import gc
import multiprocessing as mp
import os
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

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


MIN_RANKED_UNITS = 2  # a chart of one district's rank compares it with nothing


def _district_series(rows) -> list[tuple]:
    """("districts", province, index, {unit: [(year, rank)]}, group size) per province and
    index with at least two ranked districts; the group size is the largest stated one (else
    the lowest rank seen), so that the axis runs from 1 to the last place."""
    by_province: dict[tuple, dict] = {}
    totals: dict[tuple, int] = {}
    for r in rows:
        if r["level"] == "district" and r["rank"] is not None and r["province"]:
            key = (r["province"], r["index"])
            by_province.setdefault(key, {}).setdefault(r["unit"], []).append((r["year"], r["rank"]))
            totals[key] = max(totals.get(key, 0), r.get("rank_total") or 0, r["rank"])
    return [("districts", province, index, series, totals[(province, index)])
            for (province, index), series in sorted(by_province.items())
            if len(series) >= MIN_RANKED_UNITS]


def _heatmap_cells(rows, index: str = "PAR") -> list[tuple]:
    cells = {(r["unit"], r["year"]): r["rank"] for r in rows
             if r["level"] == "province" and r["index"] == index and r["rank"] is not None}
    return [("heatmap", index, cells)] if cells else []


def _source_counts(facts) -> list[tuple]:
    """Facts per publisher (parindex.sites names them: the sources file's names, else the
    page's, else the host), the 40 largest."""
    counts = Counter(f["site"] for f in facts)
    return [("sources", sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:40])] if counts else []


def plan(rows, facts) -> list[tuple]:
    """Every chart to draw, as plain data (so it can be drawn in another process)."""
    return _district_series(rows) + _heatmap_cells(rows) + _source_counts(facts)


def _latest_rank(points) -> tuple:
    year, rank = max(points)
    return (-year, rank)


def _draw_districts(folder: Path, province, index, series, total) -> str:
    """A province's districts: rank by evaluated year, 1 at the top, the axis down to the
    group's last place; the legend lists the units by their latest rank."""
    units = sorted(series, key=lambda u: (_latest_rank(series[u]), u))
    columns = 3 if len(units) > 4 else 2
    legend_rows = -(-len(units) // columns)
    # The legend goes under the plot, as wide as it: a legend beside it left a quarter of the
    # picture empty when a province has few ranked districts.
    height = 4.2 + 0.2 * legend_rows
    fig, ax = plt.subplots(figsize=(9, height))
    years = sorted({y for pts in series.values() for y, _ in pts})
    for unit in units:
        points = sorted(series[unit])
        year, rank = points[-1]
        # "3. huyện Kim Thành": the legend reads as the latest ranking; an older one says its year
        label = f"{rank}. {unit}" + ("" if year == years[-1] else f" ({year})")
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=label)
    ax.set_xticks(years, [str(y) for y in years])
    if len(years) == 1:
        ax.set_xlim(years[0] - 0.5, years[0] + 0.5)
    ax.set_ylim(total + 0.5, 0.5)  # 1 at the top, the last place at the bottom
    step = 1 if total <= 15 else 5 if total <= 60 else 10
    ax.set_yticks([1] + list(range(step if step > 1 else 2, total + 1, step)))  # whole places only
    ax.set_xlabel("Năm đánh giá (evaluated year)")
    ax.set_ylabel(f"Thứ hạng trên {total} (rank of {total})")
    ax.set_title(f"{index}: xếp hạng các huyện, thị xã, thành phố — {province}\n"
                 f"(districts' ranks, of {total})")
    ax.grid(alpha=0.3)
    legend_inches = 0.75 + 0.2 * legend_rows
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.55 / (height - legend_inches - 0.75)),
              ncol=columns, frameon=False)
    # Fixed margins instead of tight_layout: one draw per chart instead of two.
    fig.subplots_adjust(left=0.08, right=0.97, top=1 - 0.75 / height, bottom=legend_inches / height)
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
    """Begin drawing every chart into folder; return (wait, number of charts): wait(on_done)
    waits and gives the file names, telling on_done(name) of each chart as it is done.

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
        def draw_here(on_done=None) -> list[str]:
            names = []
            for job in jobs:
                names.append(draw(job, folder))
                if on_done:
                    on_done(names[-1])
            return names
        return draw_here, len(jobs)
    # The forked workers share the caller's memory (every fact); frozen, those objects stay out
    # of the workers' garbage collection, which would otherwise touch and copy all of them.
    gc.freeze()
    pool = ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"))
    futures = [pool.submit(draw, job, folder) for job in jobs]

    def wait(on_done=None) -> list[str]:
        try:
            for future in as_completed(futures):
                if on_done:
                    on_done(future.result())
            return [f.result() for f in futures]  # in plan order, whatever finished first
        finally:
            pool.shutdown()
            gc.unfreeze()
    return wait, len(jobs)


def draw_all(rows, facts, folder: Path) -> list[str]:
    wait, _ = start_drawing(rows, facts, folder)
    return wait()
