"""`dbt docs generate` works and every model and every column it finds is described."""

import json


def test_every_model_and_column_is_documented(sample_build):
    # the catalog and the YAML docs are what is checked: no need to compile every node
    sample_build.dbt("docs", "generate", "--no-compile", vars={"raw_data_path": "data/sample"})
    manifest = json.loads((sample_build.target_path / "manifest.json").read_text())
    catalog = json.loads((sample_build.target_path / "catalog.json").read_text())

    by_name = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    missing = []
    for unique_id, entry in catalog["nodes"].items():
        node = manifest["nodes"][unique_id]
        if node["resource_type"] not in ("model", "seed"):
            continue
        if not node["description"].strip():
            missing.append(f"{node['name']} (model description)")
        documented = {name.lower(): col["description"] for name, col in node["columns"].items()}
        # the engine's feature views carry the input project's features, documented there
        source = (
            by_name.get(f"input_{node['name']}") if node["package_name"] == "leadscore" else None
        )
        if source is not None:
            documented = {
                **{n.lower(): c["description"] for n, c in source["columns"].items()},
                **documented,
            }
        for column in entry["columns"]:
            if not documented.get(column.lower(), "").strip():
                missing.append(f"{node['name']}.{column}")
    assert not missing, "undocumented: " + ", ".join(missing)
    # every model of the project made it into the catalog (views and tables alike)
    models = {
        n["name"]
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["config"]["materialized"] != "ephemeral"
    }
    in_catalog = {manifest["nodes"][u]["name"] for u in catalog["nodes"]}
    assert models <= in_catalog


def test_readme_reference_table_is_the_shipped_card():
    """The README's CV table and AUC are `leadscore card`'s output for the shipped artifact."""
    import json
    import re

    from leadscore import settings
    from leadscore.show_card import cv_table

    readme = (settings.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(
        r"<!-- cv-table:start -->\n```\n(.*?)```\n<!-- cv-table:end -->", readme, re.S
    )
    assert block, "README lost its cv-table markers"
    assert block.group(1) == cv_table(settings.DEFAULT_ARTIFACT_DIR) + "\n", (
        "README table differs from the shipped card: paste the output of `leadscore card`"
    )
    card = json.loads((settings.DEFAULT_ARTIFACT_DIR / "model_card.json").read_text())
    assert f"CV AUC {card['validation']['roc_auc']:.2f}" in readme
