"""Help with a product the shopper owns: service flows' outcomes, guides, warranty guidance (Qt-free)."""
