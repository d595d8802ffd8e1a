"""The Colab edition (``python -m helpers.edition colab``), its setup cell, helpers.colab's install
rule, and the drawing pad's upload in ipywidgets 7 and 8.

Colab itself cannot be reached from a test, so ``test_in_a_colab_stand_in_*`` builds one, offline:

- **Colab's Python without the course.** A fresh venv (``python -m venv --without-pip``) whose
  site-packages holds one ``.pth`` line naming a folder of symlinks to this environment's packages.
  Python adds that folder to ``sys.path`` but reads no ``.pth`` file inside it, so the editable
  install's finder (``__editable___mnist_course_helpers_*``, which makes ``import helpers`` work in
  ``.venv`` from any folder) never runs there, and ``helpers`` is not importable. Three packages
  that Colab does not ship, ``anywidget``, its dependency ``psygnal`` and ``papermill``, are left out
  of the folder, so the setup cell has something to install.
- **google.colab.** A folder with an empty ``google/colab/__init__.py`` (no ``google/__init__.py``,
  so protobuf's ``google`` namespace still merges with it) goes on the kernel's ``PYTHONPATH``, and
  the kernel imports it at start (``--IPKernelApp.exec_lines``), as Colab's own kernel does.
- **pip.** ``MNIST_COURSE_COLAB_PIP`` points the setup at a stand-in that records its arguments and
  "installs" a package by linking the left-out entries into the folder, so the newly installed
  package is importable in the running kernel, as after a real install.
- **/content.** ``MNIST_COURSE_COLAB_ROOT`` is a temporary folder, and the repository cloned is a
  git repository made here from the course's files.

papermill runs the edition's notebook 01 in that kernel, from an empty folder.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import io
import json
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from helpers import colab, drawing, edition, paths, series

NOTEBOOKS = series.discover_notebooks()
GITHUB = "https://github.com/acme/mnist-course.git"

#: What the stand-in for Colab lacks: anywidget, its dependency psygnal, and papermill.
LEFT_OUT = ("anywidget", "psygnal", "papermill")

#: Packages only tests or the notebook server use: never installed in Colab.
TEST_AND_SERVER_ONLY = {"pytest", "pytest-xdist", "nbval", "playwright", "jupyterlab", "ipykernel"}


def load(path: pathlib.Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def run_edition(*arguments: str, cwd: pathlib.Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.edition", *arguments], capture_output=True, text=True,
                          cwd=cwd, timeout=120, check=False)


def git(*arguments: str, cwd: pathlib.Path) -> str:
    result = subprocess.run(["git", "-c", "user.name=Course tests", "-c", "user.email=tests@example.invalid",
                             "-c", "commit.gpgsign=false", *arguments], cwd=cwd, capture_output=True, text=True,
                            timeout=120, check=True)
    return result.stdout.strip()


# ---------------------------------------------------------------------------------------------
# The edition's files.


@pytest.fixture(scope="module")
def github_edition(tmp_path_factory) -> pathlib.Path:
    output = tmp_path_factory.mktemp("editions") / "colab"
    result = run_edition("colab", "--repository", GITHUB, "--branch", "colab", "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (f"The colab edition: {len(NOTEBOOKS)} notebooks and README.md in "
                                     f"{paths.display_path(output)}")
    return output


def setup_cells(notebook: dict) -> list[dict]:
    return [cell for cell in notebook["cells"] if edition.COLAB_SETUP_TAG in cell.get("metadata", {}).get("tags", [])]


def test_every_notebook_gets_one_setup_cell_right_after_its_title(github_edition):
    for path in NOTEBOOKS:
        cells = load(github_edition / "notebooks" / path.name)["cells"]
        assert setup_cells({"cells": cells}) == [cells[1]], path.name
        assert cells[0]["cell_type"] == "markdown" and source(cells[0]).startswith("# ")
        assert cells[1]["cell_type"] == "code" and cells[1]["outputs"] == []
        first_code = next(cell for cell in cells if cell["cell_type"] == "code")
        assert first_code is cells[1], f"{path.name}: the setup cell must run before every other code cell"


def test_the_setup_cell_is_short_plain_python_that_clones_the_given_branch(github_edition):
    cell = setup_cells(load(github_edition / "notebooks" / "01_loading_data.ipynb"))[0]
    text = source(cell)
    compile(text, "setup cell", "exec")  # Plain Python: no magics, so it runs in any kernel.
    assert len(text.splitlines()) <= 15
    assert 'if "google.colab" in sys.modules:' in text
    assert f'"--branch", "colab",\n                        "{GITHUB}", course]' in text
    assert "from helpers import colab" in text and "colab.setup(course)" in text


def test_the_lesson_is_kept_with_its_outputs(github_edition):
    for path in NOTEBOOKS:
        canonical, copy = load(path), load(github_edition / "notebooks" / path.name)
        rest = [cell for cell in copy["cells"] if cell not in setup_cells(copy)]
        assert len(rest) == len(canonical["cells"])
        for mine, theirs in zip(rest, canonical["cells"]):
            if theirs["cell_type"] == "code":
                assert mine == theirs  # Code and outputs as they are.
            else:
                assert mine["cell_type"] == "markdown"
        assert copy["metadata"]["mnist_course"] == {"edition": "colab"}


def test_a_github_repository_gives_open_in_colab_links_everywhere(github_edition):
    colab_page = "https://colab.research.google.com/github/acme/mnist-course/blob/colab/notebooks/"
    readme = (github_edition / "README.md").read_text()
    for path in NOTEBOOKS:
        notebook = load(github_edition / "notebooks" / path.name)
        title = source(notebook["cells"][0])
        assert f"[Open in Colab]({colab_page}{path.name})" in title, path.name
        markdown = "\n".join(source(cell) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
        # The links to the other notebooks open them in Colab; the course index is on GitHub.
        assert not re.search(r"\]\([0-9]{2}_\w+\.ipynb", markdown), path.name
        assert "](../" not in markdown
        assert "(https://github.com/acme/mnist-course/blob/colab/README.md#the-notebooks)" in markdown
        title_line = notebook_title(path)
        assert f"- [{title_line}](notebooks/{path.name}) · [Open in Colab]({colab_page}{path.name})" in readme
    assert f"{colab_page}02_preprocessing.ipynb" in source(load(github_edition / "notebooks" / "01_loading_data.ipynb")["cells"][0])
    assert "## The notebooks" in readme and "File › Upload notebook" not in readme
    assert "branch `colab` of acme/mnist-course" in readme


def notebook_title(path: pathlib.Path) -> str:
    return source(load(path)["cells"][0]).split("\n", 1)[0][2:]


@pytest.mark.parametrize("repository", ["https://gitlab.com/acme/mnist-course.git", "git@example.org:acme/course.git"])
def test_another_repository_gets_no_links_and_the_readme_says_how_to_upload(tmp_path, repository):
    result = run_edition("colab", "--repository", repository, "--output", str(tmp_path / "colab"))
    assert result.returncode == 0, result.stderr
    readme = (tmp_path / "colab" / "README.md").read_text()
    assert "is not on GitHub, so no \"Open in Colab\" links are made" in readme
    assert "choose File › Upload notebook" in readme
    assert "colab.research.google.com/github" not in readme
    for path in NOTEBOOKS:
        notebook = load(tmp_path / "colab" / "notebooks" / path.name)
        assert "colab.research.google.com/github" not in json.dumps(notebook)
        assert f"- [{notebook_title(path)}](notebooks/{path.name})\n" in readme
        assert json.dumps(repository) in source(setup_cells(notebook)[0])


def test_a_local_repository_is_cloned_by_its_absolute_path_and_the_readme_says_colab_cannot_reach_it(tmp_path):
    repository = tmp_path / "course"
    repository.mkdir()
    git("init", "-q", cwd=repository)
    result = run_edition("colab", "--repository", "course", "--output", str(tmp_path / "colab"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.dumps(str(repository.resolve())) in source(
        setup_cells(load(tmp_path / "colab" / "notebooks" / "01_loading_data.ipynb"))[0])
    assert "**This edition cannot run in Colab yet:**" in (tmp_path / "colab" / "README.md").read_text()


@pytest.mark.parametrize("arguments, message", [
    (["colab"], "the colab edition needs --repository URL"),
    (["colab", "--repository", "not a url"], "--repository 'not a url': expected a git URL"),
    (["colab", "--repository=--upload-pack=touch"], "expected a git URL"),
    (["colab", "--repository", "ftp://example.org/course"], "expected a git URL"),
    (["colab", "--repository", "https://github.com/acme"], "a GitHub URL names a repository as https://github.com/OWNER/REPO"),
    (["colab", "--repository", "https://github.com/acme/course/tree/main"], "https://github.com/OWNER/REPO"),
    (["colab", "--repository", "/nonexistent/course"], "no such folder, and not a git URL"),
    (["colab", "--repository", ".", ], "the folder holds no git repository"),
    (["colab", "--repository", GITHUB, "--branch", "a..b"], "--branch 'a..b': expected a git branch name"),
    (["colab", "--repository", GITHUB, "--branch", "main; rm"], "expected a git branch name"),
    (["student", "--repository", GITHUB], "--repository is for the colab edition only"),
    (["teacher", "--branch", "colab"], "--branch is for the colab edition only, not the teacher edition"),
])
def test_bad_colab_arguments_exit_2_with_one_line(tmp_path, arguments, message):
    result = run_edition(*arguments, "--output", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not (tmp_path / "out").exists()


def test_a_folder_that_is_not_empty_is_refused(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    result = run_edition("colab", "--repository", GITHUB, "--output", str(tmp_path))
    assert result.returncode == 2 and "it exists and is not an empty folder" in result.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["mine.txt"]


# ---------------------------------------------------------------------------------------------
# helpers.colab: what is installed.


def test_what_colab_may_need_is_what_helpers_imports_at_the_course_pins():
    needed = colab.runtime_requirements(paths.REPOSITORY_ROOT)
    names = {colab.normalize(re.match(r"[A-Za-z0-9._-]+", requirement).group()) for requirement in needed}
    assert {"anywidget", "papermill"} <= names
    assert not names & colab.NEVER_INSTALL and not names & TEST_AND_SERVER_ONLY
    pins = colab.read_pins((paths.REPOSITORY_ROOT / "requirements.txt").read_text())
    assert all(requirement == pins[colab.normalize(requirement.split("==")[0])] for requirement in needed)


def fake_world(installed: dict[str, str], requires: dict[str, list[str]]):
    """A package index and an environment as dicts; `install` adds to the environment."""
    calls = []

    def install(batch):
        calls.append(list(batch))
        for requirement in batch:
            installed[colab.normalize(re.match(r"[A-Za-z0-9._-]+", requirement).group())] = "new"

    return (lambda name: installed.get(colab.normalize(name))), (lambda name: requires.get(colab.normalize(name), [])), install, calls


def test_only_what_is_missing_is_installed_then_what_that_needs_and_is_missing():
    installed, requires, install, calls = fake_world(
        {"pyyaml": "6.0.2", "pillow": "11.0.0", "filelock": "3.18.0", "psutil": "5.9.5", "ipywidgets": "7.7.1",
         "typing-extensions": "4.14.0", "click": "8.2.1", "nbclient": "0.10.2"},
        {"anywidget": ["ipywidgets>=7.6.0", "psygnal>=0.8.1", "typing-extensions>=4.2.0", "watchfiles>=1.1.0; extra == 'dev'"],
         "papermill": ["click", "entrypoints", "nbclient>=0.2", 'aiohttp>=3.9; python_version == "2.7"']})
    done, lacking = colab.install_missing(
        ["papermill==2.7.0", "pyyaml==6.0.3", "pillow==13.0.0", "anywidget==0.11.0", "filelock==4.3.1", "psutil==7.2.2"],
        installed=installed, requires=requires, install=install)
    # Pinned where the course pins; a present package is kept whatever its version (psutil 5.9.5).
    assert calls == [["papermill==2.7.0", "anywidget==0.11.0"], ["entrypoints", "psygnal>=0.8.1"]]
    assert done == ["papermill==2.7.0", "anywidget==0.11.0", "entrypoints", "psygnal>=0.8.1"] and lacking == []


def test_colabs_own_stack_is_never_installed_even_when_missing():
    installed, requires, install, calls = fake_world({}, {"something": ["numpy>=2", "keras", "tqdm"]})
    done, lacking = colab.install_missing(["tensorflow==2.21.0", "something==1.0", "pytest==9.0.3"],
                                          installed=installed, requires=requires, install=install)
    assert calls == [["something==1.0"], ["tqdm"]]
    assert lacking == ["tensorflow", "pytest", "numpy", "keras"]
    assert done == ["something==1.0", "tqdm"]


def test_nothing_is_installed_when_nothing_is_missing():
    installed, requires, install, calls = fake_world({"anywidget": "0.9.0"}, {})
    assert colab.install_missing(["anywidget==0.11.0"], installed=installed, requires=requires,
                                 install=install) == ([], [])
    assert calls == []


def test_colabs_versions_are_reported_when_they_differ_from_the_pins():
    versions = {"tensorflow": "2.17.1", "keras": "3.15.1", "numpy": "2.0.2", "matplotlib": None}
    lines = colab.stack_differences(paths.REPOSITORY_ROOT, installed=lambda name: versions.get(name))
    pins = colab.read_pins((paths.REPOSITORY_ROOT / "requirements.txt").read_text())
    assert f"tensorflow 2.17.1 (the outputs: {pins['tensorflow'].split('==')[1]}), outside the course's tensorflow" in lines[-1]
    assert lines[0].startswith("numpy 2.0.2 (the outputs: ") and "outside" not in lines[0]
    assert len(lines) == 2  # keras is at its pin, matplotlib is missing: neither is reported.


def test_setup_refuses_a_folder_that_is_not_the_course(tmp_path):
    with pytest.raises(colab.ColabSetupError, match=r"is not a copy of the course .* delete it \(!rm -rf "):
        colab.setup(tmp_path)


def test_outside_colab_the_setup_cell_does_nothing(tmp_path, github_edition):
    cell = source(setup_cells(load(github_edition / "notebooks" / "01_loading_data.ipynb"))[0])
    content = tmp_path / "content"
    probe = ("import os, sys\nbefore = (list(sys.path), os.getcwd(), dict(os.environ))\n" + cell +
             "\nassert (list(sys.path), os.getcwd(), dict(os.environ)) == before\n"
             "assert 'helpers.colab' not in sys.modules and 'google.colab' not in sys.modules\nprint('untouched')\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "MNIST_COURSE_COLAB_ROOT": str(content),
                                 "MNIST_COURSE_COLAB_PIP": "false"}, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "untouched\n" and not content.exists()


# ---------------------------------------------------------------------------------------------
# The stand-in for Colab (see the module docstring).


FAKE_PIP = '''\
import json, pathlib, re, sys

config = json.loads(pathlib.Path(sys.argv[1]).read_text())
arguments = sys.argv[2:]
with open(config["log"], "a") as log:
    log.write(json.dumps(arguments) + "\\n")
if arguments[:1] != ["install"]:
    sys.exit("the stand-in pip only installs")
for requirement in arguments[1:]:
    if requirement.startswith("-"):
        continue
    name = re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group()).lower()
    if name not in config["index"]:
        sys.exit(f"the stand-in pip has no {name}: it is installed already, or the course does not need it")
    for entry in config["index"][name]:
        target = pathlib.Path(config["target"]) / pathlib.Path(entry).name
        if not target.exists():
            target.symlink_to(entry)
'''


def top_level_entries(name: str) -> list[pathlib.Path]:
    """The entries of this environment's site-packages that belong to a distribution."""
    distribution = importlib.metadata.distribution(name)
    site_packages = pathlib.Path(distribution.locate_file("")).resolve()
    parts = {pathlib.PurePath(file).parts[0] for file in distribution.files or []}
    return sorted(site_packages / part for part in parts if part not in ("..", "__pycache__")
                  and (site_packages / part).exists())


