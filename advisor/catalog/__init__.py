"""The product catalog: tables, attribute dictionary, import/export, generation and the in-memory index."""
