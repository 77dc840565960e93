"""What the shopper reads, as plain data and text: product facts, the take-away summary, e-mail (no Qt)."""
