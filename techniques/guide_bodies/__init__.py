"""A guide page's own part (its header, steps, safety, sources and related guides, and its
structured data), rendered once and stored until something it shows changes, the way each
text's markdown is rendered once when it is saved.

The page cache files whole pages under one content version, so any edit anywhere makes
every page render again; and reader-built routines, searches and addresses with a tracking
parameter are never in it. Rendering a guide from its rows costs six queries and some
thirty template nodes a step. With its body stored, a guide page is one query (the guide
joined to its body) and the site's frame around it.

Exact, with no timeout, because each body carries a generation:

- Every change to what a guide's page shows moves the generation of that guide's body on,
  in the same transaction as the change (`stale`): row signals before and after a save and
  before a delete, relation changes, and bulk writes, which say which rows they write.
- A body's row is made in the same transaction as its guide (or by migration 0013 for the
  guides before it), never by a reader: a row a reader made while an edit was in flight
  would have escaped that edit's mark.
- A request reads the generation with the guide, in one query, before it reads anything
  else of the guide's; it renders the body and stores it only where the generation is still
  the one it read (`stored`). An edit that commits in between has moved it on, so a body
  rendered from older rows is never stored as current. A row an edit holds locked is
  skipped, not waited for: the reader renders, and a later one stores.

A stored body is also tied to the release (code, templates, hashed static names, the media
storage's settings), to the scheme and host its absolute links were made for, and to the
moment a related guide scheduled for later goes public, which changes the list of related
guides with no edit. The rest of the page (the frame, the draft banner) is rendered on
every request, so nothing stored depends on who is reading.

    stale       which guides show a row; moving their generation on; the signals
    rendering   the body rendered from the guide's rows
    stored      the body for a request: stored, or rendered and stored
"""

from techniques.guide_bodies.stale import connect_signals
from techniques.guide_bodies.stored import page_body

__all__ = ["connect_signals", "page_body"]
