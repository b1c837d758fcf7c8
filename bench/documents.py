"""Part 3: draft documents.

For each example scenario: the time to render the draft as HTML (``document_html``), PDF (``document_pdf``)
and DOCX (``document_docx``); and the PDF pipeline against raw WeasyPrint on the same final HTML
(``weasyprint.HTML(string=html, base_url=…).write_pdf(pdf_variant=…)``). The two PDF timings alternate
(ours, raw, raw, ours, …) so that drift in the machine's speed falls on both alike, and each starts after a
``gc.collect()`` so that neither pays for collecting the other's garbage. The same render varies a lot from one
run to the next on a small virtual machine, so the ratio is taken per adjacent pair, on CPU time (other
processes' load does not enter it), and the headline is the median over all pairs of all scenarios.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from . import example_paths, log, percentile, summary, time_calls

HTML_RUNS = 20
DOCX_RUNS = 5
PDF_PAIRS = 4  # pairs per scenario, alternating which side runs first
PDF_VARIANT = "pdf/ua-1"  # the app's default (ASSISTANT_PDF_VARIANT)


def run() -> dict[str, Any]:
    import weasyprint

    from assistant.documents.render import STATIC_DIR, document_html, document_pdf
    from assistant.documents.word import document_docx
    from assistant.domain.evaluate import evaluate
    from assistant.domain.scenario import load_scenario

    base_url = STATIC_DIR.as_uri() + "/"
    drafts = [(p.stem, evaluate(load_scenario(p)).draft) for p in example_paths()]
    t0 = time.perf_counter()
    document_pdf(drafts[0][1], variant=PDF_VARIANT)  # fonts and the CSS are loaded once per process: not timed
    warm_ms = (time.perf_counter() - t0) * 1000
    rows = []
    all_pair_ratios: list[float] = []
    for name, draft in drafts:
        html_ms = time_calls(lambda d=draft: document_html(d), HTML_RUNS, warmup=1)
        docx_ms = time_calls(lambda d=draft: document_docx(d), DOCX_RUNS, warmup=1)
        html = document_html(draft, inline_css=True)
        ours: list[float] = []  # wall ms
        raw: list[float] = []
        ours_cpu: list[float] = []  # CPU ms of this process
        raw_cpu: list[float] = []
        pdf_bytes = raw_bytes = 0
        for i in range(PDF_PAIRS):
            for which in ("ours", "raw") if i % 2 == 0 else ("raw", "ours"):
                gc.collect()  # the previous document's garbage is not charged to the next one
                t, c = time.perf_counter(), time.process_time()
                if which == "ours":
                    pdf_bytes = len(document_pdf(draft, variant=PDF_VARIANT))
                    ours.append((time.perf_counter() - t) * 1000)
                    ours_cpu.append((time.process_time() - c) * 1000)
                else:
                    raw_pdf = weasyprint.HTML(string=html, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)
                    raw.append((time.perf_counter() - t) * 1000)
                    raw_cpu.append((time.process_time() - c) * 1000)
                    raw_bytes = len(raw_pdf)
        pair_ratios = [o / r for o, r in zip(ours_cpu, raw_cpu, strict=True)]
        all_pair_ratios += pair_ratios
        ratio = percentile(pair_ratios, 50)
        rows.append(
            {
                "scenario": name,
                "articles": len(draft.articles),
                "annexes": len(draft.annexes),
                "html": summary(html_ms),
                "docx": summary(docx_ms),
                "pdf": summary(ours),
                "raw_weasyprint": summary(raw),
                "pdf_cpu": summary(ours_cpu),
                "raw_weasyprint_cpu": summary(raw_cpu),
                "pair_ratios_cpu": [round(x, 3) for x in pair_ratios],
                # how much the very same raw render varies: (max - min) / median of its CPU times
                "raw_cpu_spread": round((max(raw_cpu) - min(raw_cpu)) / percentile(raw_cpu, 50), 3),
                "pdf_overhead_ratio": round(ratio, 3),
                "pdf_overhead_ratio_wall_medians": round(percentile(ours, 50) / percentile(raw, 50), 3),
                "pdf_bytes": pdf_bytes,
                "raw_pdf_bytes": raw_bytes,
                "html_chars": len(html),
            }
        )
        log(
            f"  {name}: html {rows[-1]['html']['median_ms']:.1f} ms, docx {rows[-1]['docx']['median_ms']:.0f} ms, "
            f"pdf {rows[-1]['pdf']['median_ms']:.0f} ms vs raw {rows[-1]['raw_weasyprint']['median_ms']:.0f} ms "
            f"(wall); median paired CPU ratio x{ratio:.3f}"
        )
    wall_ours = sum(r["pdf"]["median_ms"] for r in rows)
    wall_raw = sum(r["raw_weasyprint"]["median_ms"] for r in rows)
    return {
        "pdf_variant": PDF_VARIANT,
        "weasyprint": weasyprint.__version__,
        "runs": {"html": HTML_RUNS, "docx": DOCX_RUNS, "pdf_pairs": PDF_PAIRS},
        "first_pdf_in_process_ms": round(warm_ms, 1),
        "scenarios": rows,
        # Headline: every adjacent pair (ours, raw) of every scenario, CPU time, ours over raw; the median.
        "pdf_overhead_ratio": round(percentile(all_pair_ratios, 50), 3),
        "pdf_overhead_ratio_p25_p75": [
            round(percentile(all_pair_ratios, 25), 3),
            round(percentile(all_pair_ratios, 75), 3),
        ],
        "pairs": len(all_pair_ratios),
        "pdf_overhead_ratio_wall_sum_of_medians": round(wall_ours / wall_raw, 3),
        "raw_cpu_spread_median": round(percentile([r["raw_cpu_spread"] for r in rows], 50), 3),
    }
