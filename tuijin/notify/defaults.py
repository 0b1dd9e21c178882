"""Default notification rules (plain data: migrations import it)."""

# Who hears of what, by default (DESIGN §2 "压力传导,由上而下"). Admins edit these rules.
#
# Leaders (the assigner, a project's 包保 leaders, the zone's leaders) are told only what
# needs them: an item fallen overdue (once), escalations, an untrue verification (不属实),
# extension requests. Everything else (签收, 办理, 属实 closures) reaches them in the weekly
# digest, not one message at a time (notify migration 0008 switched the old rules off).
IN, MAIL, WECOM, DING = "inapp", "email", "wecom", "dingtalk"
RULES = [
    ("item_assigned", "lead_unit", [IN, WECOM, DING]),
    ("item_assigned", "responsible", [IN, MAIL]),
    ("item_due_soon", "responsible", [IN, MAIL]),
    ("item_due_soon", "lead_unit_head", [IN]),
    ("item_due_today", "responsible", [IN, MAIL]),
    ("item_due_today", "lead_unit", [WECOM, DING]),
    ("item_overdue", "responsible", [IN, MAIL]),
    ("item_overdue", "lead_unit", [WECOM, DING]),
    ("item_fell_overdue", "assigner", [IN]),
    ("item_escalated", "lead_unit_head", [IN, MAIL]),
    ("item_escalated_leader", "project_leaders", [IN, MAIL]),
    ("item_escalated_leader", "assigner", [IN]),
    ("item_urged", "lead_unit", [IN, WECOM, DING]),
    ("item_urged", "responsible", [MAIL]),
    ("item_returned", "lead_unit", [IN]),
    ("item_returned", "responsible", [MAIL]),
    ("extension_requested", "assigner", [IN]),
    ("extension_requested", "supervisors", [IN]),
    ("extension_decided", "requester", [IN, MAIL]),
    ("item_verified", "lead_unit", [IN]),
    ("item_untrue", "assigner", [IN]),
    ("item_untrue", "project_leaders", [IN]),
    ("problem_escalated", "project_leaders", [IN]),
    ("problem_escalated", "supervisors", [IN]),
    ("weekly_digest", "zone_leaders", [IN, MAIL]),
    ("worklog_missing", "person", [IN, MAIL]),
    ("worklog_commented", "person", [IN]),
    # The audit chain's daily anchor (core.chain): a copy outside the database, by e-mail too.
    ("audit_anchor", "inspectors", [IN, MAIL]),
    ("audit_anchor", "supervisors", [IN, MAIL]),
]
