"""`parindex export`: the ranking dataset (CSV, Parquet, JSON, datapackage.json, charts)."""
import click

from parindex.commands.options import db_option, fail


@click.command()
@db_option(help="The SQLite fact database (read only).")
@click.option("--out", "out_dir", default="dataset", show_default=True,
              type=click.Path(file_okay=False), help="Folder to write the dataset into.")
@click.option("--reviewed-only", is_flag=True,
              help="Use accepted and corrected facts only.")
@click.option("--excel", is_flag=True,
              help="Write the CSV files with a byte-order mark, so Excel reads Vietnamese right.")
@click.option("--no-charts", is_flag=True, help="Skip the charts (faster).")
def export(db_path, out_dir, reviewed_only, excel, no_charts):
    """Consolidate the facts into one ranking row per index, unit and year, and write the dataset.

    \b
        parindex export --db parindex.db --out dataset/
        parindex export --db parindex.db --out dataset/ --reviewed-only --excel

    \b
    Writes rankings.csv, rankings.parquet, rankings.json, facts.csv, datapackage.json and
    charts/*.png. The same database gives the same bytes.
    """
    from parindex.export import ExportError, export_dataset

    try:
        summary = export_dataset(db_path, out_dir, reviewed_only=reviewed_only, excel=excel,
                                 charts=not no_charts)
    except ExportError as err:
        fail("export", err)
    click.echo(f"parindex export: {summary['rankings']} ranking rows from {summary['facts']} facts "
               f"({summary['conflicts']} with conflicting values) -> {out_dir}/: "
               + ", ".join(summary["files"]), err=True)


COMMANDS = [export]
