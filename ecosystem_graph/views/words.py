"""Every word a person sees on the HTML pages, in Russian and English, in one table.

One entry per word, both languages side by side, so a word cannot exist in one language only (a test renders
the pages and checks that a Russian page holds none of the English words, and the other way round). Templates
get the words of their language as ``t``. Three kinds of entries:

* ``key: (ru, en)`` — interface words of our own templates;
* ``term.<IRI>`` — labels of standard-vocabulary terms the pages show as predicates (the ontology labels its
  own terms; ``rdfs:comment`` or ``dcterms:issued`` have no Russian label anywhere we load);
* ``editor.ui.<n>`` — the English strings of the vendored YASGUI editor and the Russian shown instead by the
  small translation layer in ``ui/js/editor.js`` (YASGUI has no i18n of its own).
"""

from __future__ import annotations

from .. import vocab

LANGUAGES = ("ru", "en")

WORDS: dict[str, tuple[str, str]] = {
    # the site ------------------------------------------------------------------------------------------------
    "site.title": ("Граф экосистемы биомедицинских инноваций", "Biomedical innovation ecosystem graph"),
    "site.brand": ("Граф экосистемы", "Ecosystem graph"),
    "nav.query": ("Запросы", "Query"),
    "nav.editor": ("Редактор SPARQL", "SPARQL editor"),
    "nav.queries": ("Готовые запросы", "Named queries"),
    "nav.ontology": ("Онтология", "Ontology"),
    "nav.api": ("API", "API"),
    "nav.void": ("Описание набора данных (VoID)", "Dataset description (VoID)"),
    "nav.dumps": ("Выгрузка всех данных", "Data dumps"),
    "nav.language": ("Язык", "Language"),
    "lang.switch": ("English", "Русский"),
    "lang.name": ("Русский", "English"),
    "footer.data": ("Данные", "Data"),
    "search": ("Поиск", "Search"),
    "search_placeholder": ("Поиск: организация, человек, событие…", "Search: organisation, person, event…"),
    "graph": ("Граф", "Graph"),
    "timeline": ("Хронология", "Timeline"),
    "sparql": ("SPARQL", "SPARQL"),
    "overview": ("Вся экосистема", "Whole ecosystem"),
    "no_results": ("Ничего не найдено", "Nothing found"),
    "results_for": ("Результаты поиска", "Search results"),
    "open_page": ("Открыть страницу", "Open page"),
    "expand": ("Раскрыть связи", "Expand links"),
    "show_graph": ("Показать на графе", "Show on the graph"),
    "graph_hint": ("Щелчок по узлу раскрывает его связи, двойной щелчок открывает страницу.",
                   "Click a node to expand its links, double-click to open its page."),
    "graph.counter": ("Показано узлов: {shown} из {total}", "Nodes shown: {shown} of {total}"),
    "graph.counter_edges": ("связей: {edges}", "links: {edges}"),
    "graph.legend": ("Виды узлов", "Kinds of nodes"),
    "graph.fit": ("Уместить на экране", "Fit to screen"),
    "period": ("период", "period"),
    "part_of": ("в рамках", "part of"),
    "truncated": ("показана часть графа", "part of the graph is shown"),
    "timeline.scale": ("Шкала времени равномерная: расстояние по горизонтали пропорционально времени.",
                       "The time axis is to scale: horizontal distance is proportional to time."),
    "timeline.list": ("Список по порядку", "In order"),
    "kind.organisation": ("организация", "organisation"),
    "kind.person": ("персона", "person"),
    "kind.agreement": ("соглашение", "agreement"),
    "kind.event": ("мероприятие", "event"),
    "kind.site": ("площадка", "site"),
    "kind.post": ("должность", "post"),
    "kind.project": ("проект", "project"),
    "kind.source": ("источник", "source"),
    "kind.quotation": ("цитата", "quotation"),
    "kind.relationship": ("факт", "fact"),
    "kind.period": ("период", "period"),
    "kind.quantity": ("величина", "quantity"),
    "kind.concept": ("понятие", "concept"),
    "kind.term": ("термин", "term"),
    "kind.other": ("ресурс", "resource"),
    # resource pages ------------------------------------------------------------------------------------------
    "resource.iri": ("IRI", "IRI"),
    "resource.types": ("Тип", "Type"),
    "resource.also": ("Другие названия", "Also known as"),
    "resource.formats": ("Это описание в форматах", "This description as"),
    "resource.evidence": ("Свидетельство", "Evidence"),
    "resource.sources": ("Источники", "Sources"),
    "resource.quoted": ("Цитаты из этого источника", "Quoted from this source"),
    "resource.source": ("Источник", "Source"),
    "resource.inverse": ("ссылается на этот ресурс", "links to this resource"),
    "resource.text": ("Текст документа", "Text of the document"),
    "resource.text_link": ("Читать текст источника", "Read the source text"),
    "resource.text_missing": ("Текст документа на этом сервере не хранится.",
                              "The text of this document is not kept on this server."),
    "resource.summary": ("Коротко", "At a glance"),
    "group.about": ("Сведения", "About"),
    "group.structure": ("Структура", "Structure"),
    "group.people": ("Люди и должности", "People and posts"),
    "group.agreements": ("Соглашения", "Agreements"),
    "group.events": ("Мероприятия", "Events"),
    "group.sites": ("Площадки", "Sites"),
    "group.status": ("Статус", "Status"),
    "group.quotes": ("Цитаты", "Quotations"),
    "group.other": ("Другие связи", "Other links"),
    "summary.agreements": ("Соглашения", "Agreements"),
    "summary.with.agreements": ("другая сторона:", "other party:"),
    "summary.with.signed": ("от имени", "for"),
    "summary.with.signatories": ("от имени", "for"),
    "summary.units": ("Подразделения", "Units"),
    "summary.people": ("Люди и должности", "People and posts"),
    "summary.sites": ("Площадки", "Sites"),
    "summary.posts": ("Должности", "Posts"),
    "summary.quotes": ("Цитаты", "Quotations"),
    "summary.events": ("Мероприятия", "Events"),
    "summary.signed": ("Подписанные соглашения", "Agreements signed"),
    "summary.parties": ("Стороны", "Parties"),
    "summary.signatories": ("Подписали", "Signed by"),
    "summary.in": ("в", "at"),
    # the query editor and the named queries ------------------------------------------------------------------
    "editor.title": ("Редактор запросов SPARQL", "SPARQL query editor"),
    "editor.intro": ("Пишите запросы SPARQL 1.1 к точке доступа ниже или начните с готового запроса.",
                     "Write SPARQL 1.1 against the endpoint below, or start from a named query."),
    "editor.examples": ("Готовые запросы", "Named queries"),
    "editor.noscript": ("Редактору нужен JavaScript. Сама точка доступа отвечает на обычные HTTP-запросы.",
                        "The editor needs JavaScript. The endpoint itself answers plain HTTP requests."),
    "editor.parameters": ("Параметры", "Parameters"),
    "queries.title": ("Готовые запросы", "Named queries"),
    "queries.intro": ("Запросы из папки sparql/ проекта: у каждого есть адрес, параметры и результаты в разных "
                      "форматах.", "The queries of the project's sparql/ folder: each has an address, parameters "
                      "and results in several formats."),
    "queries.run": ("Выполнить", "Run"),
    "queries.results": ("Результаты", "Results"),
    "queries.rows": ("Строк: {count}", "Rows: {count}"),
    "queries.no_rows": ("Запрос не вернул ни одной строки.", "The query returned no rows."),
    "queries.download": ("Скачать", "Download"),
    "queries.sparql": ("Текст запроса SPARQL", "SPARQL text"),
    "queries.open_editor": ("Открыть в редакторе", "Open in the editor"),
    "queries.all": ("Все готовые запросы", "All named queries"),
    "queries.answer": ("Ответ", "Answer"),
    "queries.yes": ("да", "yes"),
    "queries.no": ("нет", "no"),
    "param.iri": ("IRI", "IRI"),
    "param.string": ("строка", "text"),
    "param.integer": ("целое число", "integer"),
    "param.decimal": ("число", "number"),
    "param.date": ("дата", "date"),
    "param.boolean": ("да или нет", "yes or no"),
    "format.json": ("SPARQL JSON", "SPARQL JSON"),
    "format.xml": ("SPARQL XML", "SPARQL XML"),
    "format.csv": ("CSV", "CSV"),
    "format.tsv": ("TSV", "TSV"),
    # the ontology reference ----------------------------------------------------------------------------------
    "ontology.title": ("Справочник онтологии", "Ontology reference"),
    "ontology.classes": ("Классы", "Classes"),
    "ontology.object_properties": ("Объектные свойства", "Object properties"),
    "ontology.datatype_properties": ("Свойства-значения", "Datatype properties"),
    "ontology.annotation_properties": ("Свойства-аннотации", "Annotation properties"),
    "ontology.individuals": ("Именованные индивиды", "Named individuals"),
    "ontology.external": ("Внешние термины (выравнивания)", "External terms (alignments)"),
    "ontology.hierarchy": ("Иерархия классов", "Class hierarchy"),
    "ontology.metadata": ("Об онтологии", "About this ontology"),
    "ontology.version": ("Версия", "Version"),
    "ontology.version_iri": ("IRI версии", "Version IRI"),
    "ontology.imports": ("Импортирует", "Imports"),
    "ontology.modules": ("Модули", "Modules"),
    "ontology.license": ("Лицензия", "License"),
    "ontology.creator": ("Автор", "Creator"),
    "ontology.created": ("Создана", "Created"),
    "ontology.modified": ("Изменена", "Modified"),
    "ontology.superclasses": ("Подкласс", "Subclass of"),
    "ontology.subclasses": ("Надкласс для", "Superclass of"),
    "ontology.superproperties": ("Подсвойство", "Subproperty of"),
    "ontology.subproperties": ("Надсвойство для", "Superproperty of"),
    "ontology.equivalent": ("Эквивалентен", "Equivalent to"),
    "ontology.disjoint": ("Не пересекается с", "Disjoint with"),
    "ontology.domain": ("Область определения", "Domain"),
    "ontology.range": ("Область значений", "Range"),
    "ontology.inverse": ("Обратное к", "Inverse of"),
    "ontology.characteristics": ("Характеристики", "Characteristics"),
    "ontology.in_domain_of": ("В области определения", "In the domain of"),
    "ontology.in_range_of": ("В области значений", "In the range of"),
    "ontology.types": ("Типы", "Types"),
    "ontology.mapped_from": ("Наши термины, выровненные с ним", "Our terms aligned to it"),
    "ontology.download": ("Скачать", "Download"),
    "ontology.generated": ("Создано из файлов онтологии", "Generated from the ontology files at"),
    # standard-vocabulary terms shown as predicates -----------------------------------------------------------
    f"term.{vocab.RDFS}comment": ("комментарий", "comment"),
    f"term.{vocab.RDFS}label": ("метка", "label"),
    f"term.{vocab.RDFS}seeAlso": ("см. также", "see also"),
    f"term.{vocab.SKOS}altLabel": ("альтернативная метка", "alternative label"),
    f"term.{vocab.SKOS}prefLabel": ("основная метка", "preferred label"),
    f"term.{vocab.SKOS}definition": ("определение", "definition"),
    f"term.{vocab.SKOS}note": ("примечание", "note"),
    f"term.{vocab.SKOS}inScheme": ("в схеме понятий", "in scheme"),
    f"term.{vocab.SKOS}broader": ("более широкое понятие", "broader concept"),
    f"term.{vocab.SKOS}narrower": ("более узкое понятие", "narrower concept"),
    f"term.{vocab.SKOS}topConceptOf": ("верхнее понятие схемы", "top concept of"),
    f"term.{vocab.SKOS}hasTopConcept": ("верхнее понятие", "top concept"),
    f"term.{vocab.DCT}title": ("заглавие", "title"),
    f"term.{vocab.DCT}description": ("описание", "description"),
    f"term.{vocab.DCT}issued": ("дата публикации", "issued"),
    f"term.{vocab.DCT}created": ("создано", "created"),
    f"term.{vocab.DCT}modified": ("изменено", "modified"),
    f"term.{vocab.DCT}language": ("язык", "language"),
    f"term.{vocab.DCT}license": ("лицензия", "license"),
    f"term.{vocab.DCT}source": ("источник", "source"),
    f"term.{vocab.FOAF}name": ("имя", "name"),
    # the YASGUI editor's own words (English as YASGUI writes them) -------------------------------------------
    "editor.ui.1": ("Выполнить запрос", "Run query"),
    "editor.ui.2": ("Показать все", "Show all"),
    "editor.ui.3": ("Поделиться запросом", "Share query"),
    "editor.ui.4": ("Фильтр результатов", "Filter query results"),
    "editor.ui.5": ("Скачать результат", "Download result"),
    "editor.ui.6": ("Вернуть закрытую вкладку", "Undo close Tab"),
    "editor.ui.7": ("Попробовать запрос в новом окне", "Try query in a new browser window"),
    "editor.ui.8": ("Простой вид", "Simple view"),
    "editor.ui.9": ("Переименовать вкладку", "Rename Tab"),
    "editor.ui.10": ("Строк на странице:", "Page size:"),
    "editor.ui.11": ("Новая вкладка", "New Tab"),
    "editor.ui.12": ("Неверный адрес точки доступа", "Incorrect endpoint URL"),
    "editor.ui.13": ("Точка доступа не отвечает", "Endpoint is down"),
    "editor.ui.14": ("Сокращать", "Ellipse"),
    "editor.ui.15": ("Скачивание не поддерживается", "Download not supported"),
    "editor.ui.16": ("Скачать результаты", "Download Results"),
    "editor.ui.17": ("Копировать вкладку", "Copy Tab"),
    "editor.ui.18": ("Закрыть вкладку", "Close tab"),
    "editor.ui.19": ("Закрыть другие вкладки", "Close other tabs"),
    "editor.ui.20": ("Закрыть вкладку", "Close Tab"),
    "editor.ui.21": ("Очистить адрес", "Clear endpoint"),
    "editor.ui.22": ("Добавить вкладку", "Add tab"),
    "editor.ui.23": ("Добавить новую вкладку", "Add a new tab"),
    "editor.ui.24": ("Таблица", "Table"),
    "editor.ui.25": ("Ответ сервера", "Response"),
    "editor.ui.26": ("Нет данных", "No data available in table"),
    "editor.ui.27": ("Ничего не найдено", "No matching records found"),
    "editor.ui.28": ("Поиск:", "Search:"),
    "editor.ui.29": ("Найти или добавить точку доступа", "Search or add an endpoint"),
    "editor.ui.30": ("Открыть настройки", "Open settings"),
    "editor.ui.31": ("Закрыть настройки", "Close settings"),
    "editor.ui.32": ("Загрузка…", "Loading..."),
    "editor.ui.33": ("Назад", "Previous"),
    "editor.ui.34": ("Вперёд", "Next"),
    "editor.ui.35": ("Первая", "First"),
    "editor.ui.36": ("Последняя", "Last"),
    "editor.ui.37": ("Не удалось получить ответ от точки доступа. Возможные причины:",
                     "Unable to get response from endpoint. Possible reasons:"),
    "editor.ui.38": ("Сокращённая ссылка", "Shorten"),
    "editor.ui.39": ("Запрос", "Query"),
    "editor.ui.40": ("Метод запроса", "Request method"),
    "editor.ui.41": ("Заголовки Accept", "Accept Headers"),
    "editor.ui.42": ("Аргументы", "Arguments"),
    "editor.ui.43": ("Заголовки", "Header Arguments"),
    "editor.ui.44": ("Графы по умолчанию", "Default Graphs"),
    "editor.ui.45": ("Именованные графы", "Named Graphs"),
    "editor.ui.46": ("Удалить", "Remove"),
    "editor.ui.47": ("Запросы отключены.", "Querying is disabled."),
    "editor.ui.48": ("Произошла ошибка", "An error has occurred"),
}

