"""Separate the article from its page furniture: view counters, share buttons, sidebar teasers, newsmaker tags,
advertising markers and disclaimers carry no facts of the ecosystem, and nothing is drafted from them.

The reading is line by line, as the page was flattened to text: a header (publication date, rubric, counter), a
title, the body, then a tail that starts at the first furniture marker ("Интересно:", "Поделиться:", a teaser
stamp "23.11.2024 02:30 Новости"); everything after that marker is furniture. A few lines inside the body are
furniture on their own (an advertising marker, a disclaimer) and are dropped without ending the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

_STAMP = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+(\d{1,2}):(\d{2}))?$")
_TEASER_STAMP = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}\s+\d{1,2}:\d{2}\s+\S+")
_COUNTER = re.compile(r"^(Просмотров|Просмотры|Views)\b.*\d", re.IGNORECASE)
#: a line that starts the tail of the page: nothing after it is the article
_TAIL = re.compile(r"^(Интересно|Читайте также|Смотрите также|Поделиться|Похожие (новости|материалы)|"
                   r"Другие новости|Новости партнеров|Теги|Share)\s*:?", re.IGNORECASE)
_NEWSMAKER = re.compile(r"^Ньюсмейкер:\s*(.+?)(?:\s+[—–-]\s+\d+\s+публикаци\w*)?$")
_ADVERTISING = re.compile(r"^(Реклама|На правах рекламы|Erid|ООО .*ИНН)\b[,.:]?\s*(.*)$", re.IGNORECASE)
_DISCLAIMER = re.compile(r"(не должна быть использована|не может служить заменой|не является (публичной )?офертой|"
                         r"консультаци\w+ (врача|специалиста)|имеются противопоказания|носит (ознакомительный|"
                         r"информационный) характер|является обобщающей)", re.IGNORECASE)


@dataclass(frozen=True)
class Paragraph:
    text: str
    start: int  # offset in the source text


@dataclass(frozen=True)
class Furniture:
    text: str
    start: int
    why: str


@dataclass
class Article:
    """What a source text says, apart from its page: the body paragraphs keep their offsets in the file."""

    text: str
    title: str | None = None
    title_start: int | None = None
    published: datetime | None = None
    has_time: bool = False
    rubric: str | None = None
    body: list[Paragraph] = field(default_factory=list)
    furniture: list[Furniture] = field(default_factory=list)
    newsmaker: str | None = None
    advertiser: str | None = None

    @property
    def kind(self) -> str:
        """``advertising`` when the page marks the text as an advertisement, else ``news-article``."""
        return "advertising" if self.advertiser is not None else "news-article"

    def in_body(self, start: int, stop: int) -> bool:
        return any(p.start <= start and stop <= p.start + len(p.text) for p in self.body)


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        lead = len(line) - len(line.lstrip())
        if line.strip():
            out.append((pos + lead, line.strip()))
        pos += len(raw)
    return out


def split(text: str) -> Article:
    """Read ``text`` into header, title, body and furniture."""
    article = Article(text)
    lines = _lines(text)
    i = 0
    # header: a date stamp, a rubric ("Мероприятия."), a view counter, in any order at the top
    while i < len(lines) and i < 4:
        start, line = lines[i]
        stamp = _STAMP.match(line)
        if stamp and article.published is None:
            day, month, year, hour, minute = stamp.groups()
            article.published = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
            article.has_time = hour is not None
            article.furniture.append(Furniture(line, start, "publication stamp"))
        elif _COUNTER.match(line):
            article.furniture.append(Furniture(line, start, "view counter"))
        elif article.published is not None and article.rubric is None and len(line.split()) <= 3 \
                and line.endswith(".") and not article.body:
            article.rubric = line.rstrip(".")
            article.furniture.append(Furniture(line, start, "rubric"))
        else:
            break
        i += 1
    # a title: a short line without a final full stop, before the first paragraph
    if i < len(lines) and len(lines[i][1]) < 200 and not lines[i][1].endswith((".", "!", "…")) \
            and not _ADVERTISING.match(lines[i][1]):
        article.title_start, article.title = lines[i]
        i += 1
    tail = False
    for start, line in lines[i:]:
        if tail:
            article.furniture.append(Furniture(line, start, "page tail"))
            continue
        if newsmaker := _NEWSMAKER.match(line):
            article.newsmaker = newsmaker.group(1).strip()
            article.furniture.append(Furniture(line, start, "newsmaker tag"))
        elif _TAIL.match(line) or _TEASER_STAMP.match(line):
            tail = True
            article.furniture.append(Furniture(line, start, "page tail"))
        elif advert := _ADVERTISING.match(line):
            article.advertiser = advert.group(2).strip() or ""
            article.furniture.append(Furniture(line, start, "advertising marker"))
        elif _DISCLAIMER.search(line):
            article.furniture.append(Furniture(line, start, "disclaimer"))
        elif _COUNTER.match(line):
            article.furniture.append(Furniture(line, start, "view counter"))
        else:
            article.body.append(Paragraph(line, start))
    return article
