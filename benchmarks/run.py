"""Measure cens-eval against its speed targets and write ``benchmarks/RESULTS.md``.

Usage: ``python benchmarks/run.py [--quick]`` from the project root, in the venv where cens-eval is
installed. Each figure is the median of several runs on this machine; nothing here is a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic
import yaml

from cens_eval.loader.locate import packaged_referentiels_dir

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).with_name("cens-eval")
CLI = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "cens_eval"]
"""The installed console script, as users run it."""
EXAMPLE = ROOT / "questionnaires" / "teleconsult-medilink" / "questionnaire.yaml"
AS_OF = dt.date(2026, 11, 22)


class Timing(NamedTuple):
    """Wall time over several runs, in milliseconds: the median (judged) and the fastest run."""

    median: float
    best: float


def timing_ms(action: Callable[[], object], runs: int) -> Timing:
    """Wall time of ``action`` over ``runs`` runs, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return Timing(statistics.median(times) * 1000, min(times) * 1000)


def median_ms(action: Callable[[], object], runs: int) -> float:
    """Median wall time of ``action`` over ``runs`` runs, in milliseconds."""
    return timing_ms(action, runs).median


def run_cli(*args: str, env: dict[str, str] | None = None) -> None:
    """Run the command line, ignoring its verdict exit code (0 or 1) but not a failure."""
    result = subprocess.run([*CLI, *args], capture_output=True, env=env, cwd=ROOT)
    if result.returncode not in (0, 1):
        raise RuntimeError(result.stderr.decode())


