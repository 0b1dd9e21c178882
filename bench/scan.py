"""`make scan`: the web scanner wapiti3, logged in as the zone leader, against a live demo.

    .venv/bin/python bench/scan.py --wapiti var/scan-venv/bin/wapiti [--max-scan-time 600]

gunicorn and the Huey consumer on 127.0.0.1 (bench/livesite.py) on a fresh SQLite demo under
var/scan/site; the leader logs in through the login page and wapiti gets that session's
cookies. Scope: the folder "/" of that loopback address. The scan's endpoints (used by payloads
that call back) point at 127.0.0.1 too, and crash reports are off: nothing leaves the machine.
Results: var/scan/report.json (wapiti's), var/scan/summary.md (every finding, by level, and
the server errors the scan caused). Exit status 1 if a finding is above "low" or the scan made
the server answer 5xx. See docs/security.md, section Scanner.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import requests
from livesite import BASE_DIR, LiveSite, log, login

OUT_DIR = BASE_DIR / "var" / "scan"
LEVELS = {0: "info", 1: "low", 2: "medium", 3: "high", 4: "critical"}
# Modules for a server-rendered Django app on loopback (docs/security.md says why the others
# are left out: they call hosts outside the machine, brute-force logins or paths, or target
# other stacks).
MODULES = [
    "backup",
    "cookieflags",
    "crlf",
    "csp",
    "csrf",
    "exec",
    "file",
    "htaccess",
    "http_headers",
    "methods",
    "permanentxss",
    "redirect",
    "sql",
    "upload",
    "xss",
]
# Never crawled or attacked: logging out would end the scan's session; admin deletions and
# the admin's own logout are destructive (the leader is not staff, so the admin only shows its
# login page, which stays in scope).
EXCLUDE = ["/accounts/logout/*", "/admin/logout/*", "/admin/*/delete/*"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wapiti", default=str(BASE_DIR / "var/scan-venv/bin/wapiti"))
    parser.add_argument("--user", default="leader", help="demo login whose session is scanned")
    parser.add_argument(
        "--max-scan-time",
        type=float,
        default=600,
        help="crawling (s); each module then has --max-attack-time",
    )
    parser.add_argument("--max-attack-time", type=float, default=60, help="per module (s)")
    parser.add_argument("--modules", default=",".join(MODULES))
    parser.add_argument("--depth", type=int, default=5)
    return parser.parse_args(argv)


def run_wapiti(args, site: LiveSite, cookies: str) -> Path:
    report = OUT_DIR / "report.json"
    base = site.base_url
    cmd = [
        args.wapiti,
        "--url",
        base + "/",
        "--scope",
        "folder",
        "--cookie-value",
        cookies,
        "--module",
        args.modules,
        "--max-scan-time",
        str(args.max_scan_time),
        "--max-attack-time",
        str(args.max_attack_time),
        "--depth",
        str(args.depth),
        "--max-links-per-page",
        "60",
        "--max-files-per-dir",
        "40",
        "--tasks",
        "4",
        "--timeout",
        "30",
        "--endpoint",
        base + "/",  # payloads that call back name our own loopback server
        "--dns-endpoint",
        "localhost",
        "--no-bugreport",
        "--flush-session",
        "--store-session",
        str(OUT_DIR / "session"),
        "--store-config",
        str(OUT_DIR / "config"),
        "--user-agent",
        "tuijin-scan (wapiti3)",
        "--format",
        "json",
        "--output",
        str(report),
        "--detailed-report",
        "1",
        "--verbose",
        "1",
    ]
    for pattern in EXCLUDE:
        cmd += ["--exclude", base + pattern]
    log(f"wapiti: modules {args.modules}; at most {args.max_scan_time:.0f} s")
    started = time.monotonic()
    with open(OUT_DIR / "wapiti.log", "w") as out:
        subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, check=False, cwd=OUT_DIR)
    log(f"wapiti finished in {time.monotonic() - started:.0f} s")
    return report


def summarise(report: Path, server_log: Path) -> tuple[str, bool]:
    data = json.loads(report.read_text())
    lines = ["# wapiti3 scan", ""]
    info = data.get("infos", {})
    lines.append(
        f"Target {info.get('target')}, wapiti {info.get('version')}, scope {info.get('scope')}, "
        f"{info.get('crawled_pages_nbr', '?')} pages crawled, at {info.get('date')}."
    )
    above_low = False
    for section in ("vulnerabilities", "anomalies", "additionals"):
        lines += ["", f"## {section}", ""]
        found = {name: items for name, items in data.get(section, {}).items() if items}
        if not found:
            lines.append("none")
        for name, items in sorted(found.items()):
            if section == "additionals" and len(items) > 3:  # informational: one line each
                paths = ", ".join(sorted({i.get("path", "") for i in items})[:5])
                first = re.sub(r"\s+", " ", items[0].get("info", ""))[:200]
                lines.append(
                    f"- **{name}** (info, {items[0].get('module')}): {len(items)} pages, e.g. "
                    f"{paths}: {first}"
                )
                continue
            for item in items:
                level = item.get("level", 0)
                if section != "additionals" and level > 1:
                    above_low = True
                where = f"{item.get('method')} {item.get('path')}"
                param = f" parameter `{item['parameter']}`" if item.get("parameter") else ""
                text = re.sub(r"\s+", " ", item.get("info", ""))[:300]
                lines.append(
                    f"- **{name}** ({LEVELS.get(level, level)}, {item.get('module')}): "
                    f"{where}{param}: {text}"
                )
    log_text = server_log.read_text(errors="replace")
    errors = re.findall(r'"(\w+ \S+) HTTP/[\d.]+" (5\d\d) ', log_text)
    lines += ["", "## server errors during the scan", ""]
    if errors:
        for (request, status), n in Counter(errors).most_common():
            lines.append(f"- {n} × {status} {request}")
    else:
        lines.append("none (no 5xx in the access log)")
    locked = log_text.count("database is locked")
    if locked:
        lines.append(f"- 'database is locked' {locked} times in the server log")
    return "\n".join(lines) + "\n", above_low or bool(errors) or bool(locked)


def main(argv=None) -> int:
    args = parse_args(argv)
    if not Path(args.wapiti).exists():
        sys.exit(
            f"{args.wapiti} not found: run `make scan` (it installs wapiti3 into var/scan-venv)"
        )
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    site = LiveSite(name="scan", var_dir=OUT_DIR / "site")
    site.prepare()
    try:
        site.start()
        session = requests.Session()
        login(session, site.base_url, args.user, "tuijin2026")
        cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        report = run_wapiti(args, site, cookies)
        still_in = session.get(site.base_url + "/", allow_redirects=False, timeout=60)
        log(f"the scanned session at the end: GET / → {still_in.status_code}")
    finally:
        site.stop()
    if not report.exists():
        sys.exit(f"wapiti wrote no report; see {OUT_DIR / 'wapiti.log'}")
    text, failed = summarise(report, site.logs["server"])
    (OUT_DIR / "summary.md").write_text(text)
    print(text)
    log(f"summary: {(OUT_DIR / 'summary.md').relative_to(BASE_DIR)}")
    print("SCAN " + ("FAIL: a finding above low, or a server error" if failed else "PASS"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