@pytest.fixture(scope="module")
def course_repository(tmp_path_factory) -> pathlib.Path:
    """A git repository of the course's files, as they are in this checkout (committed or not, never ignored)."""
    repository = tmp_path_factory.mktemp("github") / "mnist-course"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=paths.REPOSITORY_ROOT, capture_output=True, text=True, timeout=60, check=True).stdout
    for name in filter(None, listed.split("\0")):
        origin = paths.REPOSITORY_ROOT / name
        if origin.is_file():  # A file deleted in the working tree is still listed until the deletion is staged.
            (repository / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, repository / name)
    git("init", "-q", cwd=repository)
    git("symbolic-ref", "HEAD", "refs/heads/main", cwd=repository)
    git("add", "-A", cwd=repository)
    git("commit", "-q", "-m", "The course, for the Colab stand-in", cwd=repository)
    return repository


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory) -> dict[str, pathlib.Path]:
    """A Python without the course or LEFT_OUT, a kernel for it that looks like Colab's, and a stand-in pip."""
    root = tmp_path_factory.mktemp("colab-stand-in")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / "venv")], check=True, timeout=120)
    python = root / "venv" / "bin" / "python"
    purelib = pathlib.Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                          capture_output=True, text=True, check=True, timeout=60).stdout.strip())
    site_packages = pathlib.Path(importlib.metadata.distribution("ipykernel").locate_file("")).resolve()
    left_out = {name: top_level_entries(name) for name in LEFT_OUT}
    hidden = {entry.name for entries in left_out.values() for entry in entries}
    packages = root / "packages"
    packages.mkdir()
    for entry in site_packages.iterdir():
        if (entry.name in hidden or entry.suffix == ".pth" or entry.name == "__pycache__"
                or entry.name.startswith(("__editable__", "mnist_course_helpers"))):
            continue
        (packages / entry.name).symlink_to(entry)
    (purelib / "colab-stand-in.pth").write_text(f"{packages}\n")
    (root / "google" / "colab").mkdir(parents=True)
    (root / "google" / "colab" / "__init__.py").write_text("")
    config = root / "pip.json"
    index = {name: [str(entry) for entry in entries] for name, entries in left_out.items()}
    config.write_text(json.dumps({"log": str(root / "pip.log"), "target": str(packages), "index": index}))
    (root / "pip.py").write_text(FAKE_PIP)
    kernel = root / "jupyter" / "kernels" / "colab-stand-in"
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--IPKernelApp.exec_lines=import google.colab"],
        "display_name": "Colab stand-in", "language": "python",
        "env": {"PYTHONPATH": str(root), "MNIST_COURSE_COLAB_ROOT": str(root / "content"),
                "MNIST_COURSE_COLAB_PIP": shlex.join([str(python), str(root / "pip.py"), str(config)])},
    }))
    return {"root": root, "python": python, "content": root / "content", "log": root / "pip.log",
            "jupyter": root / "jupyter"}


