"""Static vocabularies for fake but plausible people, companies and job data.

All names are ASCII transliterations so that e-mail addresses can be built from them.
"""

from __future__ import annotations

#: country -> share of leads' companies
COUNTRY_WEIGHTS: dict[str, float] = {
    "US": 0.20,
    "GB": 0.10,
    "DE": 0.14,
    "FR": 0.05,
    "NL": 0.05,
    "PL": 0.24,
    "UA": 0.17,
    "CZ": 0.05,
}

#: country -> CRM source system -> probability (marginals: hubspot ~55%, others ~15%)
SYSTEM_BY_COUNTRY: dict[str, dict[str, float]] = {
    "US": {"hubspot": 0.85, "pipedrive": 0.15},
    "GB": {"hubspot": 0.85, "pipedrive": 0.15},
    "DE": {"hubspot": 0.6, "pipedrive": 0.2, "bitrix24": 0.1, "amocrm": 0.1},
    "FR": {"hubspot": 0.8, "pipedrive": 0.2},
    "NL": {"hubspot": 0.8, "pipedrive": 0.2},
    "PL": {"hubspot": 0.3, "pipedrive": 0.3, "bitrix24": 0.15, "amocrm": 0.25},
    "UA": {"hubspot": 0.1, "amocrm": 0.45, "bitrix24": 0.45},
    "CZ": {"hubspot": 0.4, "pipedrive": 0.3, "bitrix24": 0.3},
}

TLD: dict[str, str] = {
    "US": ".com",
    "GB": ".co.uk",
    "DE": ".de",
    "FR": ".fr",
    "NL": ".nl",
    "PL": ".pl",
    "UA": ".com.ua",
    "CZ": ".cz",
}

LEGAL_FORM: dict[str, str] = {
    "US": "Inc.",
    "GB": "Ltd",
    "DE": "GmbH",
    "FR": "SAS",
    "NL": "B.V.",
    "PL": "Sp. z o.o.",
    "UA": "LLC",
    "CZ": "s.r.o.",
}

PHONE_PREFIX: dict[str, str] = {
    "US": "+1",
    "GB": "+44",
    "DE": "+49",
    "FR": "+33",
    "NL": "+31",
    "PL": "+48",
    "UA": "+380",
    "CZ": "+420",
}

#: deal currency by country: (currency, probability)
CURRENCY_BY_COUNTRY: dict[str, tuple[tuple[str, float], ...]] = {
    "US": (("USD", 1.0),),
    "GB": (("USD", 0.7), ("EUR", 0.3)),
    "DE": (("EUR", 1.0),),
    "FR": (("EUR", 1.0),),
    "NL": (("EUR", 1.0),),
    "PL": (("PLN", 0.75), ("EUR", 0.25)),
    "UA": (("UAH", 0.55), ("USD", 0.45)),
    "CZ": (("EUR", 1.0),),
}

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "US": ("james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda",
           "david", "elizabeth", "chris", "sarah", "daniel", "jessica", "kevin", "ashley"),
    "GB": ("oliver", "amelia", "george", "isla", "harry", "emily", "jack", "sophie",
           "thomas", "charlotte", "william", "grace", "james", "lucy"),
    "DE": ("lukas", "anna", "jonas", "lena", "felix", "laura", "max", "julia", "paul",
           "sarah", "leon", "katharina", "tobias", "sabine", "stefan"),
    "FR": ("lucas", "emma", "hugo", "chloe", "louis", "camille", "jules", "lea", "arthur",
           "manon", "nicolas", "julie"),
    "NL": ("daan", "emma", "sem", "julia", "lucas", "sophie", "bram", "anouk", "thijs",
           "lotte", "ruben", "femke"),
    "PL": ("anna", "piotr", "katarzyna", "tomasz", "magdalena", "pawel", "agnieszka",
           "michal", "joanna", "krzysztof", "monika", "marcin", "ewa", "lukasz", "marta",
           "jakub", "aleksandra", "grzegorz"),
    "UA": ("oleksandr", "olena", "andrii", "iryna", "dmytro", "tetiana", "serhii", "natalia",
           "mykola", "oksana", "yurii", "kateryna", "volodymyr", "yulia", "taras", "anastasiia"),
    "CZ": ("jan", "tereza", "petr", "lucie", "tomas", "katerina", "martin", "eva", "jakub",
           "veronika", "pavel", "hana"),
}  # fmt: skip

