"""The floor for the web load benchmark: a minimal FastAPI + Jinja2 app serving pages of the advice pages' size,
with the same shape of traffic (a page, a form post answered by a redirect, the next page).

Run by bench_web as `python benchmarks/web_floor.py PORT PAGE_BYTES` in its own process.
"""

from __future__ import annotations

import sys

import jinja2
import uvicorn
from fastapi import FastAPI, Form
from fastapi.responses import HTMLResponse, RedirectResponse

PAGE = jinja2.Environment(autoescape=True).from_string(
    """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>{{ title }}</title></head><body>
<main><h1>{{ title }}</h1><form method="post" action="/answer"><input type="hidden" name="csrf" value="{{ csrf }}">
{% for option in options %}<label><input type="radio" name="value" value="{{ option }}"> {{ option }}</label>
{% endfor %}<button>Weiter</button></form><p>{{ filler }}</p></main></body></html>"""
)


def create(page_bytes: int) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    filler = "Lorem ipsum dolor sit amet. " * max(1, page_bytes // 28)

    @app.get("/", response_class=HTMLResponse)
    @app.get("/page", response_class=HTMLResponse)
    def page() -> str:
        return PAGE.render(title="Frage", csrf="x" * 22, options=["eins", "zwei", "drei"], filler=filler)

    @app.post("/answer")
    def answer(value: str = Form(""), csrf: str = Form("")) -> RedirectResponse:
        return RedirectResponse("/page", status_code=303)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


if __name__ == "__main__":
    uvicorn.run(create(int(sys.argv[2])), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
                access_log=False)  # fmt: skip
