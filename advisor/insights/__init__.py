"""Insights for merchandisers from an anonymous event log: funnels, gaps, relaxations, handoffs, ratings."""