#: patterns of YASGUI's sentences with numbers in them: (regular expression over the English, Russian with $n).
EDITOR_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^Showing (\d+) to (\d+) of (\d+) (?:entries|results?|rows?)$", "Строки $1–$2 из $3"),
    (r"^Showing (\d+) to (\d+) of (\d+) (?:entries|results?|rows?) \(filtered from (\d+) total (?:entries|results?|"
     r"rows?)\)$", "Строки $1–$2 из $3 (всего $4)"),
    (r"^(\d+) results? in ([\d.]+) seconds?$", "Строк: $1, за $2 с"),
    (r"^(\d+) results? in ([\d.]+) ms$", "Строк: $1, за $2 мс"),
    (r"^Response in ([\d.]+) seconds?$", "Ответ за $1 с"),
)


def messages(lang: str) -> dict[str, str]:
    """The words of ``lang`` (English for a language we do not speak), keyed as in :data:`WORDS`."""
    column = LANGUAGES.index(lang) if lang in LANGUAGES else 1
    return {key: pair[column] for key, pair in WORDS.items()}


def term_label(iri: str, lang: str) -> str | None:
    """Our label of a standard-vocabulary term in ``lang``, when the table has one."""
    pair = WORDS.get(f"term.{iri}")
    if pair is None:
        return None
    return pair[LANGUAGES.index(lang) if lang in LANGUAGES else 1]


def editor_translations(lang: str) -> dict[str, object]:
    """What ui/js/editor.js replaces in YASGUI's interface: exact strings and numbered patterns (none in English)."""
    if lang != "ru":
        return {"strings": {}, "patterns": []}
    strings = {en: ru for key, (ru, en) in WORDS.items() if key.startswith("editor.ui.")}
    return {"strings": strings, "patterns": [list(p) for p in EDITOR_PATTERNS]}
