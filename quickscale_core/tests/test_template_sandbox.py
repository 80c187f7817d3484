"""Templates render in Jinja2's immutable sandbox: a component's template (which may come
from a source nobody has reviewed yet) can read its variables and use the filters, but
never reach Python's internals, run a command or mutate what it is given. A refused or
broken template is one located error line; nothing it asked for happens."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from quickscale_toolchain.generator.render import TemplateRefused, render_templates, render_text

CONTEXT = {"project_name": "acme", "options": {"plans": ["free"]}}

# Each one is harmless or fatal outside the sandbox; MARK is replaced by a file path that
# must never come into existence.
HOSTILE = {
    "cycler-globals": "{{ cycler.__init__.__globals__.os.system('touch MARK') }}",
    "lipsum-globals": "{{ lipsum.__globals__['os'].popen('touch MARK').read() }}",
    "joiner-globals": "{{ joiner.__init__.__globals__.os.system('touch MARK') }}",
    "namespace-init": "{{ namespace.__init__.__globals__.os.system('touch MARK') }}",
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "format-string": "{{ '{0.__class__.__mro__}'.format(options) }}",
    "mutate-options": "{{ options.update({'plans': []}) }}",
    "mutate-list": "{{ options.plans.append('pro') }}",
    "self-builtins": "{{ self.__init__.__globals__.__builtins__.open('MARK', 'w') }}",
}


@pytest.mark.parametrize("template", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_component_template_is_refused_in_one_located_line(
    template: str, tmp_path: Path
) -> None:
    mark = tmp_path / "ran"
    text = "# a harmless first line\n" + template.replace("MARK", str(mark)) + "\n"
    with pytest.raises(TemplateRefused) as refused:
        render_templates({"notes.txt.j2": text.encode()}, CONTEXT, "quickscale_modules/evil/gen")
    line = refused.value.one_line()
    assert line.startswith(
        "template quickscale_modules/evil/gen/notes.txt.j2:2 is refused by the template sandbox: "
    ), line
    assert "\n" not in line and "nothing was written or run" in line
    assert not mark.exists()
    assert CONTEXT["options"] == {"plans": ["free"]}  # nothing it was given changed


def test_a_settings_snippet_is_sandboxed_and_named_too(tmp_path: Path) -> None:
    mark = tmp_path / "ran"
    hostile = HOSTILE["cycler-globals"].replace("MARK", str(mark))
    with pytest.raises(TemplateRefused, match=r"^template quickscale_modules/evil/s.py.j2:3 is"):
        render_text(f"A = 1\nB = 2\n{hostile}\n", CONTEXT, "quickscale_modules/evil/s.py.j2")
    assert not mark.exists()


def test_the_failing_template_of_an_include_is_the_one_named() -> None:
    templates = {
        "page.html.j2": b"{% include 'part.j2' %}\n",
        "part.j2": b"ok\n\n{{ ''.__class__ }}\n",
    }
    with pytest.raises(TemplateRefused, match=r"^template themes-x/part.j2:3 is refused"):
        render_templates(templates, CONTEXT, "themes-x")


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("a\n{% if %}\n", r"^template m/x.j2:2 cannot be rendered: Expected an expression"),
        ("a\nb\n{{ nope }}\n", r"^template m/x.j2:3 cannot be rendered: 'nope' is undefined"),
        ("{% include 'gone.j2' %}", r"^template m/x.j2:1 cannot be rendered: gone.j2"),
    ],
    ids=["syntax", "undefined", "missing-include"],
)
def test_a_broken_template_is_one_located_line_too(template: str, message: str) -> None:
    with pytest.raises(TemplateRefused, match=message) as refused:
        render_templates({"x.j2": template.encode()}, CONTEXT, "m")
    assert "fix the template" in refused.value.one_line()


def test_what_templates_legitimately_do_still_works() -> None:
    template = (
        "{% set ns = namespace(n=0) %}{% for p in options.plans %}{% set ns.n = ns.n + 1 %}"
        "{{ loop.index }}:{{ p | upper }}{% endfor %} {{ ns.n }} {{ options.plans | join(',') }}"
        " {{ 'x' ~ project_name | pyrepr }} {{ '%s-%s' % (1, 2) }} {{ options.get('plans') }}\n"
    )
    out = render_templates({"f.j2": template.encode()}, CONTEXT)["f"].content.decode()
    assert out == "1:FREE 1 free x\"acme\" 1-2 ['free']\n"


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("QUICKSCALE_CACHE_DIR", str(home))
    monkeypatch.delenv("QUICKSCALE_NO_CACHE", raising=False)
    return home


def test_a_cache_warmed_by_an_unsandboxed_run_is_not_reused(
    cache_home: Path, tmp_path: Path
) -> None:
    """An older QuickScale compiled templates for a plain Environment into the same
    per-user cache; the sandbox compiles its own and still refuses."""
    mark = tmp_path / "ran"
    text = HOSTILE["cycler-globals"].replace("MARK", str(mark))
    jinja_dir = cache_home / "jinja"
    jinja_dir.mkdir(parents=True)
    older = jinja2.Environment(
        loader=jinja2.DictLoader({"notes.txt.j2": text}),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(jinja_dir)),
    )
    older.get_template("notes.txt.j2")  # compiled and cached, not rendered
    warmed = set(jinja_dir.iterdir())
    assert warmed
    for _ in range(2):  # cold for the sandbox, then warm
        with pytest.raises(TemplateRefused, match="refused by the template sandbox"):
            render_templates({"notes.txt.j2": text.encode()}, CONTEXT, "quickscale_modules/e")
    assert not mark.exists()
    assert len(set(jinja_dir.iterdir()) - warmed) == 1  # its own entry, made once


def test_the_compiled_template_cache_key_includes_the_environment_kind(tmp_path: Path) -> None:
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from quickscale_toolchain.generator.render import _bytecode_cache

    cache = _bytecode_cache(tmp_path)
    keys = {
        cache.get_bucket(kind(), "same.j2", "same.j2", "{{ 1 }}").key
        for kind in (jinja2.Environment, ImmutableSandboxedEnvironment)
    }
    assert len(keys) == 2
