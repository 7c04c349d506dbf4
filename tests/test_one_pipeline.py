"""One pipeline: the command line, the library and the web write the same dossiers and reviews."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import cens_eval
from cens_eval.render.yaml_data import yaml_text
from tests.test_web import AS_OF, EXAMPLE, client, token, workspace

__all__ = ["client", "workspace"]  # the fixtures of the web tests, shared


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _review(dossier: Path) -> dict[str, object]:
    found = cens_eval.read_dossier(dossier)
    avis = {r.id: {e.id: {"avis": "valide"} for e in r.exigences} for r in found.dossier.resultats}
    first = found.dossier.resultats[0]
    avis[first.id][first.exigences[0].id] = {"avis": "non_valide", "commentaire": "Incomplet."}
    return {
        "evaluateur": {"nom": "Claire Martin"},
        "date": "2026-11-25",
        "dossier_sha256": found.sha256,
        "avis": avis,
    }


def test_cli_library_and_web_write_byte_identical_dossiers(
    run_cli, client, workspace: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    questionnaire = workspace / "questionnaire.yaml"
    cli = tmp_path / "cli"
    done = run_cli("evaluate", str(questionnaire), "--as-of", AS_OF, "-o", str(cli))
    assert done.code in (0, 1), done.stderr  # conforme or not: the dossier is written

    catalogue = cens_eval.load_referentiels()
    loaded = cens_eval.load_questionnaire(questionnaire, catalogue)
    produced = cens_eval.produce_dossier(loaded, catalogue, as_of=dt.date.fromisoformat(AS_OF))
    library = tmp_path / "bibliotheque"
    cens_eval.write_dossier(library, produced)

    made = client.post("/editeur/dossier", data={"csrf": token(client), "as_of": AS_OF})
    assert made.status_code == 302, made.data.decode()[:2000]
    web = workspace / "dossiers" / f"dossier-{AS_OF}"

    expected = files_of(cli)
    assert {"dossier.json", "dossier.pdf", "dossier.xlsx", "manifeste.json"} <= set(expected)
    assert files_of(library) == expected
    assert files_of(web) == expected


def test_a_review_given_as_data_is_the_review_apply_writes(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dossier = tmp_path / "dossier"
    run_cli("evaluate", str(EXAMPLE / "questionnaire.yaml"), "--as-of", AS_OF, "-o", str(dossier))
    template = tmp_path / "modele.yaml"
    assert run_cli("review", "init", str(dossier), "-o", str(template)).code == 0
    made = cens_eval.review_template(dossier)
    assert made.data == template.read_bytes()
    assert made.exigences == sum(
        len(r.exigences) for r in cens_eval.read_dossier(dossier).dossier.resultats
    )

    data = _review(dossier)
    review_file = tmp_path / "revue.yaml"
    review_file.write_text(yaml_text(data), "utf-8")
    by_cli = tmp_path / "revu-cli"
    assert run_cli("review", "apply", str(dossier), str(review_file), "-o", str(by_cli)).code == 0

    outcome = cens_eval.review_dossier(dossier, data, dt.date(2026, 11, 25), name="revue.yaml")
    by_library = tmp_path / "revu-bibliotheque"
    written = cens_eval.write_reviewed_dossier(by_library, outcome)
    assert written == ("revue.json", "revue.pdf", "revue.xlsx")
    assert files_of(by_library) == files_of(by_cli)
    assert run_cli("dossier", "verify", str(by_library)).code == 0


def test_a_refused_review_given_as_data_names_its_file_never_a_scratch_path(
    run_cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    dossier = tmp_path / "dossier"
    run_cli("evaluate", str(EXAMPLE / "questionnaire.yaml"), "--as-of", AS_OF, "-o", str(dossier))
    data = {**_review(dossier), "date": "2020-01-01"}
    with pytest.raises(cens_eval.LoadError) as refused:
        cens_eval.review_dossier(dossier, data, name="revue-claire.yaml")
    assert refused.value.problems
    for problem in refused.value.problems:
        assert problem.file == "revue-claire.yaml"
        assert "antérieure" in problem.message


def test_as_of_defaults_to_today_as_the_command_line() -> None:
    catalogue = cens_eval.load_referentiels()
    loaded = cens_eval.load_questionnaire(EXAMPLE / "questionnaire.yaml", catalogue)
    _, dossier = cens_eval.evaluate_to_dossier(loaded, catalogue)
    assert dossier.as_of == dt.date.today()
    assert cens_eval.produce_dossier(loaded, catalogue).dossier.as_of == dt.date.today()


def test_a_signed_review_is_never_overwritten(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    client.post("/editeur/dossier", data={"csrf": token(client), "as_of": AS_OF})
    name = f"dossier-{AS_OF}"
    page = client.get(f"/evaluateur/espace/{name}/").data.decode()
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    fields = {"csrf": csrf, "evaluateur_nom": "Claire Martin", "date": "2026-11-25"}
    first = client.post(f"/evaluateur/espace/{name}/", data={**fields, "action": "produire"})
    assert first.status_code == 302, first.data.decode()[:2000]
    signed = workspace / "dossiers-revus" / f"{name}-revu"
    before = files_of(signed)
    again = client.post(
        f"/evaluateur/espace/{name}/",
        data={**fields, "evaluateur_nom": "Paul Durand", "action": "produire"},
    )
    assert again.status_code == 302, again.data.decode()[:2000]
    assert files_of(signed) == before
    second = workspace / "dossiers-revus" / f"{name}-revu-2"
    reviewed = cens_eval.read_dossier(second).reviewed
    assert reviewed is not None and reviewed.revue.evaluateur.nom == "Paul Durand"
    assert [h.evaluateur for h in reviewed.revue.historique] == ["Claire Martin"]
    assert cens_eval.verify_dossier(second).intact


def test_after_signing_the_page_shows_the_signed_review(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    client.post("/editeur/dossier", data={"csrf": token(client), "as_of": AS_OF})
    name = f"dossier-{AS_OF}"
    page = client.get(f"/evaluateur/espace/{name}/").data.decode()
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    done = client.post(
        f"/evaluateur/espace/{name}/",
        data={
            "csrf": csrf,
            "evaluateur_nom": "Claire Martin",
            "date": "2026-11-25",
            "action": "produire",
        },
    )
    signed = client.get(done.headers["Location"]).data.decode()
    recorded = cens_eval.read_dossier(workspace / "dossiers-revus" / f"{name}-revu").reviewed
    assert recorded is not None
    assert "Revue signée" in signed and "Claire Martin" in signed and "25/11/2026" in signed
    opinion = cens_eval.Opinion(recorded.revue.opinion_proposee)
    from cens_eval.model.review import OPINION_LABELS

    assert f"Avis proposé : {OPINION_LABELS[opinion]}" in signed
    assert "fichier/revue.pdf" in signed
    panel = signed[signed.index('id="panneau-revue"') :]
    assert f"Exigences sans avis : {len(recorded.revue.sans_avis)}" in panel


def test_an_evaluator_page_view_does_not_verify_an_unchanged_dossier_again(
    client, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    client.post("/editeur/dossier", data={"csrf": token(client), "as_of": AS_OF})
    name = f"dossier-{AS_OF}"
    cache = client.application.config["CENS_VERIFICATIONS"]
    for _ in range(3):
        assert "Dossier intact" in client.get(f"/evaluateur/espace/{name}/").data.decode()
    assert cache.verified == 1
    rendered = workspace / "dossiers" / name / "dossier.pdf"
    rendered.write_bytes(rendered.read_bytes() + b"\n")
    page = client.get(f"/evaluateur/espace/{name}/").data.decode()
    assert "Dossier modifié" in page
    assert cache.verified == 2


def test_the_evaluator_page_shows_the_notes_dossier_verify_prints(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    from cens_eval.web.app import create_app

    earlier = Path(__file__).parent / "data" / "versions" / "0.1.0"
    app = create_app(workspace, cens_eval.load_referentiels(), secret="t", dossiers=earlier)
    page = app.test_client().get("/evaluateur/externe/dossier/").data.decode()
    printed = run_cli("dossier", "verify", str(earlier / "dossier")).stdout
    notes = [line.split(" : ", 1)[1] for line in printed.splitlines() if "produit par" in line]
    assert notes
    import html

    for note in notes:
        assert note in html.unescape(page)


def _answers_form(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from tests.test_web import form_fields

    return form_fields(client.get("/editeur/").data.decode(), "reponses")


def test_a_refused_save_shows_what_was_typed_and_keeps_no_upload(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    import html
    import io

    fields = _answers_form(client)
    document = next(
        k
        for k in fields
        if k.startswith("teleconsultation__ETH.30__preuve__") and k.endswith("__fichier")
    )
    other = next(k for k in fields if k.endswith("__fichier") and "ETH.30" not in k)
    before = sorted(p.name for p in (workspace / "preuves").iterdir())
    saved = (workspace / "questionnaire.yaml").read_bytes()
    data = {
        **fields,
        "teleconsultation__ETH.30__justification": "Réponse tapée à ne pas perdre.",
        document: "",
        document.replace("__fichier", "__declaration"): "une déclaration au lieu d'un fichier",
        other.replace("__fichier", "__upload"): (io.BytesIO(b"%PDF-1.4 x"), "nouvelle.pdf"),
        "action": "enregistrer",
    }
    refused = client.post("/editeur/", data=data, content_type="multipart/form-data")
    page = html.unescape(refused.data.decode())
    assert refused.status_code == 400
    assert "pas une déclaration" in page
    assert "Réponse tapée à ne pas perdre." in page
    assert "questionnaire.yaml:" in page and str(workspace) not in page
    fieldset = page[page.index('id="ex-teleconsultation-ETH.30"') :]
    assert "pas une déclaration" in fieldset[: fieldset.index("</legend>") + 600]
    assert '<a href="#ex-teleconsultation-ETH.30">' in refused.data.decode()
    assert "choisissez-les de nouveau" in page
    assert sorted(p.name for p in (workspace / "preuves").iterdir()) == before
    assert (workspace / "questionnaire.yaml").read_bytes() == saved


def test_a_conflict_shows_what_was_typed_and_lets_one_keep_it(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    import html

    from tests.test_web import form_fields

    fields = _answers_form(client)
    assert client.post("/editeur/", data={**fields, "action": "enregistrer"}).status_code == 302
    mine = {
        **fields,
        "teleconsultation__ETH.30__justification": "Ma version.",
        "action": "enregistrer",
    }
    stale = client.post("/editeur/", data=mine)
    page = html.unescape(stale.data.decode())
    assert stale.status_code == 409
    assert "modifié ailleurs" in page and "Ma version." in page
    kept = form_fields(stale.data.decode(), "reponses")
    assert kept["teleconsultation__ETH.30__justification"] == "Ma version."
    again = client.post("/editeur/", data={**kept, "action": "enregistrer"})
    assert again.status_code == 302
    assert "Ma version." in (workspace / "questionnaire.yaml").read_text("utf-8")


def _panel(page: str) -> str:
    start = page.index('<div id="panneau-score"')
    body = page[start : page.index("</div>", start)]
    body = re.sub(r"<p class=\"petit\">Comptés comme fournis.*?</p>", "", body)
    return " ".join(body.split())


def test_the_live_panel_refuses_what_the_save_refuses(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    import html

    fields = _answers_form(client)
    document = next(
        k
        for k in fields
        if k.startswith("teleconsultation__ETH.30__preuve__") and k.endswith("__fichier")
    )
    typed = {
        **fields,
        document: "",
        document.replace("__fichier", "__declaration"): "une déclaration au lieu d'un fichier",
    }
    panel = html.unescape(client.post("/editeur/score", data=typed).data.decode())
    saved = html.unescape(
        client.post("/editeur/", data={**typed, "action": "enregistrer"}).data.decode()
    )
    message = "joindre un fichier ou une URL, pas une déclaration"
    assert message in panel and message in saved
    assert "Scores par principe" not in panel  # nothing counted as satisfied


def test_the_live_panel_scores_a_chosen_file_as_the_save_then_does(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    import io

    fields = _answers_form(client)
    document = next(
        k
        for k in fields
        if k.startswith("teleconsultation__ETH.30__preuve__") and k.endswith("__fichier")
    )
    fields["teleconsultation__ETH.30__statut"] = "conforme"
    fields[document] = ""
    upload = document.replace("__fichier", "__upload")
    chosen = {**fields, upload.replace("__upload", "__choisi"): "etude.pdf"}
    live = client.post("/editeur/score", data=chosen).data.decode()
    assert "à enregistrer : preuves/etude.pdf" in live
    saved = client.post(
        "/editeur/",
        data={**fields, upload: (io.BytesIO(b"%PDF-1.4 e"), "etude.pdf"), "action": "enregistrer"},
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302, saved.data.decode()[:2000]
    after = client.get(saved.headers["Location"]).data.decode()
    assert _panel(live) == _panel(after)
    without = client.post("/editeur/score", data=fields).data.decode()
    assert _panel(without) != _panel(after)  # the chosen file is what made the difference


def test_a_large_multipart_form_is_read_as_sent(tmp_path: Path) -> None:
    """Hundreds of empty fields, as a browser posts them: read exactly, whatever the boundary."""
    import sys

    import yaml

    from cens_eval.web.app import create_app
    from tests.test_web import form_fields

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import synthetic

    refs = synthetic.referentiels_dir(tmp_path / "referentiels", 300)
    ws = tmp_path / "espace"
    ws.mkdir()
    answers = synthetic.questionnaire(synthetic.referentiel(300), 5)
    (ws / "questionnaire.yaml").write_text(yaml.safe_dump(answers, allow_unicode=True), "utf-8")
    (ws / "attestation.pdf").write_bytes(b"%PDF-1.4 attestation")
    client = create_app(ws, cens_eval.load_referentiels(refs), secret="t").test_client()
    fields = form_fields(client.get("/editeur/").data.decode(), "reponses")
    assert sum(1 for v in fields.values() if not v) > 500
    encoded = _panel(client.post("/editeur/score", data=fields).data.decode())
    for _ in range(10):  # a new boundary each time
        sent = client.post("/editeur/score", data=fields, content_type="multipart/form-data")
        assert sent.status_code == 200
        assert _panel(sent.data.decode()) == encoded
