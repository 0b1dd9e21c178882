"""Integrity records are not in the admin site (R15 item 10: not administrators, not through
any UI). They are seen only by the zone's inspectors and leaders through the app's pages."""
