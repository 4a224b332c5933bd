"""The language checks of the page walks (issue 22): every page is asked for in Dutch and in
English (``Accept-Language``), and an HTML page answers in the language asked, without an
English month name on a Dutch page and without ``None`` in its visible text."""

import re

from lxml import html as lxml_html

LANGUAGES = ("nl", "en")

#: English month names that Dutch spells differently (april, september, november and december
#: are the same word), followed by a year: "January 2026" on a Dutch page.
ENGLISH_MONTH = re.compile(r"\b(January|February|March|May|June|July|August|October) \d{4}\b")
NONE_WORD = re.compile(r"\bNone\b")


def language_for(step: int) -> str:
    """The language of the ``step``-th request of a walk: alternating, so a page reached by
    more than one role is seen in both languages at the cost of one request each."""
    return LANGUAGES[step % len(LANGUAGES)]


def visible_text(body: str) -> str:
    tree = lxml_html.fromstring(body)
    for hidden in tree.xpath("//script|//style|//template|//head"):
        hidden.drop_tree()
    return " ".join(" ".join(tree.itertext()).split())


def language_problems(response, language: str, where: str) -> list[str]:
    """What is wrong with an HTML page asked for in ``language`` (nothing for a redirect, a
    download or a refusal)."""
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    body = response.content.decode()
    if f'lang="{language}"' not in body[:500]:
        return [f"{where}: not in {language}"]
    problems = []
    text = visible_text(body)
    if language == "nl" and (month := ENGLISH_MONTH.search(text)):
        problems.append(f"{where}: English month name {month.group(0)!r} on a Dutch page")
    # "None" is an English word ("Support profile: None"); on a Dutch page it is Python's None
    if language == "nl" and (none := NONE_WORD.search(text)):
        context = text[max(0, none.start() - 60) : none.end() + 40]
        problems.append(f"{where}: 'None' in the text: …{context}…")
    return problems
