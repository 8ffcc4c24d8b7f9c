"""The package templates are logic-free: they place ready text from the views, and nothing else.

Allowed: template text, `{{ name }}` and `{{ name.attr }}`, `{% for x in name.attr %}`, `{% if name.attr %}`
(with else/elif of the same form), macros from macros.j2 and calls of them, and constants only as
arguments of those calls. Everything else (filters, tests, comparisons, `not`/`and`/`or`, `~`, `+`,
`{% set %}`, subscripts, method calls) means a decision was made in a template instead of a view.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from conftest import REPO
from jinja2 import nodes

from generator.render import environment

PACKAGE_TEMPLATES = REPO / "templates" / "package"
MACROS = "macros.j2"


@dataclass
class Checker:
    template: str
    macros: set[str] = field(default_factory=set)  # macro names callable directly
    namespaces: set[str] = field(default_factory=set)  # `{% import "macros.j2" as m %}` names
    problems: list[str] = field(default_factory=list)

    def fail(self, node: nodes.Node, what: str) -> None:
        self.problems.append(f"{self.template}:{node.lineno}: {what}")

    def reference(self, node: nodes.Node) -> bool:
        """A plain `name` or `name.attr.attr`: the only expressions a template may use."""
        if isinstance(node, nodes.Name):
            return node.ctx == "load"
        return isinstance(node, nodes.Getattr) and self.reference(node.node)

    def statements(self, body: list[nodes.Node]) -> None:
        for node in body:
            self.statement(node)

    def statement(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    continue
                self.expression(child)
        elif isinstance(node, nodes.For):
            if not (isinstance(node.target, nodes.Name) and node.target.ctx == "store"):
                self.fail(node, "a for loop must bind one plain name")
            if not self.reference(node.iter):
                self.fail(node, f"a for loop must run over a name or attribute, not {type(node.iter).__name__}")
            if node.test is not None:
                self.fail(node, "a for loop must not filter (`for x in y if ...`)")
            if node.recursive:
                self.fail(node, "a for loop must not be recursive")
            self.statements(node.body)
            self.statements(node.else_)
        elif isinstance(node, nodes.If):
            if not self.reference(node.test):
                self.fail(node, f"an if must test a single name or attribute, not {type(node.test).__name__}")
            self.statements(node.body)
            for branch in node.elif_:
                self.statement(branch)
            self.statements(node.else_)
        elif isinstance(node, nodes.Macro):
            if self.template != MACROS:
                self.fail(node, "macros are defined in macros.j2 only")
            if node.defaults:
                self.fail(node, "macro arguments take no defaults")
            self.macros.add(node.name)
            self.statements(node.body)
        elif isinstance(node, (nodes.Import, nodes.FromImport)):
            if not (isinstance(node.template, nodes.Const) and node.template.value == MACROS):
                self.fail(node, "only macros.j2 may be imported")
            elif isinstance(node, nodes.Import):
                self.namespaces.add(node.target)
            else:
                self.macros.update(n if isinstance(n, str) else n[1] for n in node.names)
        else:
            self.fail(node, f"{type(node).__name__} is not allowed in a template")

    def expression(self, node: nodes.Node) -> None:
        if self.reference(node):
            return
        if isinstance(node, nodes.Call):
            self.call(node)
        elif isinstance(node, nodes.Const):
            self.fail(node, "a constant outside a macro call")
        else:
            self.fail(node, f"{type(node).__name__} is not allowed in a template")

    def call(self, node: nodes.Call) -> None:
        callee = node.node
        is_macro = (isinstance(callee, nodes.Name) and callee.name in self.macros) or (
            isinstance(callee, nodes.Getattr) and isinstance(callee.node, nodes.Name)
            and callee.node.name in self.namespaces
        )
        if not is_macro:
            self.fail(node, "only macros may be called (no methods or globals)")
        if node.dyn_args is not None or node.dyn_kwargs is not None:
            self.fail(node, "no *args or **kwargs in a macro call")
        for argument in [*node.args, *(k.value for k in node.kwargs)]:
            if not (self.reference(argument) or isinstance(argument, nodes.Const)):
                kind = type(argument).__name__
                self.fail(argument, f"a macro argument must be a name, attribute or constant, not {kind}")


def check(name: str, source: str) -> list[str]:
    tree = environment().parse(source)
    checker = Checker(name)
    checker.statements(tree.body)
    return checker.problems


TEMPLATES = sorted(p.relative_to(PACKAGE_TEMPLATES).as_posix() for p in PACKAGE_TEMPLATES.rglob("*") if p.is_file())


def test_there_are_templates() -> None:
    assert {"_client.py.j2", "resource.py.j2", MACROS, "README.md.j2"} <= set(TEMPLATES)


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_is_logic_free(name: str) -> None:
    assert check(name, (PACKAGE_TEMPLATES / name).read_text(encoding="utf-8")) == []


GOOD = [
    "plain text",
    "{{ a }} and {{ a.b.c }}",
    "{% for x in a.items %}{{ x.name }}{% else %}none{% endfor %}",
    "{% if a.flag %}x{% elif b %}y{% else %}z{% endif %}",
    '{% import "macros.j2" as m %}{{ m.arguments(method) }}{{ m.options(method, "literal", 3) }}',
    '{% from "macros.j2" import options %}{{ options(method) }}',
]

BAD = [
    "{{ a | upper }}",
    "{{ a.b | default('x') }}",
    "{% filter upper %}x{% endfilter %}",
    "{% if a is defined %}x{% endif %}",
    "{% if a == b %}x{% endif %}",
    "{% if a.n > 1 %}x{% endif %}",
    "{% if not a %}x{% endif %}",
    "{% if a and b %}x{% endif %}",
    "{% if a or b %}x{% endif %}",
    "{% if a %}x{% elif not b %}y{% endif %}",
    "{{ a ~ b }}",
    "{{ a + 1 }}",
    "{{ a * 2 }}",
    "{{ -a }}",
    "{{ 'text' }}",
    "{{ a if b else c }}",
    "{{ a[0] }}",
    "{{ a['key'] }}",
    "{{ a.strip() }}",
    "{{ a.b.format(1) }}",
    "{{ range(3) }}",
    "{% for x in range(3) %}{% endfor %}",
    "{% for x in a if x %}{% endfor %}",
    "{% for k, v in a %}{% endfor %}",
    "{% for x in a | sort %}{% endfor %}",
    "{% set x = 1 %}",
    "{% set x %}y{% endset %}",
    "{% macro f(a='x') %}{% endmacro %}",
    '{% include "other.j2" %}',
    '{% import "other.j2" as o %}{{ o.f(a) }}',
    '{% extends "base.j2" %}',
    "{% with x = 1 %}{{ x }}{% endwith %}",
    "{% call f() %}x{% endcall %}",
    '{% import "macros.j2" as m %}{{ m.arguments(a | upper) }}',
    '{% import "macros.j2" as m %}{{ m.arguments(*a) }}',
    "{{ [a, b] }}",
    "{{ {'a': 1} }}",
    "{% block b %}{% endblock %}",
]


@pytest.mark.parametrize("source", GOOD)
def test_checker_accepts_plain_templates(source: str) -> None:
    assert check("good.j2", source) == []


@pytest.mark.parametrize("source", BAD)
def test_checker_rejects_logic(source: str) -> None:
    # The checker must be able to fail: each of these makes a decision in a template.
    assert check("bad.j2", source) != []
