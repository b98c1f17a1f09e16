"""The service catalogue, routing rules, SLA policies, root causes and the knowledge base."""
