"""Dashboards and reports of the service desk: open work, ageing, SLA compliance, workload, satisfaction."""
