"""`posture import` and `posture enrich` through the real CLI entry point."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from posture_cli.main import app

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "realdata"
runner = CliRunner()


def _run(home: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"POSTURE_HOME": str(home)})
    return result.exit_code, result.stdout, result.stderr


def test_import_then_enrich_then_ask(tmp_path: Path) -> None:
    code, out, _ = _run(
        tmp_path, "import", "trivy", str(REAL / "trivy/k8s/trivy-k8s-eks-cluster.json")
    )
    assert code == 0 and "as trivy: 20 findings" in out and "2 edges" in out
    code, out, _ = _run(
        tmp_path,
        "enrich",
        "--kev",
        str(REAL / "threat-intel/cisa_kev.json"),
        "--epss",
        str(REAL / "threat-intel/epss_sample_vunnel.csv"),
    )
    assert code == 0 and "kev: 1,404 CVEs, version 2025.08.25" in out
    assert (tmp_path / "audit.jsonl").exists()


def test_wrong_importer_is_one_line_with_the_right_command(tmp_path: Path) -> None:
    code, _, err = _run(tmp_path, "import", "prowler", str(REAL / "grype/busybox-1.32.1-epss.json"))
    assert code == 1
    assert err.strip().splitlines() == [
        "error: This file looks like a grype report, not prowler. Run `posture import grype FILE`."
    ]
