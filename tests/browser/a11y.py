"""Automated accessibility check of a page with axe-core (through axe-playwright-python).

axe is injected with `page.evaluate` (DevTools protocol), which the page's
Content-Security-Policy does not govern: no inline script, no relaxed policy.
"""

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.1 A and AA plus axe's best practices (landmarks, one h1, ...).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = frozenset({"serious", "critical"})
# The RGAA basics fail the check whatever impact axe gives them (several are "moderate").
BASIC_RULES = frozenset(
    {
        "document-title",
        "html-has-lang",
        "html-lang-valid",
        "valid-lang",
        "bypass",
        "landmark-one-main",
        "landmark-no-duplicate-banner",
        "landmark-no-duplicate-contentinfo",
        "landmark-no-duplicate-main",
        "landmark-unique",
        "region",
        "page-has-heading-one",
        "heading-order",
        "label",
        "label-title-only",
        "form-field-multiple-labels",
        "color-contrast",
        "link-name",
        "button-name",
        "image-alt",
        "duplicate-id-aria",
    }
)

_axe = Axe()


def accessibility_violations(page, *, context=None) -> list[dict]:
    """The violations that fail the check: serious or critical ones, and any basic rule."""
    results = _axe.run(page, context=context, options=AXE_OPTIONS)
    return [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in FAILING_IMPACTS or violation["id"] in BASIC_RULES
    ]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(
            f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"][:5]
        )
    return "\n".join(lines)


def assert_accessible(page, *, context=None) -> None:
    """Fail when axe finds a serious or critical violation, or breaks an RGAA basic."""
    violations = accessibility_violations(page, context=context)
    assert not violations, f"accessibility violations on {page.url}:\n" + format_violations(
        violations
    )
