"""L11 accessibility (GB/T 37668, which asks for WCAG 2.1 AA): axe-core checks the eight pages
the week in the zone is lived on, each as the person who normally uses it, at 1366 px and at
390 px. A serious or critical violation fails the test, listed with its rule, impact, elements
and help; every violation, moderate and minor included, goes to
test-output/accessibility-<width>.md.

What axe sees is what a user can reach: the phone's menu and filter panels are unfolded, every
<details> opened, and each tab of a page shown in turn (its pane checked on its own). axe-core is
vendored for the tests only (static/vendor/axe-core-*/, see its README); no template loads it. It
is evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
govern, so the policy stays as strict as it is for users (and the CSP watcher still runs).
"""

import json
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT
from tuijin.meetings.models import Meeting
from tuijin.projects.models import Project
from tuijin.supervision.models import SupervisionItem

pytestmark = [pytest.mark.browser, pytest.mark.presentation]

AXE = next(Path(settings.BASE_DIR, "static", "vendor").glob("axe-core-*/axe.min.js"))
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("critical", "serious")
IMPACTS = ("critical", "serious", "moderate", "minor")

# A few sentences of the stored source report: enough for the preview to propose records.
INTAKE_TEXT = (
    "11月14日,随州高新区党工委书记带队到城东产业园召开现场办公会,"
    "要求自然资源和规划分局牵头,三天内完成人才公寓地块清表;"
    "住建局负责文帝学校配套道路建设,月底前完成路基施工。"
)

# axe's violations, and the colour contrasts it measured but left to a person to judge ("needs
# review": text of one or two characters, such as the lights' 红/黄/绿, or text over a
# pseudo-element): a measured ratio below the threshold fails here as a serious violation.
RUN_AXE = """([context, tags]) => axe.run(context || document, {
  runOnly: {type: "tag", values: tags}, resultTypes: ["violations", "incomplete"]
}).then(result => {
  const measured = node => {
    const data = (node.any[0] || {}).data || {};
    const ratio = data.contrastRatio, expected = parseFloat(data.expectedContrastRatio);
    return data.fgColor && ratio > 0 && ratio < expected;
  };
  const low = result.incomplete.filter(v => v.id === "color-contrast")
    .map(v => ({...v, impact: "serious", help: v.help + " (measured, left for review)",
                nodes: v.nodes.filter(measured)}))
    .filter(v => v.nodes.length);
  return [...result.violations, ...low].map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.map(node => node.target.join(" ")),
    details: v.nodes.map(node => {
      const data = (node.any[0] || {}).data || {};
      return measured(node)
        ? `contrast ${data.contrastRatio} (${data.fgColor} on ${data.bgColor}), expected ${data.expectedContrastRatio}`
        : (node.failureSummary || "").split("\\n").pop().trim();
    }),
  }));
})"""


def pages() -> list[tuple[str, str, str]]:
    """(page, persona, path): the demo's records each role works on."""
    project = Project.objects.get(name="犇星二期年产3万吨新能源电解液")
    item = (
        SupervisionItem.objects.filter(state="verifying").first()
        or SupervisionItem.objects.filter(state="in_progress").first()
    )
    meeting = Meeting.objects.filter(kind="onsite").order_by("-starts_at").first()
    return [
        ("home", "leader", "/"),
        ("ledger", "leader", "/projects/"),
        ("project", "leader", project.get_absolute_url()),
        ("board", "leader", "/supervision/"),
        ("item", "duban", item.get_absolute_url()),  # the supervisor verifies it
        ("meeting", "leader", meeting.get_absolute_url()),
        ("work log form", "zhaoshang", "/worklogs/new/"),  # a cadre's weekend log
        ("intake", "jingfa_staff", "/intake/"),
        ("intake preview", "jingfa_staff", None),  # the same page after 识别并预览
    ]


def axe(page, context=None) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(RUN_AXE, [context, TAGS])