PROBE_BEFORE = """\
import importlib.util, json, os, sys
print("PROBE", json.dumps({"helpers": importlib.util.find_spec("helpers") is not None,
                           "colab": "google.colab" in sys.modules, "cwd": os.getcwd()}))"""

PROBE_AFTER = """\
import json, os, subprocess, sys
import helpers
from helpers import paths
child = subprocess.run([sys.executable, "-c", "import helpers; print(helpers.__file__)"], capture_output=True, text=True)
print("PROBE", json.dumps({"helpers": helpers.__file__, "data": str(paths.BUNDLED_MNIST_PATH), "cwd": os.getcwd(),
                           "child": child.stdout.strip()}))"""


def code_cell(text: str, cell_id: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": cell_id, "metadata": {}, "outputs": [], "source": text}


def stdout(cell: dict) -> str:
    return "".join(source({"source": output.get("text", "")}) for output in cell.get("outputs", [])
                   if output.get("output_type") == "stream" and output.get("name") == "stdout")


@pytest.mark.skipif(os.name == "nt", reason="the stand-in links packages with symlinks")
def test_in_a_colab_stand_in_notebook_01_clones_the_course_installs_only_what_is_missing_and_runs(
        tmp_path, course_repository, stand_in):
    # Without the setup cell, the course cannot be imported there: that is what Colab looks like.
    empty = tmp_path / "empty"
    empty.mkdir()
    bare = subprocess.run([str(stand_in["python"]), "-c", "import helpers"], cwd=empty, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(stand_in["root"])}, timeout=60, check=False)
    assert bare.returncode != 0 and "No module named 'helpers'" in bare.stderr

    built = run_edition("colab", "--repository", str(course_repository), "--output", str(tmp_path / "colab"))
    assert built.returncode == 0, built.stderr
    notebook = load(tmp_path / "colab" / "notebooks" / "01_loading_data.ipynb")
    setup = setup_cells(notebook)[0]
    position = notebook["cells"].index(setup)
    again = {**setup, "id": "colab-setup-again", "metadata": {}}
    notebook["cells"][position:position + 1] = [code_cell(PROBE_BEFORE, "probe-before"), setup, again,
                                                code_cell(PROBE_AFTER, "probe-after")]
    probed, executed = tmp_path / "probed.ipynb", tmp_path / "executed.ipynb"
    probed.write_text(json.dumps(notebook))

    result = subprocess.run(
        [sys.executable, "-m", "papermill", str(probed), str(executed), "-k", "colab-stand-in", "--cwd", str(empty),
         "--no-progress-bar", "--execution-timeout", "300"],
        env={**os.environ, "JUPYTER_PATH": str(stand_in["jupyter"])}, capture_output=True, text=True, timeout=600,
        check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    cells = load(executed)["cells"]
    by_id = {cell.get("id"): cell for cell in cells}
    before = json.loads(stdout(by_id["probe-before"]).split("PROBE ", 1)[1])
    after = json.loads(stdout(by_id["probe-after"]).split("PROBE ", 1)[1])
    clone = (stand_in["content"] / "mnist-course").resolve()

    # Before the setup cell: Colab's kernel, no helpers, an empty folder.
    assert before == {"helpers": False, "colab": True, "cwd": str(empty.resolve())}
    # The setup cell cloned the repository and made its helpers and data the ones in use.
    assert git("rev-parse", "HEAD", cwd=clone) == git("rev-parse", "HEAD", cwd=course_repository)
    assert after["helpers"] == str(clone / "helpers" / "__init__.py")
    assert after["data"] == str(clone / "data" / "mnist.npz")
    assert after["child"] == after["helpers"], "a kernel that notebook 12 starts must find the same helpers"
    assert after["cwd"] == str(clone / "notebooks")
    # It installed exactly what the stand-in lacks, without dependencies, and nothing else.
    calls = [json.loads(line) for line in stand_in["log"].read_text().splitlines()]
    pins = colab.read_pins((course_repository / "requirements.txt").read_text())
    psygnal = next(requirement for requirement in importlib.metadata.requires("anywidget") if requirement.startswith("psygnal"))
    assert calls == [["install", "-q", "--no-deps", pins["papermill"], pins["anywidget"]],
                     ["install", "-q", "--no-deps", psygnal.replace(" ", "")]]
    requested = {colab.normalize(re.match(r"[A-Za-z0-9._-]+", argument).group())
                 for call in calls for argument in call[1:] if not argument.startswith("-")}
    assert requested == set(LEFT_OUT) and not requested & (colab.NEVER_INSTALL | TEST_AND_SERVER_ONLY)
    assert stdout(by_id["colab-setup"]).splitlines() == [
        f"Colab is set up: the course's code and data are in {clone}, and this notebook runs in its notebooks/ folder.",
        f"Installed what Colab lacked: {pins['papermill']}, {pins['anywidget']}, {psygnal.replace(' ', '')}."]
    # Run again, it clones nothing and installs nothing: the packages are importable without a restart.
    assert stdout(by_id["colab-setup-again"]).splitlines()[1] == "Nothing to install: Colab has every package the course needs."
    # And the lesson ran as stored: every output that nbval compares is the same.
    assert not [output for cell in cells for output in cell.get("outputs", []) if output["output_type"] == "error"]
    stored = {cell["id"]: cell for cell in load(tmp_path / "colab" / "notebooks" / "01_loading_data.ipynb")["cells"]}
    compared = [cell for cell in cells if cell.get("id") in stored and cell["cell_type"] == "code" and stored[cell["id"]]["outputs"]
                and "NBVAL_IGNORE_OUTPUT" not in source(cell)
                and "nbval-ignore-output" not in cell.get("metadata", {}).get("tags", [])]
    assert len(compared) >= 5
    for cell in compared:
        assert stdout(cell) == stdout(stored[cell["id"]]), source(cell)


# ---------------------------------------------------------------------------------------------
# The drawing pad's upload, in ipywidgets 7 (Colab) and 8.


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (28, 28), 255).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_ipywidgets_8_upload_is_read():
    content = png_bytes()
    value = ({"name": "seven.png", "type": "image/png", "size": len(content), "content": memoryview(content),
              "last_modified": datetime.datetime(2026, 12, 2, tzinfo=datetime.timezone.utc)},)
    assert drawing.uploaded_files(value) == [("seven.png", content)]
    assert drawing.uploaded_files(()) == []