LAST_NAMES: dict[str, tuple[str, ...]] = {
    "US": ("smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis",
           "wilson", "anderson", "taylor", "thomas", "moore", "martin", "clark", "lewis"),
    "GB": ("smith", "jones", "taylor", "brown", "williams", "wilson", "johnson", "davies",
           "robinson", "wright", "thompson", "evans", "walker", "white", "hughes"),
    "DE": ("mueller", "schmidt", "schneider", "fischer", "weber", "meyer", "wagner", "becker",
           "schulz", "hoffmann", "koch", "richter", "klein", "wolf", "neumann"),
    "FR": ("martin", "bernard", "dubois", "thomas", "robert", "richard", "petit", "durand",
           "leroy", "moreau", "simon", "laurent"),
    "NL": ("dejong", "jansen", "devries", "vandenberg", "bakker", "visser", "smit", "meijer",
           "mulder", "bos", "vos", "peters"),
    "PL": ("nowak", "kowalski", "wisniewski", "wojcik", "kowalczyk", "kaminski", "lewandowski",
           "zielinski", "szymanski", "wozniak", "dabrowski", "kozlowski", "jankowski",
           "mazur", "krawczyk", "piotrowski"),
    "UA": ("shevchenko", "kovalenko", "bondarenko", "tkachenko", "kravchenko", "oliinyk",
           "shevchuk", "polishchuk", "boiko", "tkachuk", "moroz", "lysenko", "marchenko",
           "rudenko", "savchenko", "melnyk"),
    "CZ": ("novak", "svoboda", "novotny", "dvorak", "cerny", "prochazka", "kucera", "vesely",
           "horak", "nemec", "pokorny", "marek"),
}  # fmt: skip

#: company name parts; every prefix+suffix concatenation is distinct
COMPANY_PREFIXES: tuple[str, ...] = (
    "nova", "blue", "green", "bright", "smart", "rapid", "prime", "silver", "north", "east",
    "west", "south", "alpha", "delta", "omega", "vector", "pixel", "quantum", "solar", "terra",
    "aqua", "metro", "urban", "core", "peak", "summit", "river", "stone", "iron", "cedar",
    "maple", "oak", "falcon", "eagle", "lynx", "orbit", "astro", "cloud", "data", "logi",
    "fin", "med", "agro", "auto", "ever", "true", "clear", "bold",
)  # fmt: skip

COMPANY_SUFFIXES: tuple[str, ...] = (
    "tech", "soft", "ware", "works", "logic", "labs", "link", "net", "wave", "point", "bridge",
    "gate", "line", "path", "stream", "field", "mark", "scale", "flow", "forge", "hub", "base",
    "sync", "cast", "craft", "ly", "ify", "io", "matic", "nova", "sphere", "trade", "mind",
    "bit", "desk", "cart", "vision", "pay", "trans", "star",
)  # fmt: skip

COMPANY_THIRD: tuple[str, ...] = (
    "group", "systems", "solutions", "digital", "partners", "global", "consulting", "studio",
    "industries", "services", "holding", "logistics", "analytics", "retail", "energy",
    "health", "capital", "media", "foods", "motors", "finance", "labs", "cloud", "trade",
)  # fmt: skip

INDUSTRIES: tuple[str, ...] = (
    "Software", "Manufacturing", "Retail", "Logistics", "Financial Services", "Healthcare",
    "Education", "Construction", "Media", "Professional Services", "E-commerce",
    "Telecommunications",
)  # fmt: skip

JOB_TITLES: tuple[str, ...] = (
    "Head of Sales", "Sales Manager", "VP Sales", "CEO", "COO", "CFO", "Marketing Manager",
    "Head of Marketing", "RevOps Manager", "Sales Operations Analyst", "CRM Administrator",
    "Business Analyst", "Founder", "Chief Revenue Officer", "Account Executive",
    "Growth Marketing Lead", "IT Director", "Data Analyst",
)  # fmt: skip

OWNER_NAMES: tuple[str, ...] = (
    "Anna Kowalska", "Piotr Nowak", "Olena Kovalenko", "Dmytro Bondarenko", "Max Weber",
    "Julia Schneider", "Emily Carter", "James Walker", "Marta Zielinska", "Tomasz Mazur",
    "Iryna Melnyk", "Taras Shevchuk", "Sophie Martin", "Lukas Fischer", "Katarzyna Wojcik",
    "Oliver Hughes", "Natalia Moroz", "Jakub Lewandowski", "Sarah Davis", "Andrii Tkachenko",
)  # fmt: skip

FREE_MAIL_DOMAINS: tuple[str, ...] = ("gmail.com", "outlook.com", "yahoo.com", "proton.me")

PARTNERS: tuple[str, ...] = ("crmconsult", "salesbridge", "revopsguild", "hubagency")

EVENTS: tuple[str, ...] = ("saastock", "infoshare", "websummit", "it_arena", "dmexco")

BLOG_SLUGS: tuple[str, ...] = (
    "funnel-metrics-guide", "crm-reporting-tips", "pipeline-coverage", "win-rate-benchmarks",
    "sales-cycle-length", "cac-payback", "attribution-models",
)  # fmt: skip
