"""The advice session service: one shopper's advice, the same on every surface."""