def test_an_ipywidgets_7_upload_is_read():
    content = png_bytes()
    value = {"seven.png": {"metadata": {"name": "seven.png", "type": "image/png", "size": len(content),
                                        "lastModified": 1700000000000}, "content": content},
             "two.png": {"metadata": {"name": "two.png"}, "content": memoryview(b"not a png")}}
    assert drawing.uploaded_files(value) == [("seven.png", content), ("two.png", b"not a png")]
    assert drawing.uploaded_files({}) == []


@pytest.mark.parametrize("value", [None, 42, ({"name": "x.png"},), {"x.png": {"metadata": {}}}])
def test_an_upload_value_of_another_shape_is_refused_in_words(value):
    with pytest.raises(ValueError, match="neither ipywidgets 8's tuple of files nor ipywidgets 7's dict"):
        drawing.uploaded_files(value)


def test_the_panel_reads_an_uploaded_photo():
    import ipywidgets

    seen = []
    panel = drawing.digit_reader(lambda image: (seen.append(image.shape) or "a blank page", None))
    upload = next(widget for widget in _descendants(panel) if isinstance(widget, ipywidgets.FileUpload))
    pad = next(widget for widget in _descendants(panel) if type(widget).__name__ == "DrawingPad")
    content = png_bytes()
    upload.value = ({"name": "blank.png", "type": "image/png", "size": len(content), "content": memoryview(content),
                     "last_modified": datetime.datetime(2026, 12, 2, tzinfo=datetime.timezone.utc)},)
    assert seen == [(28, 28)] and pad.status == "a blank page"


def _descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)
