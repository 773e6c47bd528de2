"""Restore a checked pg_dump archive in one transaction, the current database kept aside."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from sqlalchemy import create_engine, inspect

from pdplanner.backup_checks import RestoreRefused, first_line, pg_dump_tables


def _tables_now(url: str) -> set[str]:
    """Return the tables the database holds now (schema public)."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _run_script(url: str, source: str, tables_now: set[str]) -> tuple[int, str]:
    """Feed the archive's SQL to psql in one transaction; return its exit code and errors.

    Tables the backup does not have (added by a later migration) are dropped first, in the
    same transaction, so the database is exactly the backup's and `db upgrade` works.
    """
    extra = sorted(tables_now - pg_dump_tables(source))
    drops = "".join(f'DROP TABLE IF EXISTS public."{name}" CASCADE;\n' for name in extra)
    with tempfile.TemporaryFile() as errors:
        script = subprocess.Popen(["pg_restore", "--clean", "--if-exists", "--no-owner",
                                   "-f", "-", source], stdout=subprocess.PIPE, stderr=errors)
        psql = subprocess.Popen(["psql", "-X", "-q", "--single-transaction", "-v",
                                 "ON_ERROR_STOP=1", "-d", url, "-f", "-"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=errors)
        try:
            psql.stdin.write(drops.encode())
            shutil.copyfileobj(script.stdout, psql.stdin)
        except BrokenPipeError:
            pass  # psql stopped at an error; its exit code says so
        finally:
            script.stdout.close()
            try:
                psql.stdin.close()
            except BrokenPipeError:
                pass
        codes = (script.wait(), psql.wait())
        errors.seek(0)
        said = errors.read().decode(errors="replace")
    return max(codes), said


def restore_postgresql(url: str, source: str) -> None:
    """Restore a checked archive; if it fails, put back the pg_dump taken just before."""
    if shutil.which("psql") is None:
        raise RestoreRefused("psql is not installed")
    folder = tempfile.mkdtemp(prefix="pdplanner-restore-")
    kept = os.path.join(folder, "before-restore.dump")
    dumped = subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", kept, url],
                            capture_output=True, text=True, errors="replace")
    if dumped.returncode:
        raise RestoreRefused("the current database could not be copied aside first "
                             f"({first_line(dumped.stderr)}); nothing was replaced")
    tables_now = _tables_now(url)
    code, said = _run_script(url, source, tables_now)
    if code:
        # The transaction rolled back; put the copy back all the same, to be sure.
        if _run_script(url, kept, tables_now)[0]:
            raise RestoreRefused(f"the restore failed ({first_line(said)}) and so did "
                                 f"putting the database back: its copy is in {kept}")
        shutil.rmtree(folder)
        raise RestoreRefused(f"the restore failed ({first_line(said)}); the database is as "
                             "it was")
    shutil.rmtree(folder)
