"""Finds anything in an HTML document that could run script: used by the XSS tests."""

import json
from html.parser import HTMLParser

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcset", "poster", "background"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
# The site's own script files (static/js/), which the Content-Security-Policy allows.
OWN_SCRIPTS = "/static/js/"


class ScriptFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.in_json_ld = False
        self.in_own_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("type") == "application/ld+json":
                self.in_json_ld = True
            elif (attributes.get("src") or "").startswith(OWN_SCRIPTS) and set(attributes) <= {"src", "defer"}:
                self.in_own_script = True
            else:
                self.problems.append(f"<script> element: {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                squashed = "".join(ch for ch in value if ch > " ").lower()
                if squashed.startswith(BAD_SCHEMES):
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_json_ld = self.in_own_script = False

    def handle_data(self, data):
        if self.in_own_script and data.strip():
            self.problems.append(f"inline code in a <script src>: {data!r}")
        if self.in_json_ld:
            if "<" in data:
                self.problems.append("unescaped < inside JSON-LD")
            json.loads(data)


def script_problems(html: str) -> list[str]:
    finder = ScriptFinder()
    finder.feed(html)
    finder.close()
    return finder.problems