def peak_rss_mb(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time (s) and peak resident memory (MB) of a command and all its child processes."""
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.02)

    start = time.perf_counter()
    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    return elapsed, peak / 1024


def _tree_rss(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def bench_engine(count: int, runs: int = 5) -> tuple[float, float]:
    """Evaluations per second of the pure engine on generated 300-exigence questionnaires.

    ``count`` questionnaires are evaluated in ``runs`` runs of equal size, sharing one
    preparation (as a batch does); the result is the median of the runs' rates, and the fastest
    run's. Each evaluation builds every exigence's result with its explanation, every score
    figure, the verdict and the échéances.
    """
    from cens_eval.engine.evaluation import Preparation, evaluate
    from cens_eval.model.questionnaire import Questionnaire
    from cens_eval.model.referentiel import Referentiel

    data = synthetic.referentiel(300)
    ref = Referentiel.model_validate(data)
    preparation = Preparation()
    per_run = count // runs
    rates = []
    for run in range(runs):
        spent = 0.0
        for seed in range(run * per_run, (run + 1) * per_run):
            q = Questionnaire.model_validate(synthetic.questionnaire(data, seed))
            start = time.perf_counter()
            evaluate(q, [ref], as_of=AS_OF, preparation=preparation)
            spent += time.perf_counter() - start
        rates.append(per_run / spent)
    return statistics.median(rates), max(rates)


def bench_pdf(runs: int) -> Timing:
    """Milliseconds to render the PDF of a 300-exigence dossier."""
    from cens_eval.dossier.build import Provenance, build_dossier
    from cens_eval.engine.evaluation import evaluate
    from cens_eval.model.dossier import Empreinte
    from cens_eval.model.questionnaire import Questionnaire
    from cens_eval.model.referentiel import Referentiel
    from cens_eval.render.pdf import render_pdf

    data = synthetic.referentiel(300)
    ref = Referentiel.model_validate(data)
    q = Questionnaire.model_validate(synthetic.questionnaire(data, 1))
    evaluation = evaluate(q, [ref], as_of=AS_OF)
    stamp = Empreinte(fichier="x", sha256="0" * 64)
    provenance = Provenance(stamp, stamp, {("bench", "1"): stamp}, [])
    dossier = build_dossier(q, [ref], evaluation, provenance, tool_version="bench")
    return timing_ms(lambda: render_pdf(dossier), runs)


def bench_scaling(sizes: tuple[int, ...], runs: int, env: dict[str, str]) -> dict[int, Timing]:
    """``evaluate`` (text) of a questionnaire answering a synthetic référentiel of each size."""
    timings: dict[int, Timing] = {}
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = synthetic.referentiels_dir(Path(tmp) / "referentiels", size)
            data = synthetic.referentiel(size)
            q = Path(tmp) / "q.yaml"
            q.write_text(yaml.safe_dump(synthetic.questionnaire(data, 1), allow_unicode=True))
            (Path(tmp) / "attestation.pdf").write_bytes(b"%PDF-1.4 attestation")
            local = {**env, "CENS_EVAL_REFERENTIELS": str(folder)}
            timings[size] = timing_ms(
                lambda q=q, local=local: run_cli(
                    "evaluate", str(q), "--as-of", "2026-11-22", env=local
                ),
                runs,
            )
    return timings


def make_dossiers(target: Path, count: int) -> None:
    """``count`` distinct dossier folders made from the test questionnaire with varied answers."""
    from cens_eval.dossier.pipeline import dossier_files, dossier_inputs, evaluate_to_dossier
    from cens_eval.loader.questionnaire import load_questionnaire
    from cens_eval.loader.referentiels import load_catalogue
    from cens_eval.render import Format, render
    from cens_eval.service.folder import write_dossier_dir

    catalogue = load_catalogue(packaged_referentiels_dir())
    base = ROOT / "tests" / "data" / "questionnaires" / "base"
    source = target / "source"
    shutil.copytree(base, source)
    path = source / "questionnaire.yaml"
    template = path.read_text("utf-8")
    for i in range(count):
        path.write_text(template.replace('version: "2.1"', f'version: "2.{i}"'), "utf-8")
        loaded = load_questionnaire(path, catalogue)
        _, dossier = evaluate_to_dossier(loaded, catalogue, as_of=AS_OF)
        inputs = dossier_inputs(loaded, catalogue)
        files = dossier_files(dossier, {"dossier.json": render(dossier, Format.JSON)}, None, inputs)
        write_dossier_dir(target / "lot" / f"d{i:04d}", files, inputs, force=False)


def bench_web(runs: int) -> tuple[Timing, Timing]:
    """Server time of one answer re-scored on the largest example, and the start-up of serve."""
    import re
    import shutil

    import cens_eval
    from cens_eval.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "espace"
        shutil.copytree(EXAMPLE.parent, ws)
        client = create_app(ws, cens_eval.load_referentiels(), secret="banc").test_client()
        html = client.get("/editeur/").get_data(as_text=True)
        fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
        fields["teleconsultation__ETH.30__statut"] = "conforme"
        fields["as_of"] = "2026-11-22"
        rescore = timing_ms(lambda: client.post("/editeur/score", data=fields), runs)
        start = (
            "import cens_eval; from cens_eval.web.app import create_app; "
            f"create_app(__import__('pathlib').Path({str(ws)!r}), cens_eval.load_referentiels())"
        )
        startup = timing_ms(
            lambda: subprocess.run([sys.executable, "-c", start], check=True), max(3, runs // 3)
        )
    return rescore, startup


def bench_rescore_300(runs: int) -> tuple[Timing, Timing]:
    """Server time of one answer re-scored at 300 exigences in scope, with the save's checks.

    The request as a browser sends it: URL-encoded by the page's script (every field of the
    form, chosen files by name), multipart by the « Recalculer » button without script.
    """
    import cens_eval
    from cens_eval.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        refs = synthetic.referentiels_dir(Path(tmp) / "referentiels", 300)
        ws = Path(tmp) / "espace"
        ws.mkdir()
        answers = synthetic.questionnaire(synthetic.referentiel(300), 2)
        (ws / "questionnaire.yaml").write_text(yaml.safe_dump(answers, allow_unicode=True), "utf-8")
        (ws / "attestation.pdf").write_bytes(b"%PDF-1.4 attestation")
        client = create_app(ws, cens_eval.load_referentiels(refs), secret="banc").test_client()
        sys.path.insert(0, str(ROOT))
        from tests.test_web import form_fields  # the fields a browser posts, as the tests read them

        fields = form_fields(client.get("/editeur/").get_data(as_text=True), "reponses")
        fields["as_of"] = "2026-11-22"
        changed = next(k for k in fields if k.endswith("__statut"))
        flips = iter(["conforme", "non_conforme"] * runs * 2)

        def rescore(content_type: str) -> None:
            fields[changed] = next(flips)
            answer = client.post("/editeur/score", data=fields, content_type=content_type)
            assert answer.status_code == 200, answer.get_data(as_text=True)[:500]

        encoded = timing_ms(lambda: rescore("application/x-www-form-urlencoded"), runs)
        multipart = timing_ms(lambda: rescore("multipart/form-data"), runs)
    return encoded, multipart


def machine_reference() -> float:
    """Milliseconds for a plain Python loop of 3 million additions (median of 5).

    This machine is a shared virtual machine whose speed varies during a run; this figure,
    taken before and after, says how fast it was while the others were measured.
    """

    def loop() -> int:
        total = 0
        for i in range(3_000_000):
            total += i
        return total

    return median_ms(loop, 5)


def compile_bytecode() -> None:
    """Compile cens-eval's modules, as ``pip install`` does.

    An editable install (or ``PYTHONDONTWRITEBYTECODE``, set on some machines) would otherwise
    recompile every module at every start, and the start-up figures would measure the compiler.
    """
    import compileall

    import cens_eval

    compileall.compile_dir(Path(cens_eval.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="fewer runs and fewer generated inputs"
    )
    args = parser.parse_args()
    quick = args.quick
    compile_bytecode()
    reference_before = machine_reference()
    env = {**os.environ, "CENS_EVAL_REFERENTIELS": str(packaged_referentiels_dir())}
    rows: list[tuple[str, str, str, bool | None]] = []
    run_cli("evaluate", str(EXAMPLE), "--as-of", "2026-11-22", env=env)  # warm the file cache

    click = timing_ms(
        lambda: subprocess.run([sys.executable, "-c", "import click"], check=True),
        7 if quick else 21,
    )
    rows.append(
        (
            "référence : `python -c 'import click'` seul (le ticket l'estime à ~55 ms)",
            "(information)",
            _ms(click),
            None,
        )
    )
    help_ = timing_ms(lambda: run_cli("--help", env=env), 7 if quick else 21)
    rows.append(
        ("`cens-eval --help`, démarrage à froid", "≤ 100 ms", _ms(help_), help_.median <= 100)
    )

    rescore, startup = bench_web(7 if quick else 21)
    rows.append(
        (
            "`serve` : une réponse changée, score recalculé et panneau rendu (exemple le plus grand, temps serveur)",
            "≤ 100 ms",
            _ms(rescore),
            rescore.median <= 100,
        )
    )
    encoded, multipart = bench_rescore_300(7 if quick else 21)
    rows.append(
        (
            "`serve` : une réponse changée à 300 exigences, vérifiée comme à l'enregistrement, "
            "score et panneau (formulaire envoyé par le script de la page, temps serveur)",
            "≤ 100 ms",
            _ms(encoded),
            encoded.median <= 100,
        )
    )
    rows.append(
        (
            "`serve` : idem, envoyé en multipart (bouton « Recalculer » sans script)",
            "—",
            _ms(multipart),
            None,
        )
    )
    rows.append(
        (
            "`serve` : démarrage (import, référentiels, application)",
            "≤ 1 s",
            _ms(startup),
            startup.median <= 1000,
        )
    )

    text = timing_ms(
        lambda: run_cli("evaluate", str(EXAMPLE), "--as-of", "2026-11-22", env=env),
        7 if quick else 21,
    )
    rows.append(
        (
            "`evaluate` de l'exemple le plus grand, sortie texte",
            "≤ 350 ms",
            _ms(text),
            text.median <= 350,
        )
    )

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dossier"
        full = timing_ms(
            lambda: run_cli(
                "evaluate",
                str(EXAMPLE),
                "--as-of",
                "2026-11-22",
                "-o",
                str(out),
                "--force",
                env=env,
            ),
            3 if quick else 7,
        )
    rows.append(
        (
            "`evaluate` avec JSON + XLSX + PDF",
            "≤ 1,5 s",
            f"{full.median / 1000:.2f} s (la plus rapide : {full.best / 1000:.2f} s)",
            full.median <= 1500,
        )
    )

    count = 500 if quick else 2000
    rate, fastest = bench_engine(count)
    rows.append(
        (
            f"moteur seul, {count} questionnaires de 300 exigences en 5 séries (1 cœur), "
            "résultats complets et explications",
            "(information : aucun chiffre vu d'un utilisateur n'en dépend seul)",
            f"{_per_second(rate)} (la plus rapide : {_per_second(fastest)})",
            None,
        )
    )

    sizes = (30, 300, 3000)
    scaling = bench_scaling(sizes, 3 if quick else 7, env)
    small, large = scaling[sizes[0]].median, scaling[sizes[-1]].median
    rows.append(
        (
            "`evaluate` (texte) d'un référentiel de 30, 300 et 3 000 exigences",
            "linéaire",
            " ; ".join(f"{n} : {scaling[n].median:.0f} ms" for n in sizes)
            + f" (×{large / small:.1f} pour ×100 exigences)",
            None,
        )
    )

    pdf = bench_pdf(3 if quick else 7)
    rows.append(
        (
            "PDF d'un dossier de 300 exigences",
            "≤ 1 s",
            f"{pdf.median / 1000:.2f} s (la plus rapide : {pdf.best / 1000:.2f} s)",
            pdf.median <= 1000,
        )
    )

    with tempfile.TemporaryDirectory() as tmp:
        dossiers = 200 if quick else 1000
        make_dossiers(Path(tmp), dossiers)
        command = [
            *CLI,
            "batch",
            str(Path(tmp) / "lot"),
            "-o",
            str(Path(tmp) / "s.xlsx"),
            "--jobs",
            "2",
        ]
        elapsed, peak = peak_rss_mb(command, env)
    rows.append(
        (
            f"`batch` de {dossiers} dossiers générés, 2 cœurs",
            "≤ 20 s",
            f"{elapsed:.1f} s",
            elapsed <= 20,
        )
    )
    rows.append(
        ("`batch` : mémoire de pointe (tous processus)", "< 300 Mo", f"{peak:.0f} Mo", peak < 300)
    )

    reference = (reference_before, machine_reference())
    write_results(rows, quick, reference)


def _met(ok: bool | None) -> str:
    return "—" if ok is None else "oui" if ok else "**non**"


def _per_second(rate: float) -> str:
    return f"{rate:,.0f} évaluations/s".replace(",", " ")


def _ms(timing: Timing) -> str:
    return f"{timing.median:.0f} ms (la plus rapide : {timing.best:.0f} ms)"


def write_results(
    rows: list[tuple[str, str, str, bool | None]], quick: bool, reference: tuple[float, float]
) -> None:
    """Write RESULTS.md with the machine, the versions and the table."""
    packages = ", ".join(
        f"{p} {version(p)}"
        for p in ("cens-eval", "pydantic", "pyyaml", "openpyxl", "reportlab", "click")
    )
    lines = [
        "# Mesures de performance",
        "",
        f"Machine : {platform.machine()}, {os.cpu_count()} cœurs, {platform.platform()} ; Python {platform.python_version()}",
        f"Paquets : {packages}",
        f"Mode : {'rapide (--quick)' if quick else 'complet'} ; médiane de plusieurs exécutions ; produit par `python benchmarks/run.py`.",
        "Modules de cens-eval compilés en code octet avant les mesures, comme à l'installation par pip.",
        f"Vitesse de la machine pendant les mesures (boucle Python de 3 millions d'additions) : "
        f"{reference[0]:.0f} ms avant, {reference[1]:.0f} ms après.",
        "",
        "Chaque cible est jugée sur la médiane ; la plus rapide des exécutions est donnée à côté.",
        "",
        "| mesure | cible | résultat | atteinte |",
        "|---|---|---|---|",
        *(f"| {name} | {target} | {value} | {_met(ok)} |" for name, target, value, ok in rows),
        "",
    ]
    notes = ROOT / "benchmarks" / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text("utf-8")]
    (ROOT / "benchmarks" / "RESULTS.md").write_text("\n".join(lines), "utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