def settle(page, pane=None) -> None:
    """Wait for Bootstrap's collapse to finish and a tab pane to be fully shown (a pane caught
    while fading in reads as grey on white)."""
    page.wait_for_function("() => !document.querySelector('.collapsing')")
    if pane:
        page.wait_for_function(
            "pane => getComputedStyle(document.querySelector(pane)).opacity === '1'", arg=pane
        )


def unfold(page) -> None:
    """Show what a user can unfold: the phone's menu and filter panels, every <details>."""
    togglers = page.locator("[data-bs-toggle=collapse]")
    for i in range(togglers.count()):
        toggler = togglers.nth(i)
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
            toggler.click()
            settle(page)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")


def check(page) -> list[dict]:
    """Every violation of the page as unfolded, then of each other tab's pane shown in turn."""
    page.emulate_media(reduced_motion="reduce")  # Bootstrap then skips its transitions
    unfold(page)
    found = axe(page)
    tabs = page.locator("[data-bs-toggle=tab]:not(.active)")
    for target in [tabs.nth(i).get_attribute("data-bs-target") for i in range(tabs.count())]:
        page.locator(f"[data-bs-toggle=tab][data-bs-target='{target}']").click()
        expect(page.locator(target)).to_be_visible()
        settle(page, target)
        found += axe(page, target)
    seen, unique = set(), []
    for violation in found:  # the page and a tab pane can report the same element
        nodes = [
            (target, detail)
            for target, detail in zip(violation["targets"], violation["details"], strict=True)
            if (violation["id"], target) not in seen
        ]
        seen.update((violation["id"], target) for target, _ in nodes)
        if nodes:
            targets, details = zip(*nodes, strict=True)
            unique.append({**violation, "targets": list(targets), "details": list(details)})
    return unique


def report(width: int, results: dict[str, list[dict]]) -> str:
    lines = [
        f"# axe-core {AXE.parent.name.split('-')[-1]} at {width} px ({', '.join(TAGS)})",
        "",
        "| page | critical | serious | moderate | minor | rules |",
        "|---|---|---|---|---|---|",
    ]
    for name, violations in results.items():
        counts = dict.fromkeys(IMPACTS, 0)
        for v in violations:
            counts[v["impact"]] += len(v["targets"])
        rules = ", ".join(
            f"{v['id']}{' (measured)' if 'measured' in v['help'] else ''} "
            f"({v['impact']}, {len(v['targets'])})"
            for v in violations
        )
        lines.append(f"| {name} | {' | '.join(str(counts[i]) for i in IMPACTS)} | {rules} |")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("width", [1366, 390])
def test_no_serious_or_critical_violation(demo, live_server, session, width):
    results, opened = {}, {}
    for name, username, path in pages():
        if username not in opened:
            opened[username] = session(username, phone=width < 1366)
        page = opened[username]
        if path is None:  # the intake preview
            page.goto(f"{live_server.url}/intake/")
            page.fill("#id_text", INTAKE_TEXT)
            page.fill("#id_reference_date", "2026-11-14")
            page.click("#intake-submit")
            expect(page.locator("#confirm-form")).to_be_visible()
        else:
            page.goto(f"{live_server.url}{path}")
        if name == "work log form":  # a visit, as the cadre adds one
            page.click("#add-visit")
            expect(page.locator(".visit-form")).to_have_count(1)
        results[name] = check(page)

    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / f"accessibility-{width}.md").write_text(report(width, results), encoding="utf-8")
    (OUTPUT / f"accessibility-{width}.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    failures = [
        f"{name} @ {width}px: {v['id']} ({v['impact']}) {v['help']}\n"
        + "\n".join(f"    {t}: {d}" for t, d in zip(v["targets"], v["details"], strict=True))
        for name, violations in results.items()
        for v in violations
        if v["impact"] in BLOCKING
    ]
    if failures:
        pytest.fail(
            f"{len(failures)} serious or critical accessibility violations:\n"
            + "\n".join(failures),
            pytrace=False,
        )
