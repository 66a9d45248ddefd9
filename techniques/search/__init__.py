"""Site search: published guides, their steps, and the editable pages.

On PostgreSQL it is full-text search in the English configuration: a guide's title weighs
most (A), then its summary (B), its introduction (C) and the rest of its text (D); results
are ordered by `ts_rank` and their snippets come from `ts_headline`. The weighted documents
are stored in each row and indexed (`search_document`, migration 0012), so a search reads
the index instead of parsing every guide. The query goes through
`websearch_to_tsquery`, which reads quotes, `or` and `-word` as a search box should and
never fails on stray operators such as `&|!:*()`.

On other databases (SQLite, in development and tests) every word of the query must begin a
word of the result, and the ranking is worked out in Python with the same order of
importance: a title hit counts for more than a summary hit, and that more than a body hit.
It looks the words up in an index of the published text, kept in the process under the
content version.

Either way, a result's title and snippet are plain text, HTML-escaped, with the matched
words wrapped in <mark>. Nothing of the content's markup, nor of the searcher's input, is
ever marked safe as it is.

    form       the search box's form (SearchForm)
    results    a result as shown: marked title and snippet, and the order of results
    postgres   the PostgreSQL backend
    sqlite     the backend for every other database (SQLite in development and tests)

`find()` is the one entry point: it asks the database's backend and orders what it finds.
"""

from django.db import connection

from techniques.search import postgres, sqlite
from techniques.search.form import MAX_QUERY_LENGTH, SearchForm
from techniques.search.results import RESULTS_SHOWN, Candidate, Results

__all__ = ["MAX_QUERY_LENGTH", "RESULTS_SHOWN", "Results", "SearchForm", "find"]


def find(query: str) -> Results:
    """The published guides, steps and pages matching the query, best first. Three queries on
    PostgreSQL; on other databases one, and three more at the first search after an edit."""
    backend = postgres if connection.vendor == "postgresql" else sqlite
    kinds = backend.matches(query)
    items = sorted((result for results, _ in kinds for result in results), key=lambda result: result.sort_key)
    shown = [item.result() if isinstance(item, Candidate) else item for item in items[:RESULTS_SHOWN]]
    return Results(shown, sum(total for _, total in kinds))
