"""A portal scenario in Debian's Chromium (a web/e2e/*.mjs script run with Node.js), read back as
the one JSON line the script prints last (web/e2e/browser.mjs `answer`): shared by the portal tests
of the areas whose scripts take a step and a user through AMIS_* variables."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from support import REPO_ROOT
from test_portal import CHROMIUM


def run_scenario(script: str, portal_url: str, artefacts: Path, step: str, user: str | None, password: str,
                 **actions) -> dict:
    """`node e2e/<script> <portal_url> <artefacts>` with AMIS_STEP, AMIS_USER, AMIS_PASSWORD and an
    AMIS_<NAME> for each action; asserts the scenario neither failed nor met a page error."""
    artefacts.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CHROMIUM": str(CHROMIUM), "AMIS_STEP": step, "AMIS_USER": user or "",
           "AMIS_PASSWORD": password, **{f"AMIS_{k.upper()}": str(v) for k, v in actions.items()}}
    p = subprocess.run(["node", f"e2e/{script}", portal_url, str(artefacts)],
                       cwd=REPO_ROOT / "web", env=env, capture_output=True, text=True, timeout=240)
    assert p.returncode == 0, p.stderr[-3000:]
    answer = json.loads(p.stdout.strip().splitlines()[-1])
    assert "failure" not in answer, answer["failure"] + f"\n(screenshots in {artefacts})"
    assert answer["errors"] == [], answer["errors"]
    return answer
