"""Importing this module readies the extractor in the process: its modules imported (trafilatura
too), the rules of patterns/ compiled, the unit pipeline (spaCy) built and the unit register
loaded, by extracting one short text and one short page.

The forkserver of `parindex.extract.jobs` imports it before it forks any worker, so that the
workers share what it loaded and start at once; a worker started some other way imports it too.
"""
import gc

from parindex.extract.document import extract_document

_SAMPLE = ("Chỉ số CCHC năm 2023: xã Kim Anh xếp thứ 2/24 xã, thị trấn của huyện Kim Thành, "
           "đạt 88,5 điểm, tăng 3 bậc.")

extract_document(_SAMPLE, name="warm-up.txt")
extract_document(f"<html><head><title>Chỉ số CCHC</title></head><body><article><h1>Chỉ số CCHC</h1>"
                 f"<p>{_SAMPLE}</p><p>{_SAMPLE}</p></article></body></html>", name="warm-up.html")

# What was loaded lives as long as the process, and the workers forked from it share its memory
# page by page until one writes to a page. Python's collector writes to every object it walks:
# frozen here, the loaded objects are never walked again, so the workers keep sharing them
# instead of each copying the server's memory (measured: 2 jobs on 200 dev pages, 8-10% faster).
gc.freeze()
