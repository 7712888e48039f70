"""Parallel builds: files byte-identical to a serial build's, whichever Executor runs the
editions; errors from a worker reach the user as the same diagnostics. Not timed."""

from __future__ import annotations

import pickle
import shutil
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

import revpack
from revpack.diagnostics import Diagnostic, Location, RevpackError, UsageError
from revpack.executor import EditionJob, executor_from, run_job

from .conftest import FIXTURES

EDITIONS = ("complete", "worksheet", "answers")


def pdfs(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.pdf"))}


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    out = tmp_path_factory.mktemp("serial")
    return pdfs(revpack.build(FIXTURES / "mini", out=out, jobs=1).out_dir)


def test_jobs_2_is_byte_identical_to_serial(serial, tmp_path):
    result = revpack.build(FIXTURES / "mini", out=tmp_path, jobs=2)
    assert sorted(result.rendered) == sorted(serial)
    assert pdfs(result.out_dir) == serial
    assert len(serial) == 3 * (len(revpack.check(FIXTURES / "mini").pack.handouts()) + 1)


def test_any_executor_is_byte_identical_to_serial(serial, tmp_path):
    with ThreadPoolExecutor(2) as threads:
        result = revpack.build(FIXTURES / "mini", out=tmp_path / "t", executor=threads)
    assert pdfs(result.out_dir) == serial
    with ProcessPoolExecutor(1) as one:
        result = revpack.build(FIXTURES / "mini", out=tmp_path / "p", executor=one,
                               editions=("answers",))
    assert pdfs(result.out_dir) == {n: d for n, d in serial.items() if "-answers" in n}


def test_a_job_makes_only_the_files_it_names(tmp_path):
    job = EditionJob(FIXTURES / "mini", None, False, ("worksheet",), "standard", "a4", False, None,
                     ("treaties-worksheet.pdf", "pack-worksheet.pdf"))
    made = run_job(job)
    assert [name for name, _, _ in made] == ["treaties-worksheet.pdf", "pack-worksheet.pdf"]
    assert all(data.startswith(b"%PDF") and pages >= 1 for _, data, pages in made)


def test_a_workers_error_keeps_its_diagnostics_across_processes(tmp_path):
    error = RevpackError(diagnostics=[Diagnostic(Location(tmp_path / "exam.md", 7), "error",
                                                 "the exam does not fit")])
    back = pickle.loads(pickle.dumps(error))
    assert [str(d) for d in back.diagnostics] == [str(d) for d in error.diagnostics]
    assert back.exit_code == 1
    usage = pickle.loads(pickle.dumps(UsageError("unknown paper")))
    assert isinstance(usage, UsageError) and usage.exit_code == 2


def test_a_pack_error_stops_a_parallel_build_as_it_stops_a_serial_one(tmp_path, monkeypatch):
    pack = tmp_path / "pack"
    shutil.copytree(FIXTURES / "mini", pack)
    (pack / "styles").mkdir()
    (pack / "styles" / "base.css").write_text("@import url(https://example.com/x.css);\n",
                                              encoding="utf-8")
    outcomes = []
    for jobs in (1, 2):
        with pytest.raises(RevpackError) as caught:
            revpack.build(pack, out=tmp_path / f"o{jobs}", jobs=jobs)
        outcomes.append(sorted(str(d) for d in caught.value.diagnostics))
    assert outcomes[0] == outcomes[1] and outcomes[0]


def test_executor_urls(tmp_path):
    with executor_from(None) as pool:
        assert pool is None
    with pytest.raises(UsageError, match="dask://HOST:PORT"):
        with executor_from("spark://somewhere:7077"):
            pass


def test_a_dask_local_cluster_builds_byte_identical_files(serial, tmp_path):
    distributed = pytest.importorskip("distributed", reason="the revpack[dask] extra is not "
                                      "installed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  protocol="tcp://", host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        with executor_from(address) as pool:
            result = revpack.build(FIXTURES / "mini", out=tmp_path, executor=pool)
    assert pdfs(result.out_dir) == serial
