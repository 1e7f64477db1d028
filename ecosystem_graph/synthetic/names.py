"""Word lists for synthetic labels: Russian and English side by side, no quotes or backslashes (N-Triples safe)."""

from __future__ import annotations

#: (Russian, English) town names; a region adds its number, so labels stay unique at any scale.
TOWNS: list[tuple[str, str]] = [
    ("Северогорск", "Severogorsk"), ("Южноморск", "Yuzhnomorsk"), ("Озёрск", "Ozyorsk"), ("Лесногорск", "Lesnogorsk"),
    ("Заречный", "Zarechny"), ("Светлогорск", "Svetlogorsk"), ("Новоград", "Novograd"), ("Приволжск", "Privolzhsk"),
    ("Белогорск", "Belogorsk"), ("Зеленодольск", "Zelenodolsk"), ("Каменск", "Kamensk"), ("Мирный", "Mirny"),
    ("Дубравск", "Dubravsk"), ("Сосновоборск", "Sosnovoborsk"), ("Краснозаводск", "Krasnozavodsk"),
    ("Ясногорск", "Yasnogorsk"), ("Солнечный", "Solnechny"), ("Радужный", "Raduzhny"), ("Протвино", "Protvino"),
    ("Пущино", "Pushchino"), ("Обнинск", "Obninsk"), ("Дубна", "Dubna"), ("Черноголовка", "Chernogolovka"),
    ("Кольцово", "Koltsovo"), ("Иннополис", "Innopolis"), ("Академгородок", "Akademgorodok"),
]

#: (Russian, English) stems of company names.
COMPANIES: list[tuple[str, str]] = [
    ("Биофарм", "Biopharm"), ("Медтех", "Medtech"), ("Генотек", "Genotek"), ("Нейролаб", "Neurolab"),
    ("Кардиосистемы", "Cardiosystems"), ("Остеомед", "Osteomed"), ("Иммунобио", "Immunobio"), ("Вирион", "Virion"),
    ("Клеточные технологии", "Cell Technologies"), ("Биосенсор", "Biosensor"), ("Протеомика", "Proteomics"),
    ("Фармсинтез", "Pharmsynthesis"), ("Медицинские роботы", "Medical Robots"), ("Диагностика", "Diagnostics"),
    ("Регенерация", "Regeneration"), ("Онкотест", "Oncotest"), ("Биоимплант", "Bioimplant"), ("Цифровая клиника",
    "Digital Clinic"), ("Генная терапия", "Gene Therapy"), ("Микробиом", "Microbiome"),
]

#: (Russian, English, female) given names.
GIVEN: list[tuple[str, str, bool]] = [
    ("Анна", "Anna", True), ("Мария", "Maria", True), ("Елена", "Elena", True), ("Ольга", "Olga", True),
    ("Наталья", "Natalya", True), ("Татьяна", "Tatyana", True), ("Ирина", "Irina", True),
    ("Светлана", "Svetlana", True), ("Дарья", "Darya", True), ("Ксения", "Kseniya", True),
    ("Алексей", "Aleksey", False), ("Андрей", "Andrey", False), ("Сергей", "Sergey", False),
    ("Дмитрий", "Dmitriy", False), ("Михаил", "Mikhail", False), ("Иван", "Ivan", False),
    ("Николай", "Nikolay", False), ("Павел", "Pavel", False), ("Владимир", "Vladimir", False), ("Олег", "Oleg", False),
]

#: (Russian masculine, Russian feminine, English masculine, English feminine) family names.
FAMILY: list[tuple[str, str, str, str]] = [
    ("Иванов", "Иванова", "Ivanov", "Ivanova"), ("Смирнов", "Смирнова", "Smirnov", "Smirnova"),
    ("Кузнецов", "Кузнецова", "Kuznetsov", "Kuznetsova"), ("Попов", "Попова", "Popov", "Popova"),
    ("Соколов", "Соколова", "Sokolov", "Sokolova"), ("Лебедев", "Лебедева", "Lebedev", "Lebedeva"),
    ("Козлов", "Козлова", "Kozlov", "Kozlova"), ("Новиков", "Новикова", "Novikov", "Novikova"),
    ("Морозов", "Морозова", "Morozov", "Morozova"), ("Петров", "Петрова", "Petrov", "Petrova"),
    ("Волков", "Волкова", "Volkov", "Volkova"), ("Соловьёв", "Соловьёва", "Solovyov", "Solovyova"),
    ("Васильев", "Васильева", "Vasilyev", "Vasilyeva"), ("Зайцев", "Зайцева", "Zaytsev", "Zaytseva"),
    ("Павлов", "Павлова", "Pavlov", "Pavlova"), ("Семёнов", "Семёнова", "Semyonov", "Semyonova"),
    ("Голубев", "Голубева", "Golubev", "Golubeva"), ("Виноградов", "Виноградова", "Vinogradov", "Vinogradova"),
    ("Богданов", "Богданова", "Bogdanov", "Bogdanova"), ("Воробьёв", "Воробьёва", "Vorobyov", "Vorobyova"),
]

#: (Russian, English) names of the institutes inside a structural block.
INSTITUTES: list[tuple[str, str]] = [
    ("Институт молекулярной медицины", "Institute of Molecular Medicine"),
    ("Институт регенеративной медицины", "Institute of Regenerative Medicine"),
    ("Институт фармации", "Institute of Pharmacy"),
    ("Институт персонализированной медицины", "Institute of Personalised Medicine"),
    ("Институт биоинформатики", "Institute of Bioinformatics"),
    ("Институт клеточной биологии", "Institute of Cell Biology"),
    ("Институт медицинских информационных систем", "Institute of Medical Information Systems"),
    ("Институт биомедицинской инженерии", "Institute of Biomedical Engineering"),
]

#: (Russian, English) names of the structural blocks of an industrial park.
BLOCKS: list[tuple[str, str]] = [
    ("Центр фундаментальных исследований", "Centre for Fundamental Research"),
    ("Центр трансляционной медицины", "Centre for Translational Medicine"),
    ("Центр биомедицинского инжиниринга", "Centre for Biomedical Engineering"),
    ("Клинический центр", "Clinical Centre"),
]

#: (Russian, English) themes of round tables and forums.
THEMES: list[tuple[str, str]] = [
    ("совместные исследования", "joint research"), ("трансфер технологий", "technology transfer"),
    ("инвестиции в биотех", "investment in biotech"), ("цифровая медицина", "digital medicine"),
    ("локализация производства", "localisation of production"), ("человекоцентричность", "human-centricity"),
]
