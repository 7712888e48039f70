"""Executor: takes the editions a build must lay out (jobs), gives their PDF bytes, made in this
process or spread over a `concurrent.futures.Executor`.

An edition is the unit of work: its combined pack needs every handout of the edition laid out in
one process (WeasyPrint's laid-out documents cannot be sent between processes), and editions are
independent (a worksheet measures the answers layout it needs itself). Serially, one session
serves every edition, so the answers laid out to size a worksheet's gaps are the answers
edition's own. In parallel, each job runs in a fresh session in a worker (`run_job`) and only
bytes come back; layout is deterministic, so the files are byte-identical to a serial build's.
With fewer workers than editions, the worksheet and answers share one job (and so one answers
layout): on two cores that is as fast, and no layout is done twice.

`--jobs N` uses a process pool (the `forkserver` start method, with revpack and WeasyPrint
preloaded once, so workers start warm and no thread of the parent is forked).
`--executor dask://HOST:PORT` sends the jobs to a dask.distributed scheduler (the optional
`revpack[dask]` extra); its workers must see the pack folder at the same path (a shared file
system) and run the same revpack. `build(executor=...)` takes any Executor.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, replace
from pathlib import Path

from .diagnostics import UsageError


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class EditionJob:
    """Editions' outputs to lay out and write in one session: picklable, so that another
    process (or machine, with a dask executor and a shared file system) can run it with
    `run_job`."""

    pack_dir: Path
    theme: str | None
    strict: bool
    editions: tuple[str, ...]
    variant: str
    paper: str
    booklet: bool
    class_list: Path | None
    names: tuple[str, ...]           # the output files wanted (the rest came from the cache)


def run_job(job: EditionJob) -> list[tuple[str, bytes, int]]:
    """Run one job in a fresh session (in a worker process): [(file name, bytes, pages)]."""
    from .build import _edition_outputs, _Session, check, layout_editions

    checked = check(job.pack_dir, strict=job.strict, editions=layout_editions(job.editions))
    students = None
    if job.class_list is not None:
        from .roster import read_class_list
        students = read_class_list(job.class_list, checked.diagnostics)
    session = _Session(checked.pack, checked.diagnostics, job.theme, None,
                       None if job.theme else checked.templating, students)
    return _edition_outputs(session, job)


def run_jobs(todo: list[EditionJob], session, step, jobs: int, executor) -> dict:
    """{file name: (bytes, pages)} of every job: in this process, in one session (`session()`
    makes it), or spread over `executor`, or over a pool of `jobs` processes."""
    from .build import _edition_outputs

    if not todo:
        return {}
    made = {}
    if executor is None and (jobs <= 1 or len(todo) == 1):
        shared = session()
        for job in todo:
            for name, data, pages in _edition_outputs(shared, job):
                made[name] = (data, pages)
        return made
    if executor is None and jobs < len(todo):
        todo = _shared_answers(todo)
    step(" | ".join(" + ".join(job.editions) for job in todo))
    with contextlib.ExitStack() as stack:
        if executor is None:
            executor = stack.enter_context(process_pool(min(jobs, len(todo))))
        futures = [executor.submit(run_job, job) for job in todo]
        try:
            for future in futures:
                for name, data, pages in future.result():
                    made[name] = (data, pages)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return made


def _shared_answers(todo: list[EditionJob]) -> list[EditionJob]:
    """The worksheet and answers jobs as one, when there are fewer workers than jobs: the
    worksheet's gaps are sized to the laid-out answers, which then serve the answers edition
    too, instead of being laid out in both (on two cores the build takes as long either way)."""
    worksheet = next((j for j in todo if j.editions == ("worksheet",)), None)
    answers = next((j for j in todo if j.editions == ("answers",)), None)
    if worksheet is None or answers is None:
        return todo
    both = replace(answers, editions=("answers", "worksheet"), names=answers.names + worksheet.names)
    return [j for j in todo if j not in (worksheet, answers)] + [both]


@contextlib.contextmanager
def process_pool(workers: int):
    """A pool of `workers` processes, shut down (pending jobs cancelled) on the way out."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["revpack.build", "revpack.pdf", "weasyprint"])
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def executor_from(url: str | None):
    """The executor `--executor` names: None (revpack's own process pool), or
    `dask://HOST:PORT`, a dask.distributed scheduler's."""
    if not url:
        yield None
        return
    if not url.startswith("dask://"):
        raise UsageError(f"unknown executor '{url}' (give dask://HOST:PORT, a dask.distributed "
                         "scheduler)")
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--executor dask://… needs dask.distributed: pip install "
                         "'revpack[dask]'") from None
    try:
        client = Client("tcp://" + url[len("dask://"):], timeout=10)
    except OSError as exc:
        raise UsageError(f"cannot reach the dask scheduler at {url} ({exc})") from None
    try:
        yield client.get_executor()
    finally:
        client.close()
