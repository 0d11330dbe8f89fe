"""Pure programme rules (RAG, EVM, risk, benefits, dependency network, stand-up history).

No I/O, no SQL, no Textual: the store hands rows in, these modules hand plain values back, so the
CLI, the reports and the screens all share one tested implementation. Import submodules directly
(``from pgmtui.domain import rollup``); this package imports nothing on purpose.
"""
