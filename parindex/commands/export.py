"""`parindex export`: the ranking dataset (CSV, Excel, Parquet, JSON, datapackage.json, charts)."""
import sys
import time

import click

from parindex.commands.options import db_option, fail, say

LOG_EVERY_SECONDS = 10.0


class FileProgress:
    """Files and charts written so far: a bar on a terminal, a line every ten seconds elsewhere."""

    def __init__(self, stream=None, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.clock = clock
        self.bar = None
        self.last = clock()

    def __call__(self, name, done, total):
        if self.tty:
            if self.bar is None:
                self.bar = click.progressbar(length=total, label="parindex export", file=self.stream,
                                             show_pos=True, item_show_func=lambda item: item)
                self.bar.__enter__()
            self.bar.update(1, name)
        elif self.clock() - self.last >= LOG_EVERY_SECONDS:
            self.last = self.clock()
            self.stream.write(f"parindex export: {done}/{total} files written ({name})\n")
            self.stream.flush()

    def close(self):
        if self.bar is not None:
            self.bar.render_finish()


def folder_name(out_dir) -> str:
    """The folder as a person would write it back: `dataset/`, never `dataset//`."""
    return str(out_dir).rstrip("/") + "/" if str(out_dir).rstrip("/") else "/"


@click.command()
@db_option(help="The SQLite fact database (read only).")
@click.option("--out", "out_dir", default="dataset", show_default=True,
              type=click.Path(file_okay=False), help="Folder to write the dataset into.")
@click.option("--reviewed-only", is_flag=True,
              help="Use accepted and corrected facts only.")
@click.option("--excel", is_flag=True,
              help="Write the CSV files with a byte-order mark, so Excel reads Vietnamese right "
                   "(rankings.xlsx is always written).")
@click.option("--no-charts", is_flag=True, help="Skip the charts (faster).")
@click.option("--sources", "sources", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="Sources file(s) whose site names name the publishers (default: parindex's own "
                   "and the demo site's).")
def export(db_path, out_dir, reviewed_only, excel, no_charts, sources):
    """Consolidate the facts into one ranking row per index, unit and year, and write the dataset.

    \b
        parindex export --db parindex.db --out dataset/
        parindex export --db parindex.db --out dataset/ --reviewed-only --excel

    \b
    Writes rankings.csv, rankings.xlsx, rankings.parquet, rankings.json, facts.csv,
    datapackage.json and charts/*.png. The same database gives the same bytes.
    """
    from parindex.export import ExportError, export_dataset

    progress = FileProgress()
    try:
        summary = export_dataset(db_path, out_dir, reviewed_only=reviewed_only, excel=excel,
                                 charts=not no_charts, sources=list(sources) or None, progress=progress)
    except ExportError as err:
        progress.close()
        fail("export", err)
    progress.close()
    charts = sum(1 for name in summary["files"] if name.startswith("charts/"))
    files = len(summary["files"]) - charts
    say("export", f"{summary['rankings']:,} ranking rows from {summary['facts']:,} facts "
                  f"({summary['conflicts']:,} with conflicting values): {files} files"
                  + (f" and {charts} charts" if charts else "") + f" in {folder_name(out_dir)}")


COMMANDS = [export]
