"""Repair orders: a product a shopper leaves at the store for repair, from drop-off to collection."""
