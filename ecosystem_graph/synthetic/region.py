"""One synthetic region: a university with units and an industrial park, a cluster with its managing fund and the
chain of government above it, companies with people and posts, agreements with parties and signatures, events,
sites with areas, statuses, projects and quotations; the same patterns as the curated ``data/*.ttl``.

A region is a sequence of :class:`~.terms.Block`; each block only points at nodes written before it or in it,
so the output is valid wherever the caller stops. The first blocks cover every competency question.
"""

from __future__ import annotations

from collections.abc import Iterator

from .names import BLOCKS, COMPANIES, INSTITUTES, THEMES
from .nodes import NodeWriter, region_codes
from .terms import Block, en, plain, ru, typed


class Region(NodeWriter):
    """The blocks of one region, in an order that covers every competency question first."""

    def blocks(self) -> Iterator[Block]:
        yield from self.core()
        yield from self.companies()

    def core(self) -> Iterator[Block]:
        """The nodes every competency question needs, each block pointing only at nodes written before it."""
        yield from self.write_news()
        yield from self.write_territory()
        yield from self.write_government()
        yield from self.write_fund()
        yield from self.write_university()
        yield from self.write_cluster()
        yield from self.write_advertisement()
        yield from self.write_university_units()
        yield from self.write_industrial_park()
        yield from self.write_campus()
        yield from self.write_people()
        yield from self.write_agreement()
        yield from self.write_events()
        yield from self.write_joint_project()
        yield from self.write_forum()
        yield from self.write_quotation()
        self.remember_samples()

    def write_news(self) -> Iterator[Block]:
        """The news article the region's facts come from."""
        p, ctx, rc, ec = self.p, self.ctx, self.ru_code, self.en_code
        b = Block()
        self.news = ctx.id("source", self.slug("news"))
        title_ru, title_en = f"Новости биомедицинского кластера «{rc}»", f"{ec} biomedical cluster news"
        b.add(self.news, p.a, p.cls["NewsArticle"])
        b.many(self.news, p.label, (ru(title_ru), en(title_en)))
        b.add(self.news, p.title, ru(title_ru))
        b.add(self.news, p.language, plain("ru"))
        b.add(self.news, p.issued, self.date(12))
        b.add(self.news, p.sourceKind, ctx.news_kind)
        b.add(self.news, p.fileName, plain(f"synthetic-{self.r:06d}-news.txt"))
        yield b

    def write_territory(self) -> Iterator[Block]:
        """The region's territory and its area."""
        p, ctx, rc, ec = self.p, self.ctx, self.ru_code, self.en_code
        b = Block()
        hectares = 10 + self.rng.random() * 90
        territory = ctx.id("site", self.slug("territory")), f"Территория «{rc}»", f"{ec} territory"
        self.fact(b, territory[0], ("Territory",), territory[1], territory[2],
                  f"Территория «{rc}» занимает {hectares:.1f} гектара.".replace(".", ",", 1))
        b.add(territory[0], p.area, self.quantity(b, "territory-area", hectares, False))
        self.territory = territory
        yield b

    def write_government(self) -> Iterator[Block]:
        """The city administration and its health department."""
        p, rc, ec = self.p, self.ru_code, self.en_code
        b = Block()
        city = self.org(b, "city", ("GovernmentBody",), f"Администрация «{rc}»", f"{ec} City Administration",
                        f"Администрация «{rc}» курирует развитие кластера.")
        dept = self.org(b, "health-department", ("GovernmentBody",), f"Департамент здравоохранения «{rc}»",
                        f"{ec} Health Department", f"Департамент здравоохранения входит в администрацию «{rc}».")
        b.add(dept[0], p.subOrganizationOf, city[0])
        self.dept = dept
        yield b

    def write_fund(self) -> Iterator[Block]:
        """The fund that manages the cluster, under the health department."""
        p, rc, ec = self.p, self.ru_code, self.en_code
        dept = self.dept
        b = Block()
        fund = self.org(b, "fund", ("Fund",), f"Фонд развития кластера «{rc}»", f"{ec} Cluster Development Fund",
                        f"Управляющей компанией кластера выступает фонд развития кластера «{rc}».")
        b.add(fund[0], p.subordinateTo, dept[0])
        self.fund = fund
        yield b

    def write_university(self) -> Iterator[Block]:
        """The medical university, its fields and goal."""
        p, rc, ec = self.p, self.ru_code, self.en_code
        territory = self.territory
        b = Block()
        uni_fields = self.fields(2)
        uni = self.org(b, "university", ("University",), f"Медицинский университет «{rc}»",
                       f"{ec} Medical University", f"Медицинский университет «{rc}» развивает направление "
                       f"«{uni_fields[0][1]}».")
        b.many(uni[0], p.hasField, [f[0] for f in uni_fields])
        b.add(uni[0], p.hasSite, territory[0])
        b.add(uni[0], p.goal, ru("трансформация в исследовательский центр мирового уровня"))
        b.add(uni[0], p.goal, en("to become a world-class research centre"))
        self.uni, self.uni_fields = uni, uni_fields
        yield b

    def write_cluster(self) -> Iterator[Block]:
        """The cluster, its fields, site and company count."""
        p, ctx, rc, ec = self.p, self.ctx, self.ru_code, self.en_code
        territory, fund = self.territory, self.fund
        b = Block()
        cluster = self.org(b, "cluster", ("Cluster",), f"Биомедицинский кластер «{rc}»", f"{ec} Biomedical Cluster",
                           f"Биомедицинский кластер «{rc}» объединяет компании региона.")
        b.add(cluster[0], p.managedBy, fund[0])
        b.many(cluster[0], p.hasField, [f[0] for f in self.fields(2)])
        b.add(cluster[0], p.hasSite, territory[0])
        if self.r:
            b.add(cluster[0], p.associatedWith, ctx.id("organization", f"syn-{self.rng.randrange(self.r)}-cluster"))
        count = self.rng.randint(20, 200)
        mc = ctx.id("membership-count", self.slug("cluster-companies"))
        self.fact(b, mc, ("MembershipCount",), f"Число компаний в кластере «{rc}»: {count}",
                  f"Number of companies in the {ec} cluster: {count}", f"В кластер «{rc}» входят {count} компаний.")
        b.add(mc, p.countOf, cluster[0])
        b.add(mc, p.memberCount, typed(count, "integer"))
        b.add(mc, p.memberKind, ctx.company_kind)
        b.add(mc, p.asOf, self.date(12))
        self.cluster = cluster
        yield b

    def write_advertisement(self) -> Iterator[Block]:
        """The cluster's advertisement, a second source."""
        p, ctx, rc, ec = self.p, self.ctx, self.ru_code, self.en_code
        cluster = self.cluster
        b = Block()
        self.ad = ctx.id("source", self.slug("advertisement"))
        b.add(self.ad, p.a, p.cls["Advertisement"])
        b.many(self.ad, p.label, (ru(f"Рекламный материал кластера «{rc}»"), en(f"{ec} cluster advertisement")))
        b.add(self.ad, p.language, plain("ru"))
        b.add(self.ad, p.sourceKind, ctx.advertising_kind)
        b.add(self.ad, p.advertiser, cluster[0])
        b.add(self.ad, p.fileName, plain(f"synthetic-{self.r:06d}-advertisement.txt"))
        b.add(self.ad, p.evidence, ru(f"Реклама, биомедицинский кластер «{rc}»"))
        yield b

    def write_university_units(self) -> Iterator[Block]:
        """The university's technopark, clinic, department and laboratory."""
        p, rc, ec = self.p, self.ru_code, self.en_code
        territory, uni = self.territory, self.uni
        b = Block()
        technopark = self.org(b, "technopark", ("Technopark", "OrganizationalUnit"), f"Технопарк университета «{rc}»",
                              f"{ec} University Technopark", f"Технопарк университета «{rc}» поддерживает стартапы.")
        b.add(technopark[0], p.unitOf, uni[0])
        self.status(b, technopark, "technopark", "operating", as_of=True)
        clinic = self.org(b, "clinic", ("Clinic", "OrganizationalUnit"), f"Клиника университета «{rc}»",
                          f"{ec} University Clinic", f"Клиника университета «{rc}» принимает пациентов.")
        b.add(clinic[0], p.unitOf, uni[0])
        b.add(clinic[0], p.hasField, self.fields(1)[0][0])
        yield b

        b = Block()
        department = self.org(b, "department", ("AcademicDepartment",), f"Кафедра биомедицинских систем «{rc}»",
                              f"{ec} Department of Biomedical Systems", f"Кафедра биомедицинских систем «{rc}».")
        b.add(department[0], p.unitOf, uni[0])
        lab = self.org(b, "laboratory", ("Laboratory", "OrganizationalUnit"), f"Лаборатория биосенсоров «{rc}»",
                       f"{ec} Biosensor Laboratory", f"Лаборатория биосенсоров работает при кафедре «{rc}».")
        b.add(lab[0], p.unitOf, department[0])
        b.add(lab[0], p.hasSite, territory[0])
        self.technopark, self.clinic, self.lab = technopark, clinic, lab
        yield b

    def write_industrial_park(self) -> Iterator[Block]:
        """The industrial park under construction and its planned blocks with institutes."""
        p, ctx, rc, ec = self.p, self.ctx, self.ru_code, self.en_code
        uni = self.uni
        b = Block()
        park = self.org(b, "industrial-park", ("IndustrialPark", "OrganizationalUnit"),
                        f"Индустриальный парк биомедицины «{rc}»", f"{ec} Industrial Park of Biomedicine",
                        f"На базе университета создаётся индустриальный парк биомедицины «{rc}».")
        b.add(park[0], p.unitOf, uni[0])
        b.many(park[0], p.hasField, [f[0] for f in self.fields(2)])
        period = ctx.id("period", self.slug("industrial-park"))
        end = self.year + self.rng.randint(2, 5)
        self.fact(b, period, ("Period",), f"{self.year}–{end}", f"{self.year}–{end}",
                  f"Парк создаётся в {self.year}-{end} годах.")
        b.add(period, p.beginYear, typed(self.year, "gYear"))
        b.add(period, p.endYear, typed(end, "gYear"))
        self.status(b, park, "industrial-park", "under-construction", period=period)
        self.park = park
        yield b

        for number, (block_ru, block_en) in enumerate(BLOCKS[: self.rng.randint(2, 4)], start=1):
            b = Block()
            unit = self.org(b, f"block-{number}", ("Centre", "StructuralBlock"), f"{block_ru} «{rc}»",
                            f"{block_en}, {ec}", f"В состав парка «{rc}» войдёт {block_ru.lower()}.")
            b.add(unit[0], p.blockOf, park[0])
            b.add(unit[0], p.blockNumber, typed(number, "integer"))
            self.status(b, unit, f"block-{number}", "planned")
            for k in range(2):
                inst_ru, inst_en = INSTITUTES[(2 * number - 2 + k) % len(INSTITUTES)]
                inst = self.org(b, f"block-{number}-institute-{k + 1}", ("Institute", "OrganizationalUnit"),
                                f"{inst_ru} «{rc}»", f"{inst_en}, {ec}", f"{block_ru} включает {inst_ru.lower()}.")
                b.add(inst[0], p.unitOf, unit[0])
            yield b

    def write_campus(self) -> Iterator[Block]:
        """The campus building, planned."""
        p, ctx, rc, ec = self.p, self.ctx, self.ru_code, self.en_code
        territory, uni = self.territory, self.uni
        b = Block()
        building = ctx.id("site", self.slug("campus")), f"Кампус «{rc}»", f"{ec} campus"
        self.fact(b, building[0], ("Building",), building[1], building[2], f"Общая площадь кампуса «{rc}» вырастет.")
        b.add(building[0], p.locatedIn, territory[0])
        b.add(building[0], p.floorArea, self.quantity(b, "campus-floor-area", self.rng.randint(5, 300) * 1000.0, True))
        self.status(b, building, "campus", "planned")
        b.add(uni[0], p.hasSite, building[0])
        self.building = building
        yield b

    def write_people(self) -> Iterator[Block]:
        """The rector, the fund's director and the speakers, with their posts."""
        fund, uni, cluster, technopark, clinic = self.fund, self.uni, self.cluster, self.technopark, self.clinic
        park = self.park
        b = Block()
        rector = self.person(b, uni)
        rector_post = self.post(b, rector, uni)
        director = self.person(b, fund)
        director_post = self.post(b, director, fund)
        yield b
        b = Block()
        speakers = []
        for org in (technopark, clinic, cluster, park):
            speaker = self.person(b, org)
            self.post(b, speaker, org)
            speakers.append((speaker, org))
        self.rector, self.rector_post, self.director, self.director_post = rector, rector_post, director, director_post
        self.speakers = speakers
        yield b

    def write_agreement(self) -> Iterator[Block]:
        """The agreement between university and cluster."""
        p = self.p
        uni, cluster, park, rector, rector_post = self.uni, self.cluster, self.park, self.rector, self.rector_post
        director, director_post = self.director, self.director_post
        b = Block()
        agreement = self.agreement(b, "university-cluster", (uni, rector, rector_post), (cluster, director,
                                                                                          director_post))
        b.add(agreement[0], p.subjectOfCooperation, park[0])
        self.main_agreement = agreement
        yield b

    def write_events(self) -> Iterator[Block]:
        """The round table that led to the agreement, the signing, and the visit."""
        p, ctx, rc, ec = self.p, self.ctx, self.ru_code, self.en_code
        territory, fund, uni, cluster, lab = self.territory, self.fund, self.uni, self.cluster, self.lab
        building, rector, director, agreement = self.building, self.rector, self.director, self.main_agreement
        b = Block()
        month = int(self.rng.randint(2, 11))
        table = ctx.id("event", self.slug("round-table")), f"Круглый стол «{rc}»", f"{ec} round table"
        self.fact(b, table[0], ("RoundTable",), table[1], table[2], f"Круглый стол «{rc}» прошёл в кампусе.")
        b.add(table[0], p.date, self.date(month))
        b.add(table[0], p.venue, building[0])
        b.add(table[0], p.organizer, uni[0])
        b.add(table[0], p.coOrganizer, fund[0])
        b.many(table[0], p.hasParticipant, (uni[0], fund[0], cluster[0], rector[0]))
        theme_ru, theme_en = THEMES[self.rng.randrange(len(THEMES))]
        b.add(table[0], p.theme, ru(theme_ru))
        b.add(table[0], p.theme, en(theme_en))
        b.add(table[0], p.outcome, ru("решение о стратегическом взаимодействии"))
        b.add(table[0], p.outcome, en("a decision on strategic interaction"))
        b.add(table[0], p.ledTo, agreement[0])
        b.add(table[0], p.hasField, self.fields(1)[0][0])
        signing = ctx.id("event", self.slug("signing")), f"Подписание соглашения «{rc}»", f"{ec} agreement signing"
        self.fact(b, signing[0], ("SigningCeremony",), signing[1], signing[2], f"Соглашение «{rc}» подписано.")
        b.add(signing[0], p.date, self.date(month + 1))
        b.add(signing[0], p.venue, territory[0])
        b.add(signing[0], p.resultedIn, agreement[0])
        b.many(signing[0], p.hasParticipant, (uni[0], cluster[0], rector[0], director[0]))
        visit = ctx.id("event", self.slug("visit")), f"Посещение лаборатории «{rc}»", f"{ec} laboratory visit"
        self.fact(b, visit[0], ("Visit",), visit[1], visit[2], f"Участники посетили лабораторию «{rc}».")
        b.add(visit[0], p.partOfEvent, table[0])
        b.add(visit[0], p.venue, territory[0])
        b.add(visit[0], p.about, lab[0])
        self.theme_ru, self.theme_en = theme_ru, theme_en
        yield b

    def write_joint_project(self) -> Iterator[Block]:
        """The joint project under the agreement."""
        p, ctx, rc, ec = self.p, self.ctx, self.ru_code, self.en_code
        uni, cluster, agreement = self.uni, self.cluster, self.main_agreement
        b = Block()
        project = ctx.id("project", self.slug("joint-project")), f"Совместный проект «{rc}»", f"{ec} joint project"
        self.fact(b, project[0], ("Project",), project[1], project[2], f"Уже разрабатывается совместный проект «{rc}».")
        b.many(project[0], p.projectParticipant, (uni[0], cluster[0]))
        b.add(project[0], p.underAgreement, agreement[0])
        b.add(project[0], p.hasField, self.fields(1)[0][0])
        self.status(b, project, "joint-project", "in-development", as_of=True)
        yield b

    def write_forum(self) -> Iterator[Block]:
        """The forum and its master class with speakers (from the advertisement)."""
        p, ctx, rc, ec = self.p, self.ctx, self.ru_code, self.en_code
        cluster, speakers, theme_ru, theme_en = self.cluster, self.speakers, self.theme_ru, self.theme_en
        b = Block()
        forum = ctx.id("event", self.slug("forum")), f"Форум «{rc}»", f"{ec} forum"
        self.fact(b, forum[0], ("Forum",), forum[1], forum[2], f"Тематикой форума «{rc}» выбрали «{theme_ru}».",
                  self.ad)
        b.add(forum[0], p.theme, ru(theme_ru))
        b.add(forum[0], p.theme, en(theme_en))
        b.add(forum[0], p.date, self.date())
        b.add(forum[0], p.hasParticipant, cluster[0])
        master = ctx.id("event", self.slug("master-class")), f"Мастер-класс «{rc}»", f"{ec} master class"
        self.fact(b, master[0], ("MasterClass",), master[1], master[2], "Ключевой сессией форума стал мастер-класс.",
                  self.ad)
        b.add(master[0], p.title, ru(f"Инвестиции в биотех «{rc}»"))
        b.add(master[0], p.title, en(f"Investing in biotech, {ec}"))
        b.add(master[0], p.partOfEvent, forum[0])
        b.add(master[0], p.hasField, self.fields(1)[0][0])
        b.add(master[0], p.hasParticipant, cluster[0])
        for k, (speaker, org) in enumerate(speakers[:2], start=1):
            b.add(master[0], p.hasSpeaker, speaker[0])
            part = ctx.id("participation", self.slug(f"master-class-speaker-{k}"))
            self.fact(b, part, ("Participation",), f"{speaker[1]} — спикер мастер-класса",
                      f"{speaker[2]}, master-class speaker", f"Спикером выступил {speaker[1]}.", self.ad)
            b.add(part, p.participationIn, master[0])
            b.add(part, p.participant, speaker[0])
            b.add(part, p.participantRole, ctx.speaker)
            b.add(part, p.representing, org[0])
        self.master = master
        yield b

    def write_quotation(self) -> Iterator[Block]:
        """The rector's quotation."""
        p, ctx = self.p, self.ctx
        uni, rector = self.uni, self.rector
        b = Block()
        quote = ctx.id("quotation", self.slug("rector"))
        self.fact(b, quote, ("Quotation",), f"{rector[1]} о сотрудничестве", f"{rector[2]} on the cooperation",
                  f"Наше сотрудничество чрезвычайно важно, отметил {rector[1]}.")
        b.add(quote, p.spokenBy, rector[0])
        b.add(quote, p.about, uni[0])
        b.add(quote, p.quoteText, ru("Наше сотрудничество чрезвычайно важно"))
        b.add(quote, p.quoteText, en("Our cooperation is extremely important"))
        yield b

    def remember_samples(self) -> None:
        """The first region's nodes, kept as the benchmarks' sample parameters."""
        ctx, rc = self.ctx, self.ru_code
        territory, uni, uni_fields, cluster, park = self.territory, self.uni, self.uni_fields, self.cluster, self.park
        rector, agreement, master = self.rector, self.main_agreement, self.master
        if not ctx.samples:
            ctx.samples.update({
                "university": uni[0], "organization": uni[0], "park": park[0], "cluster": cluster[0],
                "agreement": agreement[0], "event": master[0], "site": territory[0], "person": rector[0],
                "field": uni_fields[0][0], "source": self.news, "status": ctx.statuses["planned"][0],
            })
            ctx.samples = {k: v[1:-1] for k, v in ctx.samples.items()}
            ctx.samples["q"] = rc  # a label fragment, for search queries

    def companies(self) -> Iterator[Block]:
        """The bulk of a region: member companies, each with a head, some with agreements and events."""
        p, ctx, rc, ec = self.p, self.ctx, self.ru_code, self.en_code
        general_director = next((r for r in ctx.roles if r[0].endswith("role-general-director>")), ctx.roles[0])
        if self.r:
            other = self.rng.randrange(self.r)
            b = Block()
            peer_ru, peer_en = region_codes(other)
            peer_uni = (ctx.id("organization", f"syn-{other}-university"), f"Медицинский университет «{peer_ru}»",
                        f"{peer_en} Medical University")
            peer_rector = ctx.id("person", f"syn-{other}-person-1"), "ректор", "the rector"  # first person there
            peer_post = ctx.id("post", f"syn-{other}-person-1-syn-{other}-university")
            self.agreement(b, f"peer-{other}", (self.uni, self.rector, self.rector_post),
                           (peer_uni, peer_rector, peer_post))
            yield b
        for k in range(1, self.rng.randint(20, 50) + 1):
            b = Block()
            stem_ru, stem_en = COMPANIES[self.rng.randrange(len(COMPANIES))]
            company = self.org(b, f"company-{k}", ("Company",), f"ООО «{stem_ru} {rc}-{k}»", f"{stem_en} {ec}-{k} LLC",
                               f"Компания «{stem_ru} {rc}-{k}» входит в кластер «{rc}».",
                               self.ad if k % 3 == 0 else None)
            b.add(company[0], p.memberOf, self.cluster[0])
            if k % 7 == 0 and self.r:
                b.add(company[0], p.memberOf, ctx.id("organization", f"syn-{self.rng.randrange(self.r)}-cluster"))
            b.add(company[0], p.hasField, self.fields(1)[0][0])
            if k % 4 == 0:
                b.add(company[0], p.hasSite, self.territory[0])
            head = self.person(b, company)
            head_post = self.post(b, head, company, general_director)
            if k % 5 == 0:
                deputy = self.person(b, company)
                self.post(b, deputy, company)
            yield b
            if k % 8 == 0:
                b = Block()
                self.agreement(b, f"company-{k}", (self.uni, self.rector, self.rector_post),
                               (company, head, head_post))
                yield b
            if k % 10 == 0:
                b = Block()
                event = ctx.id("event", self.slug(f"company-{k}-round-table")), \
                    f"Круглый стол компании «{stem_ru} {rc}-{k}»", f"{stem_en} {ec}-{k} round table"
                self.fact(b, event[0], ("RoundTable",), event[1], event[2], f"Компания провела круглый стол «{rc}».")
                b.add(event[0], p.date, self.date())
                b.add(event[0], p.organizer, company[0])
                b.add(event[0], p.venue, self.territory[0])
                b.many(event[0], p.hasParticipant, (company[0], self.uni[0], head[0]))
                yield b
